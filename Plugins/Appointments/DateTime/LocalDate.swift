import Foundation

/// A calendar day in the business's timezone, without a time (so day arithmetic never meets DST).
public struct LocalDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(_ year: Int, _ month: Int, _ day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`.
    public init?(iso text: String) {
        let parts = text.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            LocalDate.isValid(year, month, day)
        else { return nil }
        self.init(year, month, day)
    }

    /// The day `instant` falls on in `timeZone`.
    public init(_ instant: Date, in timeZone: TimeZone) {
        let parts = LocalDate.calendar(timeZone).dateComponents([.year, .month, .day], from: instant)
        self.init(parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1)
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        "\(year)-\(LocalDate.pad(month))-\(LocalDate.pad(day))"
    }

    /// `DD.MM.YYYY`, as written in German confirmations.
    public var german: String { "\(LocalDate.pad(day)).\(LocalDate.pad(month)).\(year)" }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// Days since 1970-01-01 (proleptic Gregorian).
    public var dayNumber: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// The day with `dayNumber` days since 1970-01-01.
    public init(dayNumber: Int) {
        let z = dayNumber + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        self.init(yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// The day `days` later (earlier when negative).
    public func adding(days: Int) -> LocalDate { LocalDate(dayNumber: dayNumber + days) }

    /// Days from `self` to `other`.
    public func days(until other: LocalDate) -> Int { other.dayNumber - dayNumber }

    /// ISO weekday: 1 = Monday … 7 = Sunday.
    public var weekday: Int { ((dayNumber % 7) + 7 + 3) % 7 + 1 }

    /// The Monday of this day's ISO week.
    public var startOfWeek: LocalDate { adding(days: 1 - weekday) }

    /// Whether the day exists.
    public static func isValid(_ year: Int, _ month: Int, _ day: Int) -> Bool {
        (1...12).contains(month) && day >= 1 && day <= daysInMonth(year, month)
    }

    /// The number of days of `month` in `year`.
    public static func daysInMonth(_ year: Int, _ month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// The instant at `minutes` after local midnight of this day in `timeZone`; `nil` for a wall time
    /// that does not exist (the hour skipped when daylight saving time starts). A repeated wall time
    /// (when it ends) gives the first instant.
    public func instant(atMinute minutes: Int, in timeZone: TimeZone) -> Date? {
        let calendar = LocalDate.calendar(timeZone)
        var parts = DateComponents()
        parts.year = year
        parts.month = month
        parts.day = day
        parts.hour = minutes / 60
        parts.minute = minutes % 60
        guard let instant = calendar.date(from: parts) else { return nil }
        let back = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
        guard back.year == year, back.month == month, back.day == day, back.hour == minutes / 60, back.minute == minutes % 60 else {
            return nil
        }
        return instant
    }

    /// A Gregorian calendar in `timeZone`, weeks starting on Monday.
    static func calendar(_ timeZone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        calendar.firstWeekday = 2
        calendar.minimumDaysInFirstWeek = 4
        return calendar
    }

    static func pad(_ number: Int) -> String { number < 10 ? "0\(number)" : "\(number)" }
}

/// A wall-clock time of day.
public struct LocalTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Minutes after midnight (0–1439).
    public var minutes: Int

    public init(minutes: Int) { self.minutes = ((minutes % 1440) + 1440) % 1440 }
    public init(_ hour: Int, _ minute: Int) { self.init(minutes: hour * 60 + minute) }

    /// Parses `HH:MM`.
    public init?(text: String) {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]), (0...23).contains(hour), (0...59).contains(minute)
        else { return nil }
        self.init(hour, minute)
    }

    /// The wall time of `instant` in `timeZone`.
    public init(_ instant: Date, in timeZone: TimeZone) {
        let parts = LocalDate.calendar(timeZone).dateComponents([.hour, .minute], from: instant)
        self.init(parts.hour ?? 0, parts.minute ?? 0)
    }

    public var hour: Int { minutes / 60 }
    public var minute: Int { minutes % 60 }

    /// `HH:MM`.
    public var description: String { "\(LocalDate.pad(hour)):\(LocalDate.pad(minute))" }

    /// For speaking: `14:30`, `9:30`, or `14` for a full hour (read as "um 14 Uhr").
    public var spoken: String { minute == 0 ? "\(hour)" : "\(hour):\(LocalDate.pad(minute))" }

    public static func < (lhs: LocalTime, rhs: LocalTime) -> Bool { lhs.minutes < rhs.minutes }
}
