/// What a caller's phrase says about a day and a time, before it is resolved against "now".
struct ParsedPhrase: Sendable, Hashable {
    /// Which part of a week or month a range phrase means (`Anfang`, `Mitte`, `Ende`).
    enum Part: Sendable, Hashable { case whole, start, middle, end }

    /// How a weekday was qualified.
    enum WeekdayModifier: Sendable, Hashable {
        /// `Montag`, `am Montag`.
        case none
        /// `diesen Montag`.
        case this
        /// `kommenden Montag`.
        case coming
        /// `nächsten Montag` (two readings).
        case next
        /// `übernächsten Montag` (two readings).
        case afterNext
        /// `Montag nächster Woche`: the weekday of the week `n` weeks after this one.
        case week(Int)
    }

    /// The day (or days) the phrase names.
    enum DateSpec: Sendable, Hashable {
        /// `heute` (0), `morgen` (1), `übermorgen` (2), `gestern` (-1).
        case relative(days: Int)
        /// 1 = Monday … 7 = Sunday.
        case weekday(Int, WeekdayModifier)
        /// `am 3. März`, `3.3.26`; `month` nil for `am Dreiundzwanzigsten`.
        case calendar(day: Int, month: Int?, year: Int?)
        /// `nächste Woche`, `Anfang nächster Woche` (weeks after the current one).
        case week(offset: Int, part: Part)
        /// `am Wochenende` (offset 0); `nächstes Wochenende` is ambiguous.
        case weekend(ambiguousNext: Bool)
        /// `Ende März` (month given) or `Ende des Monats` (months after the current one).
        case month(month: Int?, offset: Int, part: Part)
        /// A holiday by name.
        case holiday(GermanHoliday.Kind)
    }

    /// A clock time as said; `hour` is 0–23, and 1–12 without ``explicit24`` may mean either half of the day.
    struct Clock: Sendable, Hashable {
        var hour: Int
        var minute: Int
        /// The hour cannot be read as a 12-hour clock (`14 Uhr`, `Mitternacht`).
        var explicit24: Bool = false
        /// `gegen drei`, `kurz nach drei`.
        var approximate: Bool = false
    }

    /// Open or closed bounds around times (`ab 16 Uhr`, `bis 12`, `zwischen zehn und zwölf`).
    enum Bound: Sendable, Hashable {
        case from(Clock)
        case until(Clock)
        case between(Clock, Clock)
    }

    /// A part of the day.
    enum Daypart: String, Sendable, Hashable, CaseIterable {
        case early, morning, noon, afternoon, evening, night

        /// The search window in minutes after midnight (the night window wraps past midnight).
        var window: (start: Int, end: Int) {
            switch self {
            case .early: return (7 * 60, 10 * 60)
            case .morning: return (8 * 60, 12 * 60)
            case .noon: return (11 * 60 + 30, 14 * 60)
            case .afternoon: return (13 * 60, 18 * 60)
            case .evening: return (17 * 60, 21 * 60)
            case .night: return (22 * 60, 6 * 60)
            }
        }

        /// The 24-hour reading of a 12-hour `hour` said with this daypart.
        func hour24(_ hour: Int) -> Int {
            switch self {
            case .early, .morning: return hour == 12 ? 0 : hour
            case .noon: return hour <= 4 ? hour + 12 : hour
            case .afternoon, .evening: return hour < 12 ? hour + 12 : hour
            case .night: return (6...11).contains(hour) ? hour + 12 : (hour == 12 ? 0 : hour)
            }
        }
    }

    var date: DateSpec?
    /// A weekday said next to an explicit date (`Mittwoch, den 3. März`), checked against it.
    var statedWeekday: Int?
    /// Days added to the date (`in acht Tagen`, `Mittwoch in einer Woche`).
    var offsetDays = 0
    /// Whether an offset was said at all (`in zwei Wochen` has no other date).
    var hasOffset = false
    var time: Clock?
    var bound: Bound?
    var daypart: Daypart?

    /// Whether nothing was understood.
    var isEmpty: Bool { date == nil && !hasOffset && time == nil && bound == nil && daypart == nil }
}
