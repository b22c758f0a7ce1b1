import Foundation

/// One opening range of a day in minutes after that day's midnight; `end` may pass 1440 when the
/// range runs past midnight (`17:00-01:00` is 1020…1500).
public struct TimeRange: Sendable, Hashable {
    public var start: Int
    public var end: Int

    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    /// Parses `HH:mm-HH:mm`; an end at or before the start means the next day.
    public static func parse(_ text: String) -> TimeRange? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let start = ClockTime.parse(String(parts[0])), let end = ClockTime.parse(String(parts[1])),
            start < 1440
        else { return nil }
        guard start != end else { return nil }
        return TimeRange(start: start, end: end > start ? end : end + 1440)
    }

    /// `11:30–14:30` in the agent's style.
    public func spoken(german: Bool) -> String {
        let separator = german ? " bis " : " to "
        return ClockTime.spoken(start, german: german) + separator + ClockTime.spoken(end, german: german)
    }
}

/// Opening hours: a weekly pattern plus dated exceptions (holidays, special hours).
public struct OpeningHours: Sendable {
    /// Ranges per weekday, Monday first (an empty list is a closed day).
    public var weekly: [[TimeRange]]
    /// Dated replacements of the weekly pattern (an empty list closes the day).
    public var exceptions: [LocalDate: Exception]

    /// A day that differs from the weekly pattern.
    public struct Exception: Sendable {
        public var ranges: [TimeRange]
        /// Why, e.g. "Christmas Day".
        public var note: String?

        public init(ranges: [TimeRange], note: String?) {
            self.ranges = ranges
            self.note = note
        }
    }

    public init(weekly: [[TimeRange]], exceptions: [LocalDate: Exception]) {
        self.weekly = weekly
        self.exceptions = exceptions
    }

    /// The ranges that start on `date` (exception first, else the weekday's pattern).
    public func ranges(on date: LocalDate, calendar: RestaurantCalendar) -> [TimeRange] {
        if let exception = exceptions[date] { return exception.ranges }
        return weekly[calendar.weekday(of: date)]
    }

    /// The opening intervals that start on `date`, as instants.
    public func intervals(on date: LocalDate, calendar: RestaurantCalendar) -> [DateInterval] {
        ranges(on: date, calendar: calendar).map { range in
            let start = calendar.instant(date, minutes: range.start)
            let end = calendar.instant(date, minutes: range.end)
            return DateInterval(start: start, end: max(start, end))
        }
    }

    /// The opening interval containing `instant` (start inclusive, end exclusive), if open then.
    /// Looks at the day before too, for ranges that run past midnight.
    public func interval(containing instant: Date, calendar: RestaurantCalendar) -> DateInterval? {
        let today = calendar.date(of: instant)
        for day in [calendar.adding(days: -1, to: today), today] {
            if let hit = intervals(on: day, calendar: calendar).first(where: { $0.start <= instant && instant < $0.end }) {
                return hit
            }
        }
        return nil
    }

    /// Whether the restaurant is open at `instant`.
    public func isOpen(at instant: Date, calendar: RestaurantCalendar) -> Bool {
        interval(containing: instant, calendar: calendar) != nil
    }

    /// The next opening strictly after `instant`, looking up to `days` ahead.
    public func nextOpening(after instant: Date, calendar: RestaurantCalendar, days: Int = 14) -> Date? {
        let today = calendar.date(of: instant)
        for offset in 0...days {
            let day = calendar.adding(days: offset, to: today)
            if let start = intervals(on: day, calendar: calendar).map(\.start).filter({ $0 > instant }).min() { return start }
        }
        return nil
    }
}
