import Foundation
import PluginAPI

extension RestaurantSkill {
    func checkHours(_ arguments: ToolArguments, context: ToolContext, speech: Speech) -> ToolResult {
        let now = context.clock.now()
        let calendar = profile.calendar
        guard let day = parseDay(arguments.string("date"), now: now) else {
            return ToolResult(["error": "bad_date"], text: "Give the date as YYYY-MM-DD, today or tomorrow.", isError: true)
        }
        var value: [String: JSONValue] = [
            "date": .string(day.description),
            "weekday": .string(RestaurantCalendar.weekdayName(calendar.weekday(of: day), german: speech.german)),
            "hours": .string(speech.hours(on: day)),
            "ranges": .array(profile.hours.ranges(on: day, calendar: calendar).map {
                ["open": .string(ClockTime.text($0.start)), "close": .string(ClockTime.text($0.end))]
            }),
        ]
        let exception = profile.hours.exceptions[day]
        if let note = exception?.note { value["note"] = .string(note) }
        let dayName = day == calendar.date(of: now) ? "today" : calendar.spokenDate(day, german: false)
        let reason = exception?.note.map { " (\($0))" } ?? ""
        var text = profile.hours.ranges(on: day, calendar: calendar).isEmpty
            ? "Closed \(dayName)\(reason)." : "Hours \(dayName): \(speech.hours(on: day))\(reason)."

        // A point in time: the one asked about, or now when asking about today.
        let asked: Date?
        if let timeText = arguments.string("time") {
            guard let minutes = ClockTime.parse(timeText), minutes < 1440 else {
                return ToolResult(["error": "bad_time"], text: "Give the time as HH:mm.", isError: true)
            }
            asked = calendar.instant(day, minutes: minutes)
        } else {
            asked = day == calendar.date(of: now) ? now : nil
        }
        if let asked {
            let interval = profile.hours.interval(containing: asked, calendar: calendar)
            let isNow = asked == now
            value[isNow ? "open_now" : "open_at_time"] = .bool(interval != nil)
            if let interval {
                value["open_until"] = .string(speech.localISO(interval.end))
                text = (isNow ? "Open now" : "Open at \(speech.time(asked))") + ", until \(speech.time(interval.end)). " + text
            } else {
                text = (isNow ? "Closed right now." : "Closed at \(speech.time(asked)).") + " " + text
                if let next = profile.hours.nextOpening(after: asked, calendar: calendar) {
                    value["next_opening"] = .string(speech.localISO(next))
                    text += " Next opening: \(speech.when(next, now: now))."
                }
            }
        }
        return ToolResult(.object(value), text: text)
    }
}
