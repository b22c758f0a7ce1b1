import PluginAPI

/// What a caller's phrase means in dates and times: one candidate, several when the phrase has more
/// than one reading (the agent must ask back), none when nothing was understood.
public struct DateTimeResolution: Sendable, Hashable {
    /// A range the caller gave instead of (or around) a point in time.
    public enum Window: Sendable, Hashable {
        /// Times of day (`Vormittag`, `ab 16 Uhr`: end `nil`).
        case time(start: LocalTime, end: LocalTime?)
        /// Days (`Anfang nächster Woche`).
        case date(start: LocalDate, end: LocalDate?)
    }

    /// One reading.
    public struct Candidate: Sendable, Hashable {
        /// `nil` when only a time was said.
        public var date: LocalDate?
        /// `nil` when only a day or a range was said.
        public var time: LocalTime?
        public var window: Window?
        /// How to say it back: "am Dienstag, dem 3. März, um 14:30 Uhr".
        public var spoken: String
    }

    /// Several readings differ: ask the caller which one.
    public var ambiguous: Bool
    /// The caller must confirm the reading (a past date moved to next year, a weekday that does not match).
    public var confirm: Bool
    /// Why the agent should ask or confirm.
    public var reason: String?
    public var candidates: [Candidate]

    /// The tool's JSON form.
    public var json: JSONValue {
        [
            "ambiguous": .bool(ambiguous),
            "confirm": .bool(confirm),
            "reason": reason.map(JSONValue.string) ?? .null,
            "candidates": .array(candidates.map(\.json)),
        ]
    }
}

extension DateTimeResolution.Candidate {
    var json: JSONValue {
        var window: JSONValue = .null
        switch self.window {
        case .time(let start, let end)?:
            window = ["kind": "time", "start": .string(start.description), "end": end.map { .string($0.description) } ?? .null]
        case .date(let start, let end)?:
            window = ["kind": "date", "start": .string(start.description), "end": end.map { .string($0.description) } ?? .null]
        case nil:
            break
        }
        return [
            "date": date.map { .string($0.description) } ?? .null,
            "time": time.map { .string($0.description) } ?? .null,
            "window": window,
            "spoken": .string(spoken),
        ]
    }
}

/// German words for speaking dates back.
public enum GermanSpeech {
    static let weekdayNames = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"]
    static let monthNames = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"]

    /// "Dienstag, dem 3. März" (with the year when it is not `currentYear`).
    public static func day(_ date: LocalDate, currentYear: Int) -> String {
        "\(weekdayNames[date.weekday - 1]), dem \(Self.date(date, currentYear: currentYear))"
    }

    /// "3. März" (with the year when it is not `currentYear`).
    public static func date(_ date: LocalDate, currentYear: Int) -> String {
        "\(date.day). \(monthNames[date.month - 1])" + (date.year == currentYear ? "" : " \(date.year)")
    }

    /// "am Dienstag, dem 3. März, um 14:30 Uhr".
    public static func slot(_ date: LocalDate, _ time: LocalTime, currentYear: Int) -> String {
        "am \(day(date, currentYear: currentYear)), um \(time.spoken) Uhr"
    }

    /// The weekday name.
    public static func weekday(_ date: LocalDate) -> String { weekdayNames[date.weekday - 1] }
}
