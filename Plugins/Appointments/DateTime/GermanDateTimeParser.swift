/// Reads what a German caller says about a day and a time into a ``ParsedPhrase``.
///
/// A hand-written scanner over ``DateTimeToken``s: at each position the date rules are tried, then the
/// time rules; words that match nothing are skipped ("ich hätte gern einen Termin …").
struct GermanDateTimeParser {
    static let weekdays: [String: Int] = [
        "montag": 1, "dienstag": 2, "mittwoch": 3, "donnerstag": 4, "freitag": 5, "samstag": 6, "sonnabend": 6, "sonntag": 7,
    ]
    static let months: [String: Int] = [
        "januar": 1, "jaenner": 1, "jan": 1, "februar": 2, "feber": 2, "feb": 2, "maerz": 3, "april": 4, "apr": 4, "mai": 5,
        "juni": 6, "juno": 6, "jun": 6, "juli": 7, "julei": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9,
        "sep": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11, "dezember": 12, "dez": 12,
    ]
    static let dayparts: [String: ParsedPhrase.Daypart] = [
        "frueh": .early, "morgens": .early, "frueh morgens": .early, "vormittag": .morning, "vormittags": .morning,
        "mittag": .noon, "mittags": .noon, "mittagszeit": .noon, "nachmittag": .afternoon, "nachmittags": .afternoon,
        "abend": .evening, "abends": .evening, "nacht": .night, "nachts": .night,
    ]
    static let holidayNames: [String: GermanHoliday.Kind] = [
        "neujahr": .neujahr, "karfreitag": .karfreitag, "ostersonntag": .ostersonntag, "ostern": .ostersonntag,
        "ostermontag": .ostermontag, "himmelfahrt": .himmelfahrt, "pfingstsonntag": .pfingstsonntag, "pfingsten": .pfingstsonntag,
        "pfingstmontag": .pfingstmontag, "fronleichnam": .fronleichnam, "reformationstag": .reformationstag,
        "allerheiligen": .allerheiligen, "heiligabend": .heiligabend, "silvester": .silvester, "frauentag": .frauentag,
        "weltkindertag": .weltkindertag,
    ]
    /// Words after which a bare number is a clock time (`um zwei`, `gegen drei`).
    static let timeLeads: Set<String> = [
        "um", "gegen", "ab", "bis", "zwischen", "von", "punkt", "puenktlich", "circa", "ca", "zirka", "ungefaehr", "etwa",
        "fruehestens", "spaetestens", "so", "und", "oder", "nach",
    ]
    static let approximateWords: Set<String> = ["gegen", "circa", "ca", "zirka", "ungefaehr", "etwa"]

    private let tokens: [DateTimeToken]
    private var index = 0
    private var result = ParsedPhrase()
    /// Set by `ab`/`bis`/`zwischen` until the next time is read.
    private var pendingBound: String?
    private var firstOfRange: ParsedPhrase.Clock?
    private var approximate = false
    private var pendingPart: ParsedPhrase.Part?

    init(tokens: [DateTimeToken]) { self.tokens = tokens }

    /// Parses `phrase`.
    static func parse(_ phrase: String) -> ParsedPhrase {
        var parser = GermanDateTimeParser(tokens: DateTimeTokenizer.tokenize(phrase))
        return parser.run()
    }

    private mutating func run() -> ParsedPhrase {
        while index < tokens.count {
            if matchDate() || matchTime() || matchModifierWord() { continue }
            index += 1
        }
        if let first = firstOfRange, result.bound == nil {
            result.bound = pendingBound == "until" ? .until(first) : .from(first)
        }
        return result
    }

    // MARK: - Token helpers

    private func word(_ offset: Int = 0) -> String? {
        let position = index + offset
        guard position >= 0, position < tokens.count else { return nil }
        return tokens[position].word
    }

    private func token(_ offset: Int = 0) -> DateTimeToken? {
        let position = index + offset
        guard position >= 0, position < tokens.count else { return nil }
        return tokens[position]
    }

    /// A cardinal number (word or digits) at `offset`.
    private func number(_ offset: Int = 0) -> Int? {
        switch token(offset) {
        case .number(let value): return value
        case .word(let text): return GermanNumbers.cardinal(text)
        case .ordinalDigits(let value) where index + offset == tokens.count - 1: return value  // "um 9." at the end
        default: return nil
        }
    }

    /// An hour (0–24) at `offset`.
    private func hour(_ offset: Int = 0) -> Int? {
        guard let value = number(offset), (0...24).contains(value) else { return nil }
        return value
    }

    /// An ordinal day (word or `3.`) at `offset`.
    private func ordinal(_ offset: Int = 0) -> Int? {
        switch token(offset) {
        case .ordinalDigits(let value): return (1...31).contains(value) ? value : nil
        case .word(let text): return GermanNumbers.ordinal(text)
        default: return nil
        }
    }

    private func month(_ offset: Int = 0) -> Int? { word(offset).flatMap { Self.months[$0] } }

    private static func startsWith(_ word: String?, _ stems: [String]) -> Bool {
        guard let word else { return false }
        return stems.contains { word.hasPrefix($0) }
    }

    // MARK: - Dates

    private mutating func matchDate() -> Bool {
        guard let current = token() else { return false }
        switch current {
        case .date(let day, let month, let year):
            result.date = .calendar(day: day, month: month, year: year.map { $0 < 100 ? 2000 + $0 : $0 })
            index += 1
            return true
        case .ordinalDigits, .number:
            return matchDayMonth()
        case .clock:
            return false
        case .word(let text):
            return matchDateWord(text)
        }
    }

    private mutating func matchDateWord(_ text: String) -> Bool {
        switch text {
        case "heute":
            setRelative(0)
            return true
        case "uebermorgen":
            setRelative(2)
            return true
        case "gestern":
            setRelative(-1)
            return true
        case "vorgestern":
            setRelative(-2)
            return true
        case "morgen":
            let previous = index > 0 ? tokens[index - 1].word : nil
            let morningOfNamedDay = previous == "heute" || previous == "am" || previous == "gestern"
                || previous.map { Self.weekdays[$0] != nil } == true
            if morningOfNamedDay {
                result.daypart = .early
                index += 1
            } else {
                setRelative(1)
                if word() == "frueh" || word() == "morgen" || word() == "morgens" {
                    result.daypart = .early
                    index += 1
                }
            }
            return true
        case "in":
            return matchOffset()
        case "anfang", "anfangs": return setPart(.start)
        case "mitte": return setPart(.middle)
        case "ende", "ausgangs": return setPart(.end)
        case "woche": return matchWeek(offset: 0)
        case "wochenende":
            result.date = .weekend(ambiguousNext: false)
            index += 1
            return true
        case "monat", "monats":
            result.date = .month(month: nil, offset: 0, part: pendingPart ?? .whole)
            pendingPart = nil
            index += 1
            return true
        default:
            break
        }
        if let weekday = Self.weekdays[text] ?? Self.weekdays[String(text.dropLast())].flatMap({ text.hasSuffix("s") ? $0 : nil }) {
            return matchWeekday(weekday, modifier: .none, consumed: 1)
        }
        if let (weekday, daypart) = Self.weekdayCompound(text) {
            result.daypart = daypart
            return matchWeekday(weekday, modifier: .none, consumed: 1)
        }
        if let modifier = Self.modifier(text) { return matchModified(modifier) }
        if let value = GermanNumbers.ordinal(text), value <= 31 { return matchDayMonth() }
        if let monthValue = Self.months[text], let part = pendingPart {
            result.date = .month(month: monthValue, offset: 0, part: part)
            pendingPart = nil
            index += 1
            return true
        }
        if let kind = Self.holidayNames[text] {
            result.date = .holiday(kind)
            index += 1
            return true
        }
        return matchHolidayPhrase(text)
    }

    private mutating func setRelative(_ days: Int) {
        result.date = .relative(days: days)
        index += 1
    }

    private mutating func setPart(_ part: ParsedPhrase.Part) -> Bool {
        pendingPart = part
        index += 1
        return true
    }

    /// `Montagmorgen`, `dienstagnachmittag`, `freitagabend`.
    static func weekdayCompound(_ text: String) -> (Int, ParsedPhrase.Daypart)? {
        for (name, weekday) in weekdays where text.hasPrefix(name) && text.count > name.count {
            let rest = String(text.dropFirst(name.count))
            if rest == "morgen" || rest == "frueh" { return (weekday, .early) }
            if let daypart = dayparts[rest] { return (weekday, daypart) }
        }
        return nil
    }

    /// `diesen`, `kommenden`, `nächsten`, `übernächsten` in any inflection.
    static func modifier(_ text: String) -> ParsedPhrase.WeekdayModifier? {
        if startsWith(text, ["uebernaechst"]) { return .afterNext }
        if startsWith(text, ["naechst"]) { return .next }
        if startsWith(text, ["kommend"]) { return .coming }
        if ["diese", "diesen", "dieser", "diesem", "dieses", "kommende"].contains(text) { return text.hasPrefix("k") ? .coming : .this }
        return nil
    }

    /// A modifier followed by a weekday, `Woche`, `Wochenende` or `Monat(s)`.
    private mutating func matchModified(_ modifier: ParsedPhrase.WeekdayModifier) -> Bool {
        guard let next = word(1) else { return false }
        if let weekday = Self.weekdays[next] {
            index += 1
            return matchWeekday(weekday, modifier: modifier, consumed: 1)
        }
        if let (weekday, daypart) = Self.weekdayCompound(next) {
            result.daypart = daypart
            index += 1
            return matchWeekday(weekday, modifier: modifier, consumed: 1)
        }
        let weeks: Int
        switch modifier {
        case .this, .none: weeks = 0
        case .coming, .next: weeks = 1
        case .afterNext: weeks = 2
        case .week(let value): weeks = value
        }
        switch next {
        case "woche":
            index += 1
            return matchWeek(offset: weeks)
        case "wochenende":
            result.date = .weekend(ambiguousNext: modifier == .next)
            if modifier == .afterNext { result.date = .week(offset: 1, part: .end) }
            index += 2
            return true
        case "monat", "monats":
            result.date = .month(month: nil, offset: min(weeks, 2), part: pendingPart ?? .whole)
            pendingPart = nil
            index += 2
            return true
        default:
            return false
        }
    }

    private mutating func matchWeek(offset: Int) -> Bool {
        result.date = .week(offset: offset, part: pendingPart ?? .whole)
        pendingPart = nil
        index += 1
        return true
    }

    /// A weekday at the current position (after `consumed` tokens), with what may follow: `nächster Woche`,
    /// `in einer Woche`, or an explicit date to check it against (`Dienstag, den 3. März`).
    private mutating func matchWeekday(_ weekday: Int, modifier: ParsedPhrase.WeekdayModifier, consumed: Int) -> Bool {
        index += consumed
        var modifier = modifier
        if modifier == .none, case .week(let weeks, .whole)? = result.date { modifier = .week(weeks) }  // `nächste Woche Dienstag`
        if let next = word(), let weekModifier = Self.modifier(next), word(1) == "woche" {
            switch weekModifier {
            case .this: modifier = .week(0)
            case .next, .coming: modifier = .week(1)
            case .afterNext: modifier = .week(2)
            default: break
            }
            index += 2
        }
        result.statedWeekday = weekday
        result.date = .weekday(weekday, modifier)
        // `Dienstag, den 3. März` / `Dienstag, 3.3.` / `Dienstag den dritten`
        var lookahead = 0
        if ["den", "dem", "der"].contains(word() ?? "") { lookahead = 1 }
        if case .date = token(lookahead) {
            index += lookahead
        } else if ordinal(lookahead) != nil || (number(lookahead) != nil && month(lookahead + 1) != nil) {
            index += lookahead
            _ = matchDayMonth()
        }
        return true
    }

    /// `am 3. März`, `dritten März 2027`, `am dritten Dritten`, `am Dreiundzwanzigsten`, `3 März`.
    private mutating func matchDayMonth() -> Bool {
        let day: Int
        if let value = ordinal() {
            day = value
        } else if let value = number(), (1...31).contains(value), month(1) != nil {
            day = value
        } else {
            return false
        }
        var consumed = 1
        var monthValue: Int?
        if let value = month(1) {
            monthValue = value
            consumed = 2
        } else if let value = ordinal(1), (1...12).contains(value) {
            monthValue = value
            consumed = 2
        } else if case .number(let value) = token(1), (1...12).contains(value), case .ordinalDigits = token() {
            monthValue = value
            consumed = 2
        }
        if monthValue == nil {
            // A lone ordinal is a day only after `am`/`den`/`zum`/`der` (else `erste` in "der erste Termin" would match).
            let previous = index > 0 ? tokens[index - 1].word : nil
            guard ["am", "den", "dem", "zum", "der", "bis"].contains(previous ?? "") || result.statedWeekday != nil else { return false }
        }
        var year: Int?
        if monthValue != nil, case .number(let value) = token(consumed), (2000...2100).contains(value) {
            year = value
            consumed += 1
        }
        result.date = .calendar(day: day, month: monthValue, year: year)
        index += consumed
        return true
    }

    /// `in drei Tagen`, `in acht Tagen` (= a week), `in vierzehn Tagen`, `in einer Woche`, `in zwei Wochen`, `in einem Monat`.
    private mutating func matchOffset() -> Bool {
        guard let count = number(1) else {
            if word(1) == "der", let part = word(2).flatMap({ Self.dayparts[$0] }) {  // "in der Früh"
                result.daypart = part
                index += 3
                return true
            }
            return false
        }
        guard let unit = word(2) else { return false }
        var days: Int
        if unit.hasPrefix("tag") {
            days = count == 8 ? 7 : (count == 14 || count == 15 ? 14 : count)
        } else if unit.hasPrefix("woche") {
            days = count * 7
        } else if unit.hasPrefix("monat") {
            days = count * 30
        } else {
            return false
        }
        if days > 366 { days = 366 }
        result.offsetDays += days
        result.hasOffset = true
        index += 3
        return true
    }

    /// `Tag der Arbeit`, `Tag der Deutschen Einheit`, `erster/zweiter Weihnachtstag`, `Heilige Drei Könige`.
    private mutating func matchHolidayPhrase(_ text: String) -> Bool {
        if text == "tag", word(1) == "der" {
            if word(2) == "arbeit" {
                result.date = .holiday(.tagDerArbeit)
                index += 3
                return true
            }
            if word(2) == "deutschen", word(3) == "einheit" {
                result.date = .holiday(.deutscheEinheit)
                index += 4
                return true
            }
        }
        if text == "weihnachtstag" || text == "weihnachtsfeiertag" {
            let previous = index > 0 ? tokens[index - 1] : nil
            let second = previous?.word.map { $0.hasPrefix("zweit") } == true || previous == .ordinalDigits(2)
            result.date = .holiday(second ? .zweiterWeihnachtstag : .ersterWeihnachtstag)
            index += 1
            return true
        }
        if text == "weihnachten" {
            result.date = .holiday(.ersterWeihnachtstag)
            index += 1
            return true
        }
        if text == "heilige" || text == "heiligen", word(1) == "drei" {
            result.date = .holiday(.heiligeDreiKoenige)
            index += 3
            return true
        }
        return false
    }

    // MARK: - Times

    private mutating func matchModifierWord() -> Bool {
        guard let text = word() else { return false }
        if let part = Self.dayparts[text] {
            result.daypart = part
            index += 1
            return true
        }
        switch text {
        case "mitternacht":
            storeTime(ParsedPhrase.Clock(hour: 0, minute: 0, explicit24: true))
            index += 1
            return true
        case "ab", "fruehestens", "nach":
            if text == "nach", hour(1) == nil { return false }
            pendingBound = "from"
        case "bis", "spaetestens", "vor":
            if text == "vor", hour(1) == nil { return false }
            if firstOfRange == nil { pendingBound = "until" }
        case "zwischen", "von":
            pendingBound = "between"
        case "so":
            guard word(1) == "um" || word(1) == "gegen" || hour(1) != nil else { return false }
            approximate = true
        case "rum", "herum":
            if var time = result.time {
                time.approximate = true
                result.time = time
            }
        default:
            if Self.approximateWords.contains(text) { approximate = true } else { return false }
        }
        index += 1
        return true
    }

    private mutating func matchTime() -> Bool {
        guard let (read, consumed) = readClock() else { return false }
        index += consumed
        var clock = read
        if approximate { clock.approximate = true }
        approximate = false
        if word() == "rum" || word() == "herum" {
            clock.approximate = true
            index += 1
        }
        storeTime(clock)
        return true
    }

    private mutating func storeTime(_ clock: ParsedPhrase.Clock) {
        switch pendingBound {
        case "from":
            result.bound = .from(clock)
            pendingBound = nil
        case "until":
            if let first = firstOfRange {
                result.bound = .between(first, clock)
                firstOfRange = nil
            } else {
                result.bound = .until(clock)
            }
            pendingBound = nil
        case "between":
            if let first = firstOfRange {
                result.bound = .between(first, clock)
                firstOfRange = nil
                pendingBound = nil
            } else {
                firstOfRange = clock
                if word() == "und" || word() == "bis" { index += 1 }
            }
        default:
            result.time = clock
        }
    }

    /// A clock time at the current position and how many tokens it took.
    private func readClock() -> (ParsedPhrase.Clock, Int)? {
        guard let current = token() else { return nil }
        if case .clock(let hour, let minute) = current {
            return (makeClock(hour, minute, explicit: hour > 12 || hour == 0), word(1) == "uhr" ? 2 : 1)
        }
        let text = current.word
        if text == "halb", let target = hour(1) {
            return (makeClock(target - 1, 30), 2)
        }
        if text == "dreiviertel", let target = hour(1) {
            return (makeClock(target - 1, 45), 2)
        }
        if text == "drei", word(1) == "viertel", let target = hour(2) {
            return (makeClock(target - 1, 45), 3)
        }
        if text == "viertel" {
            if word(1) == "nach", let target = hour(2) { return (makeClock(target, 15), 3) }
            if word(1) == "vor", let target = hour(2) { return (makeClock(target - 1, 45), 3) }
            if let target = hour(1) { return (makeClock(target - 1, 15), 2) }  // regional: viertel fünf = 4:15
        }
        if text == "kurz", let direction = word(1), let target = hour(2) {
            if direction == "nach" { return (makeClock(target, 5, approximate: true), 3) }
            if direction == "vor" { return (makeClock(target - 1, 55, approximate: true), 3) }
        }
        if text == "punkt" || text == "puenktlich", let target = hour(1) {
            return clockAfterHour(target, at: 1)
        }
        guard let value = number() else { return nil }
        // `fünf vor halb vier`, `zehn nach halb vier`, `zwanzig nach drei`, `zwanzig vor vier`
        if let direction = word(1), direction == "vor" || direction == "nach", (1...29).contains(value) {
            let sign = direction == "vor" ? -1 : 1
            if word(2) == "halb", let target = hour(3) {
                return (makeClock(target - 1, 30 + sign * value), 4)
            }
            if let target = hour(2), target <= 24 {
                return sign < 0 ? (makeClock(target - 1, 60 - value), 3) : (makeClock(target, value), 3)
            }
        }
        guard (0...24).contains(value) else { return nil }
        let (reading, consumed) = clockAfterHour(value, at: 0)
        if consumed > 1 { return (reading, consumed) }
        // A bare number is a time only after a lead word (`um zwei`) or before a daypart (`zehn vormittags`).
        let previous = index > 0 ? tokens[index - 1].word : nil
        let leads = previous.map { Self.timeLeads.contains($0) || Self.dayparts[$0] != nil } ?? false
        let daypartFollows = word(1).map { Self.dayparts[$0] != nil } ?? false
        guard leads || daypartFollows || value >= 13 && number(1) != nil else { return nil }
        if let minutes = number(1), (1...59).contains(minutes), month(2) == nil, value <= 24 {
            return (makeClock(value, minutes, explicit: value > 12), 2)  // `vierzehn dreißig`
        }
        return (reading, 1)
    }

    /// `<hour> Uhr [<minutes>]` at `offset`, else the hour alone (one token).
    private func clockAfterHour(_ hour: Int, at offset: Int) -> (ParsedPhrase.Clock, Int) {
        if word(offset + 1) == "uhr" {
            if let minutes = number(offset + 2), (0...59).contains(minutes), word(offset + 3) != "uhr", month(offset + 3) == nil {
                return (makeClock(hour, minutes, explicit: hour > 12 || hour == 0 || hour == 24), offset + 3)
            }
            return (makeClock(hour, 0, explicit: hour > 12 || hour == 0 || hour == 24), offset + 2)
        }
        return (makeClock(hour, 0, explicit: hour > 12 || hour == 0 || hour == 24), offset + 1)
    }

    private func makeClock(_ hour: Int, _ minute: Int, explicit: Bool = false, approximate: Bool = false) -> ParsedPhrase.Clock {
        var hour = hour
        var minute = minute
        if minute < 0 {
            minute += 60
            hour -= 1
        }
        if minute >= 60 {
            minute -= 60
            hour += 1
        }
        if hour <= 0 && !explicit { hour += 12 }  // `halb eins` = 12:30
        if hour == 24 { hour = 0 }
        return ParsedPhrase.Clock(hour: hour % 24, minute: minute, explicit24: explicit || hour > 12, approximate: approximate)
    }
}
