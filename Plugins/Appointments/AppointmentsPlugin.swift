import Foundation
import PluginAPI

/// The `appointments` skill: German callers book, move and cancel appointments with a practice or salon.
///
/// ```yaml
/// skills:
///   - appointments:
///       calendar: builtin                     # or calcom
///       business: data/praxis-am-see/business.yaml
///       services: data/praxis-am-see/services.yaml   # optional when business.yaml lists them
///       staff: data/praxis-am-see/staff.yaml         # optional
///       slot_interval: 15                     # minutes between start times
///       minimum_notice: 60                    # minutes from now to the first bookable start
///       calcom: { api_key: ${CALCOM_API_KEY}, base_url: "${CALCOM_BASE_URL:-https://api.cal.com}" }
/// ```
public struct AppointmentsPlugin: PluginFactory {
    public init() {}

    public var id: String { "appointments" }
    public var kind: PluginKind { .skill }
    public var migrations: [Migration] { AppointmentStore.migrations }

    public func make(config: ConfigNode, context: PluginSetupContext) async throws -> PluginInstance {
        var reader = ConfigReader(config)
        let mode = reader.choice("calendar", ["builtin", "calcom"], default: "builtin")
        let businessPath = reader.string("business")
        let servicesPath = reader.string("services", default: nil)
        let staffPath = reader.string("staff", default: nil)
        var zone: TimeZone?
        if let name = reader.string("timezone", default: nil) {
            zone = TimeZone(identifier: name)
            if zone == nil { reader.report("unknown IANA timezone '\(name)' (e.g. Europe/Berlin)", at: reader.node("timezone")) }
        }
        let interval = reader.int("slot_interval", default: 15, in: 5...120) ?? 15
        let notice = reader.int("minimum_notice", default: 60, in: 0...10080) ?? 60
        let horizon = reader.int("search_days", default: 14, in: 1...90) ?? 14
        var calcom: CalcomSettings?
        if let node = reader.node("calcom") {
            var calcomReader = ConfigReader(node)
            calcom = CalcomSettings.read(&calcomReader)
            calcomReader.finish()
            reader.absorb(calcomReader.issues)
        }
        if mode == "calcom", calcom == nil {
            reader.report("calendar: calcom needs a calcom section (api_key, base_url)")
        }
        reader.finish()
        var issues = reader.issues
        func load(_ path: String?) -> ConfigNode? {
            guard let path else { return nil }
            do {
                return try context.files.load(path)
            } catch {
                issues += error.issues
                return nil
            }
        }
        let businessNode = load(businessPath)
        let servicesNode = load(servicesPath)
        let staffNode = load(staffPath)
        var business: Business?
        if let businessNode {
            var loader = BusinessLoader()
            business = loader.load(business: businessNode, services: servicesNode, staff: staffNode, timeZoneOverride: zone)
            issues += loader.issues
        }
        if mode == "calcom", let business {
            for service in business.services where service.calcomEventTypeID == nil {
                issues.append(ConfigIssue(node: servicesNode ?? businessNode ?? config,
                                          "service '\(service.id)' needs calcom_event_type_id when calendar is calcom"))
            }
        }
        if issues.contains(where: { $0.severity == .error }) { throw ConfigErrors(issues) }
        guard let business else { throw ConfigErrors(issues) }
        let settings = AppointmentsSettings(
            agentID: context.agentID ?? "", slotInterval: interval, minimumNotice: notice, searchDays: horizon,
            calcom: mode == "calcom" ? calcom : nil)
        return .skill(AppointmentsSkill(business: business, settings: settings))
    }
}

/// How the skill books, from its agents.yaml section.
struct AppointmentsSettings: Sendable {
    /// The agent the instance belongs to (appointments are kept per agent).
    var agentID: String
    var slotInterval: Int
    var minimumNotice: Int
    /// Days searched for alternatives.
    var searchDays: Int
    /// Set when `calendar: calcom`.
    var calcom: CalcomSettings?
}
