import Foundation
import PluginAPI
import Synchronization

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
        let second = Int64((now.timeIntervalSince1970).rounded(.down))
        let minute = second >= 0 ? second / 60 : (second - 59) / 60
        let key = timeZone.identifier + "|" + language
        let formatted = minuteCache.withLock { cache -> FormattedMinute in
            if let hit = cache[key], hit.minute == minute { return hit }
            let fresh = FormattedMinute(minute: minute, date: Date(timeIntervalSince1970: Double(minute * 60)), timeZone: timeZone, language: language)
            cache[key] = fresh
            return fresh
        }
        var values = formatted.values
        let seconds = Int(second - minute * 60)
        values["iso"] = .string(formatted.isoHead + (seconds < 10 ? "0" : "") + String(seconds) + formatted.isoTail)
        return .object(values)
    }

    /// What one minute formats to in one timezone and language. Creating ICU date formatters cost about a
    /// third of a turn's CPU (perf under engine-bench), so each minute is formatted once and shared.
    private struct FormattedMinute: Sendable {
        var minute: Int64
        var values: [String: JSONValue]
        /// `iso` around its seconds (an offset changes on whole minutes only).
        var isoHead: String
        var isoTail: String

        init(minute: Int64, date: Date, timeZone: TimeZone, language: String) {
            let locale = Locale(identifier: language.replacingOccurrences(of: "-", with: "_"))
            func format(_ pattern: String, localized: Bool = false) -> String {
                let formatter = DateFormatter()
                formatter.timeZone = timeZone
                formatter.locale = localized ? locale : Locale(identifier: "en_US_POSIX")
                if localized { formatter.setLocalizedDateFormatFromTemplate(pattern) } else { formatter.dateFormat = pattern }
                return formatter.string(from: date)
            }
            self.minute = minute
            values = [
                "date": .string(format("yyyy-MM-dd")),
                "time": .string(format("HH:mm")),
                "weekday": .string(format("EEEE", localized: true)),
                "long_date": .string(format("EEEEdMMMMyyyy", localized: true)),
                "timezone": .string(timeZone.identifier),
            ]
            isoHead = format("yyyy-MM-dd'T'HH:mm:")
            isoTail = format("XXXXX")
        }
    }

    private static let minuteCache = Mutex<[String: FormattedMinute]>([:])
}
