import Foundation

/// A calendar date in the restaurant's timezone.
public struct LocalDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD` (a real date only).
    public init?(iso text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        self.init(year: year, month: month, day: day)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let date = calendar.date(from: DateComponents(year: year, month: month, day: day)),
            calendar.component(.day, from: date) == day
        else { return nil }
    }

    public var description: String {
        String(format: "%04d-%02d-%02d", year, month, day)
    }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}

/// Minutes after local midnight, parsed from `HH:mm` (`24:00` allowed as the end of a day).
public enum ClockTime {
    public static func parse(_ text: String) -> Int? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":")
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
            let hour = Int(parts[0]), let minute = Int(parts[1]), (0...59).contains(minute)
        else { return nil }
        guard (0...23).contains(hour) || (hour == 24 && minute == 0) else { return nil }
        return hour * 60 + minute
    }

    /// `HH:mm` (taken modulo a day).
    public static func text(_ minutes: Int) -> String {
        let wrapped = ((minutes % 1440) + 1440) % 1440
        return String(format: "%02d:%02d", wrapped / 60, wrapped % 60)
    }

    /// `19:30` (de) or `7:30 PM` (en) for minutes after midnight (taken modulo a day).
    public static func spoken(_ minutes: Int, german: Bool) -> String {
        let wrapped = ((minutes % 1440) + 1440) % 1440
        let hour = wrapped / 60, minute = wrapped % 60
        if german { return String(format: "%d:%02d Uhr", hour, minute) }
        if wrapped == 0 { return "midnight" }
        if wrapped == 720 { return "noon" }
        let twelve = hour % 12 == 0 ? 12 : hour % 12
        let suffix = hour < 12 ? "AM" : "PM"
        return minute == 0 ? "\(twelve) \(suffix)" : String(format: "%d:%02d %@", twelve, minute, suffix)
    }
}

/// Converts between instants and the restaurant's wall clock.
public struct RestaurantCalendar: Sendable {
    public let timeZone: TimeZone
    private let calendar: Calendar

    public init(timeZone: TimeZone) {
        self.timeZone = timeZone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
    }

    /// The local date of `instant`.
    public func date(of instant: Date) -> LocalDate {
        let parts = calendar.dateComponents([.year, .month, .day], from: instant)
        return LocalDate(year: parts.year!, month: parts.month!, day: parts.day!)
    }

    /// Minutes after local midnight of `instant`.
    public func minutes(of instant: Date) -> Int {
        let parts = calendar.dateComponents([.hour, .minute], from: instant)
        return parts.hour! * 60 + parts.minute!
    }

    /// The instant of `minutes` after midnight of `date` (values ≥ 1440 fall on the following days).
    /// A wall-clock time skipped by a DST change resolves to the first instant after the gap.
    public func instant(_ date: LocalDate, minutes: Int) -> Date {
        let day = adding(days: minutes / 1440, to: date)
        let rest = minutes % 1440
        let components = DateComponents(year: day.year, month: day.month, day: day.day, hour: rest / 60, minute: rest % 60)
        return calendar.date(from: components)!
    }

    /// `date` moved by `days`.
    public func adding(days: Int, to date: LocalDate) -> LocalDate {
        guard days != 0 else { return date }
        let noon = calendar.date(from: DateComponents(year: date.year, month: date.month, day: date.day, hour: 12))!
        return self.date(of: calendar.date(byAdding: .day, value: days, to: noon)!)
    }

    /// The weekday of `date` (0 = Monday … 6 = Sunday).
    public func weekday(of date: LocalDate) -> Int {
        let noon = calendar.date(from: DateComponents(year: date.year, month: date.month, day: date.day, hour: 12))!
        return (calendar.component(.weekday, from: noon) + 5) % 7
    }

    /// The weekday's name in the agent's language.
    public static func weekdayName(_ weekday: Int, german: Bool) -> String {
        (german ? Weekday.germanNames : Weekday.englishNames)[weekday]
    }

    /// e.g. "Friday, March 6" / "Freitag, 6. März".
    public func spokenDate(_ date: LocalDate, german: Bool) -> String {
        let weekday = Self.weekdayName(weekday(of: date), german: german)
        if german { return "\(weekday), \(date.day). \(Weekday.germanMonths[date.month - 1])" }
        return "\(weekday), \(Weekday.englishMonths[date.month - 1]) \(date.day)"
    }
}

/// Weekday and month names.
public enum Weekday {
    /// Keys used in profile files, Monday first.
    public static let keys = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    static let englishNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    static let germanNames = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"]
    static let englishMonths = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
    static let germanMonths = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"]
}
