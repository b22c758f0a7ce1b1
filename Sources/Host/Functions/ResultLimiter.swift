import PluginAPI

/// Keeps a custom function's JSON answer within Retell's limit (15,000 characters) and still valid JSON:
/// long strings and arrays are shortened step by step, each cut marked; an answer that still does not fit
/// becomes `{"truncated": true, "preview": "<start of the JSON text>"}`.
enum ResultLimiter {
    static let maxCharacters = 15_000
    static let marker = "…[truncated]"

    /// `value` as JSON text of at most `limit` characters.
    static func fit(_ value: JSONValue, limit: Int = maxCharacters) -> String {
        let full = value.canonicalJSON
        if full.count <= limit { return full }
        var stringLimit = 4_000
        var arrayLimit = 200
        while stringLimit >= 16 || arrayLimit >= 1 {
            var shortened = shorten(value, stringLimit: stringLimit, arrayLimit: arrayLimit)
            if case .object(var members) = shortened {
                members["truncated"] = true
                shortened = .object(members)
            }
            let text = shortened.canonicalJSON
            if text.count <= limit { return text }
            stringLimit /= 2
            arrayLimit /= 2
        }
        let overhead = JSONValue.object(["truncated": true, "preview": ""]).canonicalJSON.count + marker.count
        var budget = max(0, limit - overhead)
        while true {
            let text = JSONValue.object(["truncated": true, "preview": .string(String(full.prefix(budget)) + marker)]).canonicalJSON
            if text.count <= limit || budget == 0 { return text }
            budget -= max(1, text.count - limit)  // escapes made it longer than counted
        }
    }

    private static func shorten(_ value: JSONValue, stringLimit: Int, arrayLimit: Int) -> JSONValue {
        switch value {
        case .string(let text) where text.count > stringLimit:
            return .string(String(text.prefix(stringLimit)) + marker)
        case .array(let elements):
            var kept = elements.prefix(arrayLimit).map { shorten($0, stringLimit: stringLimit, arrayLimit: arrayLimit) }
            if elements.count > arrayLimit { kept.append(.string("\(marker) \(elements.count - arrayLimit) more items")) }
            return .array(kept)
        case .object(let members):
            return .object(members.mapValues { shorten($0, stringLimit: stringLimit, arrayLimit: arrayLimit) })
        default:
            return value
        }
    }
}
