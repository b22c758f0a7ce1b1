import Foundation

/// Turns what a German caller says into dates and times relative to "now" in the business's timezone,
/// using the opening hours to choose between the morning and afternoon readings of `um halb drei`.
public struct DateTimeResolver: Sendable {
    /// From the first opening to the last closing of a weekday, in minutes after midnight (breaks ignored).
    public struct DaySpan: Sendable, Hashable {
        public var open: Int
        public var close: Int
        public init(open: Int, close: Int) {
            self.open = open
            self.close = close
        }
    }

    public var timeZone: TimeZone
    /// Weekday (1 = Monday … 7 = Sunday) → span; a missing weekday is closed.
    public var spans: [Int: DaySpan]

    /// A resolver for `timeZone`; `spans` default to Monday–Friday 08:00–18:00.
    public init(timeZone: TimeZone, spans: [Int: DaySpan]? = nil) {
        self.timeZone = timeZone
        self.spans = spans ?? Dictionary(uniqueKeysWithValues: (1...5).map { ($0, DaySpan(open: 480, close: 1080)) })
    }

    /// The span over every open weekday.
    var anySpan: DaySpan {
        guard let open = spans.values.map(\.open).min(), let close = spans.values.map(\.close).max() else {
            return DaySpan(open: 480, close: 1080)
        }
        return DaySpan(open: open, close: close)
    }

    /// What `phrase` means at `now`.
    public func resolve(_ phrase: String, now: Date) -> DateTimeResolution {
        resolve(GermanDateTimeParser.parse(phrase), now: now)
    }

    func resolve(_ parsed: ParsedPhrase, now: Date) -> DateTimeResolution {
        guard !parsed.isEmpty else {
            return DateTimeResolution(ambiguous: false, confirm: false, reason: "Kein Datum und keine Uhrzeit erkannt.", candidates: [])
        }
        let today = LocalDate(now, in: timeZone)
        let nowTime = LocalTime(now, in: timeZone)
        var notes = Notes()
        let days = resolveDays(parsed, today: today, notes: &notes)
        if parsed.date != nil || parsed.hasOffset, days.isEmpty {
            return DateTimeResolution(ambiguous: false, confirm: false, reason: notes.text ?? "Dieses Datum gibt es nicht.", candidates: [])
        }
        var candidates: [DateTimeResolution.Candidate] = []
        for day in days.isEmpty ? [nil] : days.map(Optional.some) {
            let span = day.flatMap { spans[$0.date.weekday] } ?? anySpan
            for time in resolveTimes(parsed, span: span, notes: &notes) {
                candidates.append(candidate(day: day, time: time, today: today))
                if let date = day?.date, let point = time.time {
                    if date == today, point < nowTime { notes.confirm("Diese Uhrzeit ist heute schon vorbei.") }
                }
            }
        }
        var unique: [DateTimeResolution.Candidate] = []
        for candidate in candidates where !unique.contains(candidate) { unique.append(candidate) }
        let ambiguous = unique.count > 1
        return DateTimeResolution(
            ambiguous: ambiguous, confirm: notes.mustConfirm, reason: ambiguous ? notes.question ?? notes.text : notes.text,
            candidates: unique)
    }

    // MARK: - Days

    struct Day: Hashable {
        var date: LocalDate
        var range: (start: LocalDate, end: LocalDate)?

        static func == (lhs: Day, rhs: Day) -> Bool {
            lhs.date == rhs.date && lhs.range?.start == rhs.range?.start && lhs.range?.end == rhs.range?.end
        }
        func hash(into hasher: inout Hasher) { hasher.combine(date) }
    }

    /// Why the agent should ask or confirm.
    struct Notes {
        var question: String?
        var reasons: [String] = []
        var mustConfirm = false

        mutating func confirm(_ reason: String) {
            mustConfirm = true
            if !reasons.contains(reason) { reasons.append(reason) }
        }

        mutating func ask(_ text: String) {
            if question == nil { question = text } else if question != text { question! += " " + text }
        }

        var text: String? {
            let all = (question.map { [$0] } ?? []) + reasons
            return all.isEmpty ? nil : all.joined(separator: " ")
        }
    }

    private func resolveDays(_ parsed: ParsedPhrase, today: LocalDate, notes: inout Notes) -> [Day] {
        let offset = parsed.offsetDays
        guard let spec = parsed.date else {
            return parsed.hasOffset ? [Day(date: today.adding(days: offset))] : []
        }
        let say = { (date: LocalDate) in GermanSpeech.day(date, currentYear: today.year) }
        switch spec {
        case .relative(let days):
            if days < 0 { notes.confirm("Dieser Tag liegt in der Vergangenheit.") }
            return [Day(date: today.adding(days: days + offset))]
        case .weekday(let weekday, let modifier):
            let ahead = (weekday - today.weekday + 7) % 7
            let upcoming = today.adding(days: ahead == 0 ? 7 : ahead)
            let inNextWeek = today.startOfWeek.adding(days: 7 + weekday - 1)
            var dates: [LocalDate]
            switch modifier {
            case .none:
                dates = [upcoming]
                if ahead == 0 { notes.confirm("Heute ist selbst \(GermanSpeech.weekday(today)); gemeint ist wohl \(say(upcoming)).") }
            case .coming:
                dates = [upcoming]
            case .this:
                let inThisWeek = today.startOfWeek.adding(days: weekday - 1)
                if inThisWeek >= today {
                    dates = [inThisWeek]
                } else {
                    dates = [upcoming]
                    notes.confirm("\(GermanSpeech.weekday(upcoming)) dieser Woche ist schon vorbei; gemeint ist wohl \(say(upcoming)).")
                }
            case .next, .afterNext:
                let extra = modifier == .afterNext ? 7 : 0
                dates = [upcoming.adding(days: extra)]
                if inNextWeek.adding(days: extra) != dates[0] {
                    dates.append(inNextWeek.adding(days: extra))
                    let name = GermanSpeech.weekdayNames[weekday - 1]
                    let (first, second) = (GermanSpeech.date(dates[0], currentYear: today.year), GermanSpeech.date(dates[1], currentYear: today.year))
                    if dates[0] < today.startOfWeek.adding(days: 7) {
                        notes.ask("Meinen Sie diesen \(name), den \(first), oder \(name) nächster Woche, den \(second)?")
                    } else {
                        notes.ask("Meinen Sie \(name), den \(first), oder \(name), den \(second)?")
                    }
                }
            case .week(let weeks):
                let date = today.startOfWeek.adding(days: 7 * weeks + weekday - 1)
                if date < today { notes.confirm("Dieser Tag liegt in der Vergangenheit.") }
                dates = [date]
            }
            return dates.map { Day(date: $0.adding(days: offset)) }
        case .calendar(let day, let month, let year):
            return calendarDay(day: day, month: month, year: year, stated: parsed.statedWeekday, today: today, notes: &notes)
                .map { [Day(date: $0.adding(days: offset))] } ?? []
        case .week(let weeks, let part):
            let monday = today.startOfWeek.adding(days: 7 * weeks)
            let lastOpen = (1...7).last { spans[$0] != nil } ?? 5
            var start: LocalDate, end: LocalDate, anchor: LocalDate?
            switch part {
            case .whole: (start, end) = (monday, monday.adding(days: max(lastOpen, 5) - 1))
            case .start: (start, end) = (monday, monday.adding(days: 1))
            case .middle: (start, end, anchor) = (monday.adding(days: 1), monday.adding(days: 3), monday.adding(days: 2))
            case .end: (start, end) = (monday.adding(days: 3), monday.adding(days: spans[6] != nil ? 5 : 4))
            }
            if start < today { start = min(today, end) }
            return [Day(date: max(anchor ?? start, start), range: (start, end))]
        case .weekend(let ambiguousNext):
            let saturday = today.weekday == 7 ? today.adding(days: -1) : today.startOfWeek.adding(days: 5)
            var days = [Day(date: max(saturday, today), range: (max(saturday, today), saturday.adding(days: 1)))]
            if ambiguousNext {
                let following = saturday.adding(days: 7)
                days.append(Day(date: following, range: (following, following.adding(days: 1))))
                notes.ask("Meinen Sie das Wochenende ab \(say(saturday)), oder ab \(say(following))?")
            }
            return days
        case .month(let month, let monthOffset, let part):
            var year = today.year
            var target = month ?? today.month + monthOffset
            if target > 12 { target -= 12; year += 1 }
            if month != nil, target < today.month { year += 1 }
            let last = LocalDate.daysInMonth(year, target)
            let (first, final): (Int, Int)
            switch part {
            case .whole: (first, final) = (1, last)
            case .start: (first, final) = (1, 10)
            case .middle: (first, final) = (11, 20)
            case .end: (first, final) = (21, last)
            }
            var start = LocalDate(year, target, first)
            let end = LocalDate(year, target, final)
            if end < today { notes.confirm("Dieser Zeitraum liegt in der Vergangenheit."); return [] }
            if start < today { start = today }
            return [Day(date: start, range: (start, end))]
        case .holiday(let kind):
            var date = kind.date(in: today.year)
            if date < today { date = kind.date(in: today.year + 1) }
            notes.confirm("\(say(date)) ist \(kind.name); bitte prüfen, ob geöffnet ist.")
            return [Day(date: date.adding(days: offset))]
        }
    }

    private func calendarDay(day: Int, month: Int?, year: Int?, stated: Int?, today: LocalDate, notes: inout Notes) -> LocalDate? {
        var date: LocalDate
        if let month {
            let targetYear = year ?? today.year
            guard LocalDate.isValid(targetYear, month, day) else {
                notes.confirm("Den \(day). \(GermanSpeech.monthNames[max(0, min(11, month - 1))]) gibt es nicht.")
                return nil
            }
            date = LocalDate(targetYear, month, day)
            if date < today {
                if year == nil, LocalDate.isValid(today.year + 1, month, day) {
                    date = LocalDate(today.year + 1, month, day)
                    notes.confirm("Der \(day). \(GermanSpeech.monthNames[month - 1]) ist dieses Jahr schon vorbei; gemeint ist wohl \(GermanSpeech.day(date, currentYear: today.year)).")
                } else {
                    notes.confirm("Dieses Datum liegt in der Vergangenheit.")
                }
            }
        } else {
            var candidate: LocalDate?
            var probe = LocalDate(today.year, today.month, 1)
            for _ in 0..<3 where candidate == nil {
                if LocalDate.isValid(probe.year, probe.month, day), LocalDate(probe.year, probe.month, day) >= today {
                    candidate = LocalDate(probe.year, probe.month, day)
                }
                probe = probe.adding(days: LocalDate.daysInMonth(probe.year, probe.month))
            }
            guard let candidate else { return nil }
            date = candidate
        }
        if let stated, stated != date.weekday {
            notes.confirm("Der \(date.day). \(GermanSpeech.monthNames[date.month - 1]) \(date.year) ist ein \(GermanSpeech.weekday(date)), kein \(GermanSpeech.weekdayNames[stated - 1]).")
        }
        return date
    }

    // MARK: - Times

    struct TimeOption: Hashable {
        var time: LocalTime?
        var window: DateTimeResolution.Window?
        var approximate = false
        /// How the window reads ("ab 16 Uhr"), when there is one.
        var phrase: String?
    }

    private func resolveTimes(_ parsed: ParsedPhrase, span: DaySpan, notes: inout Notes) -> [TimeOption] {
        if let bound = parsed.bound {
            switch bound {
            case .from(let clock):
                let time = pick(clock, daypart: parsed.daypart, span: span)
                return [TimeOption(time: time, window: .time(start: time, end: nil), phrase: "ab \(time.spoken) Uhr")]
            case .until(let clock):
                let time = pick(clock, daypart: parsed.daypart, span: span)
                let start = LocalTime(minutes: min(span.open, time.minutes))
                return [TimeOption(time: nil, window: .time(start: start, end: time), phrase: "bis \(time.spoken) Uhr")]
            case .between(let first, let second):
                var start = pick(first, daypart: parsed.daypart, span: span)
                var end = pick(second, daypart: parsed.daypart, span: span)
                if end < start, !second.explicit24, end.minutes + 720 < 1440 { end = LocalTime(minutes: end.minutes + 720) }
                if end < start { swap(&start, &end) }
                return [TimeOption(time: start, window: .time(start: start, end: end), phrase: "zwischen \(start.spoken) und \(end.spoken) Uhr")]
            }
        }
        guard let clock = parsed.time else {
            guard let daypart = parsed.daypart else { return [TimeOption()] }
            let (start, end) = daypart.window
            let window = DateTimeResolution.Window.time(start: LocalTime(minutes: start), end: LocalTime(minutes: end))
            return [TimeOption(window: window, phrase: "zwischen \(LocalTime(minutes: start).spoken) und \(LocalTime(minutes: end).spoken) Uhr")]
        }
        var readings: [LocalTime]
        if clock.explicit24 {
            readings = [LocalTime(clock.hour, clock.minute)]
        } else if let daypart = parsed.daypart {
            readings = [LocalTime(daypart.hour24(clock.hour), clock.minute)]
        } else {
            let morning = LocalTime(clock.hour == 12 ? 0 : clock.hour, clock.minute)
            let afternoon = LocalTime(clock.hour == 12 ? 12 : clock.hour + 12, clock.minute)
            let inside = [morning, afternoon].filter { span.open <= $0.minutes && $0.minutes < span.close }
            readings = inside.count == 1 ? inside : (clock.hour == 12 ? [afternoon, morning] : [morning, afternoon])
            if readings.count > 1 {
                notes.ask("Meinen Sie \(morning.spoken) Uhr oder \(afternoon.spoken) Uhr?")
            }
        }
        if readings.contains(where: { $0.minutes == 0 }), clock.explicit24 {
            notes.confirm("Um Mitternacht sind keine Termine möglich.")
        }
        return readings.map { time in
            guard clock.approximate else { return TimeOption(time: time) }
            let window = DateTimeResolution.Window.time(start: LocalTime(minutes: max(0, time.minutes - 30)), end: LocalTime(minutes: min(1439, time.minutes + 30)))
            return TimeOption(time: time, window: window, approximate: true)
        }
    }

    /// One reading of `clock`: explicit, by daypart, else the one inside opening hours (afternoon when both or neither are).
    private func pick(_ clock: ParsedPhrase.Clock, daypart: ParsedPhrase.Daypart?, span: DaySpan) -> LocalTime {
        if clock.explicit24 { return LocalTime(clock.hour, clock.minute) }
        if let daypart { return LocalTime(daypart.hour24(clock.hour), clock.minute) }
        let morning = LocalTime(clock.hour == 12 ? 12 : clock.hour, clock.minute)
        let afternoon = LocalTime(clock.hour == 12 ? 12 : clock.hour + 12, clock.minute)
        if span.open <= morning.minutes && morning.minutes < span.close { return morning }
        return afternoon.minutes <= span.close ? afternoon : morning
    }

    // MARK: - Candidates

    private func candidate(day: Day?, time: TimeOption, today: LocalDate) -> DateTimeResolution.Candidate {
        var window = time.window
        if let range = day?.range { window = .date(start: range.start, end: range.end) }
        var parts: [String] = []
        if let day {
            if let range = day.range, range.start != range.end {
                parts.append("zwischen \(GermanSpeech.day(range.start, currentYear: today.year)), und \(GermanSpeech.day(range.end, currentYear: today.year))")
            } else {
                parts.append("am \(GermanSpeech.day(day.date, currentYear: today.year))")
            }
        }
        if let phrase = time.phrase {
            parts.append(phrase)
        } else if let point = time.time {
            parts.append("\(time.approximate ? "gegen" : "um") \(point.spoken) Uhr")
        }
        return DateTimeResolution.Candidate(date: day?.date, time: time.time, window: window, spoken: parts.joined(separator: ", "))
    }
}
