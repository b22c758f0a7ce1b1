import Foundation
import PluginAPI

/// Builds the variables persona templates and begin messages see: `{{<skill id>.*}}`, `{{dynamic.*}}`,
/// `{{call.*}}`, `{{now.*}}` and `{{agent.*}}`.
enum PromptVariables {
    static func make(agent: Agent, call: CallInfo, skillVariables: [String: JSONValue], now: Date) -> JSONValue {
        var variables = skillVariables
        variables["dynamic"] = .object(call.dynamicVariables.mapValues(JSONValue.string))
        var callInfo: [String: JSONValue] = ["id": .string(call.callID)]
        if let from = call.fromNumber { callInfo["from_number"] = .string(from) }
        if let to = call.toNumber { callInfo["to_number"] = .string(to) }
        if let caller = call.callerNumber { callInfo["caller_number"] = .string(caller) }
        if let direction = call.direction { callInfo["direction"] = .string(direction) }
        variables["call"] = .object(callInfo)
        variables["now"] = nowVariables(now, timeZone: agent.timeZone, language: agent.config.language)
        variables["agent"] = [
            "id": .string(agent.id), "language": .string(agent.config.language),
            "timezone": .string(agent.timeZone.identifier),
        ]
        return .object(variables)
    }

    /// `date` (2026-03-02), `time` (14:05), `weekday` (Monday / Montag), `long_date`
    /// (Monday, March 2, 2026 / Montag, 2. März 2026), `iso` and `timezone`.
    static func nowVariables(_ now: Date, timeZone: TimeZone, language: String) -> JSONValue {
        let locale = Locale(identifier: language.replacingOccurrences(of: "-", with: "_"))
        func format(_ pattern: String, localized: Bool = false) -> String {
            let formatter = DateFormatter()
            formatter.timeZone = timeZone
            formatter.locale = localized ? locale : Locale(identifier: "en_US_POSIX")
            if localized { formatter.setLocalizedDateFormatFromTemplate(pattern) } else { formatter.dateFormat = pattern }
            return formatter.string(from: now)
        }
        return [
            "date": .string(format("yyyy-MM-dd")),
            "time": .string(format("HH:mm")),
            "weekday": .string(format("EEEE", localized: true)),
            "long_date": .string(format("EEEEdMMMMyyyy", localized: true)),
            "iso": .string(format("yyyy-MM-dd'T'HH:mm:ssXXXXX")),
            "timezone": .string(timeZone.identifier),
        ]
    }
}
