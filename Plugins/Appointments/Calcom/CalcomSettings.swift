import PluginAPI

/// The `calcom` section of the skill: where Cal.com is and which `cal-api-version` each endpoint family
/// is sent (configurable, because the hosted API's accepted values have moved over time).
struct CalcomSettings: Sendable, Hashable {
    /// `cal_…` / `cal_live_…`; `nil` when the variable is not set (the agent is then degraded).
    var apiKey: String?
    /// Without `/v2` (default `https://api.cal.com`).
    var baseURL: String
    /// `cal-api-version` for `/v2/slots`.
    var slotsVersion = "2024-09-04"
    /// `cal-api-version` for `/v2/bookings*`.
    var bookingsVersion = "2024-08-13"
    /// Per request.
    var timeout: Duration = .seconds(8)

    static func read(_ reader: inout ConfigReader) -> CalcomSettings {
        var settings = CalcomSettings(apiKey: nil, baseURL: "https://api.cal.com")
        settings.apiKey = reader.string("api_key", default: nil).flatMap { $0.isEmpty ? nil : $0 }
        var base = reader.string("base_url", default: nil) ?? settings.baseURL
        if base.isEmpty { base = "https://api.cal.com" }
        while base.hasSuffix("/") { base.removeLast() }
        if base.hasSuffix("/v2") { base.removeLast(3) }
        settings.baseURL = base
        if let node = reader.node("versions") {
            var versions = ConfigReader(node)
            settings.slotsVersion = versions.string("slots", default: settings.slotsVersion) ?? settings.slotsVersion
            settings.bookingsVersion = versions.string("bookings", default: settings.bookingsVersion) ?? settings.bookingsVersion
            versions.finish()
            reader.absorb(versions.issues)
        }
        settings.timeout = reader.duration("timeout", default: .seconds(8))
        return settings
    }
}
