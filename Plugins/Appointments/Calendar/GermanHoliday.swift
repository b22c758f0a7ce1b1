/// German public holidays: the nationwide ones and those of each Bundesland, including the Easter-based
/// ones (Gregorian computus).
public struct GermanHoliday: Sendable, Hashable {
    /// Every holiday the calendar knows.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case neujahr, heiligeDreiKoenige, frauentag, karfreitag, ostersonntag, ostermontag, tagDerArbeit
        case himmelfahrt, pfingstsonntag, pfingstmontag, fronleichnam, friedensfest, mariaeHimmelfahrt
        case weltkindertag, deutscheEinheit, reformationstag, allerheiligen, bussUndBettag
        case heiligabend, ersterWeihnachtstag, zweiterWeihnachtstag, silvester

        /// The German name.
        public var name: String {
            switch self {
            case .neujahr: return "Neujahr"
            case .heiligeDreiKoenige: return "Heilige Drei Könige"
            case .frauentag: return "Internationaler Frauentag"
            case .karfreitag: return "Karfreitag"
            case .ostersonntag: return "Ostersonntag"
            case .ostermontag: return "Ostermontag"
            case .tagDerArbeit: return "Tag der Arbeit"
            case .himmelfahrt: return "Christi Himmelfahrt"
            case .pfingstsonntag: return "Pfingstsonntag"
            case .pfingstmontag: return "Pfingstmontag"
            case .fronleichnam: return "Fronleichnam"
            case .friedensfest: return "Augsburger Friedensfest"
            case .mariaeHimmelfahrt: return "Mariä Himmelfahrt"
            case .weltkindertag: return "Weltkindertag"
            case .deutscheEinheit: return "Tag der Deutschen Einheit"
            case .reformationstag: return "Reformationstag"
            case .allerheiligen: return "Allerheiligen"
            case .bussUndBettag: return "Buß- und Bettag"
            case .heiligabend: return "Heiligabend"
            case .ersterWeihnachtstag: return "1. Weihnachtstag"
            case .zweiterWeihnachtstag: return "2. Weihnachtstag"
            case .silvester: return "Silvester"
            }
        }

        /// The Bundesländer (ISO 3166-2:DE suffixes) where it is a public holiday; `nil` = nationwide;
        /// empty = a named day that is no legal holiday (Heiligabend, Silvester) or only local.
        var states: Set<String>? {
            switch self {
            case .neujahr, .karfreitag, .ostermontag, .tagDerArbeit, .himmelfahrt, .pfingstmontag, .deutscheEinheit,
                .ersterWeihnachtstag, .zweiterWeihnachtstag:
                return nil
            case .heiligeDreiKoenige: return ["BW", "BY", "ST"]
            case .frauentag: return ["BE", "MV"]
            case .ostersonntag, .pfingstsonntag: return ["BB"]
            case .fronleichnam: return ["BW", "BY", "HE", "NW", "RP", "SL"]
            case .mariaeHimmelfahrt: return ["SL"]
            case .weltkindertag: return ["TH"]
            case .reformationstag: return ["BB", "HB", "HH", "MV", "NI", "SN", "ST", "SH", "TH"]
            case .allerheiligen: return ["BW", "BY", "NW", "RP", "SL"]
            case .bussUndBettag: return ["SN"]
            case .friedensfest, .heiligabend, .silvester: return []
            }
        }

        /// Its date in `year`.
        public func date(in year: Int) -> LocalDate {
            let easter = GermanHoliday.easterSunday(year)
            switch self {
            case .neujahr: return LocalDate(year, 1, 1)
            case .heiligeDreiKoenige: return LocalDate(year, 1, 6)
            case .frauentag: return LocalDate(year, 3, 8)
            case .karfreitag: return easter.adding(days: -2)
            case .ostersonntag: return easter
            case .ostermontag: return easter.adding(days: 1)
            case .tagDerArbeit: return LocalDate(year, 5, 1)
            case .himmelfahrt: return easter.adding(days: 39)
            case .pfingstsonntag: return easter.adding(days: 49)
            case .pfingstmontag: return easter.adding(days: 50)
            case .fronleichnam: return easter.adding(days: 60)
            case .friedensfest: return LocalDate(year, 8, 8)
            case .mariaeHimmelfahrt: return LocalDate(year, 8, 15)
            case .weltkindertag: return LocalDate(year, 9, 20)
            case .deutscheEinheit: return LocalDate(year, 10, 3)
            case .reformationstag: return LocalDate(year, 10, 31)
            case .allerheiligen: return LocalDate(year, 11, 1)
            case .bussUndBettag:
                // The Wednesday before 23 November.
                let anchor = LocalDate(year, 11, 23)
                let back = (anchor.weekday - 3 + 7) % 7
                return anchor.adding(days: back == 0 ? -7 : -back)
            case .heiligabend: return LocalDate(year, 12, 24)
            case .ersterWeihnachtstag: return LocalDate(year, 12, 25)
            case .zweiterWeihnachtstag: return LocalDate(year, 12, 26)
            case .silvester: return LocalDate(year, 12, 31)
            }
        }
    }

    public var kind: Kind
    public var date: LocalDate

    /// The legal holidays of `year` in the Bundesland `state` (e.g. `BY`; `nil` = nationwide only).
    public static func holidays(in year: Int, state: String?) -> [GermanHoliday] {
        Kind.allCases.compactMap { kind in
            guard let states = kind.states else { return GermanHoliday(kind: kind, date: kind.date(in: year)) }
            guard let state, states.contains(state.uppercased()) else { return nil }
            return GermanHoliday(kind: kind, date: kind.date(in: year))
        }
    }

    /// The legal holiday on `date` in `state`, if any.
    public static func holiday(on date: LocalDate, state: String?) -> GermanHoliday? {
        holidays(in: date.year, state: state).first { $0.date == date }
    }

    /// The Bundesland codes the calendar accepts.
    public static let states = ["BW", "BY", "BE", "BB", "HB", "HH", "HE", "MV", "NI", "NW", "RP", "SL", "SN", "ST", "SH", "TH"]

    /// Easter Sunday of `year` (anonymous Gregorian algorithm).
    public static func easterSunday(_ year: Int) -> LocalDate {
        let a = year % 19, b = year / 100, c = year % 100
        let d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4, k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        return LocalDate(year, month, day)
    }
}
