import Foundation
import Testing

@testable import Appointments

/// The spec's checklist (§2.2) as a table, resolved at Monday 2026-03-02 10:00 Europe/Berlin against
/// opening hours Monday–Friday 08:00–12:00 and 13:00–18:00.
@Suite struct GermanDateTimeTests {
    static let berlin = TimeZone(identifier: "Europe/Berlin")!
    static let now = ISO8601DateFormatter().date(from: "2026-03-02T09:00:00Z")!
    static let resolver = DateTimeResolver(
        timeZone: berlin,
        spans: Dictionary(uniqueKeysWithValues: (1...5).map { ($0, DateTimeResolver.DaySpan(open: 8 * 60, close: 18 * 60)) }))

    /// One row: the phrase and the expected candidates as `"date time"` (`-` for none).
    struct Case: CustomTestStringConvertible, Sendable {
        var phrase: String
        var expected: [String]
        var confirm = false
        /// `"time 13:00-18:00"`, `"date 2026-03-09-2026-03-10"`, or nil for no window.
        var window: String?

        var testDescription: String { phrase }
    }

    static func c(_ phrase: String, _ expected: String..., confirm: Bool = false, window: String? = nil) -> Case {
        Case(phrase: phrase, expected: expected, confirm: confirm, window: window)
    }

    static let cases: [Case] = [
        // Relative days and dayparts
        c("heute", "2026-03-02 -"),
        c("morgen", "2026-03-03 -"),
        c("übermorgen", "2026-03-04 -"),
        c("uebermorgen", "2026-03-04 -"),
        c("heute Nachmittag", "2026-03-02 -", window: "time 13:00-18:00"),
        c("heute Abend", "2026-03-02 -", window: "time 17:00-21:00"),
        c("morgen früh", "2026-03-03 -", window: "time 07:00-10:00"),
        c("morgen Vormittag", "2026-03-03 -", window: "time 08:00-12:00"),
        c("heute Morgen", "2026-03-02 -", window: "time 07:00-10:00"),
        c("Vormittag", "- -", window: "time 08:00-12:00"),
        c("mittags", "- -", window: "time 11:30-14:00"),
        // Weekdays
        c("am Donnerstag", "2026-03-05 -"),
        c("Freitag", "2026-03-06 -"),
        c("Sonnabend", "2026-03-07 -"),
        c("Montag", "2026-03-09 -", confirm: true),
        c("diesen Donnerstag", "2026-03-05 -"),
        c("kommenden Freitag", "2026-03-06 -"),
        c("nächsten Dienstag", "2026-03-03 -", "2026-03-10 -"),
        c("naechsten Dienstag", "2026-03-03 -", "2026-03-10 -"),
        c("übernächsten Dienstag", "2026-03-10 -", "2026-03-17 -"),
        c("nächsten Montag", "2026-03-09 -"),
        c("Dienstag nächster Woche", "2026-03-10 -"),
        c("nächste Woche Dienstag", "2026-03-10 -"),
        c("Montagmorgen", "2026-03-09 -", confirm: true, window: "time 07:00-10:00"),
        c("Dienstagnachmittag", "2026-03-03 -", window: "time 13:00-18:00"),
        // Weeks, weekends, months
        c("nächste Woche", "2026-03-09 -", window: "date 2026-03-09-2026-03-13"),
        c("diese Woche", "2026-03-02 -", window: "date 2026-03-02-2026-03-06"),
        c("übernächste Woche", "2026-03-16 -", window: "date 2026-03-16-2026-03-20"),
        c("Anfang nächster Woche", "2026-03-09 -", window: "date 2026-03-09-2026-03-10"),
        c("Mitte nächster Woche", "2026-03-11 -", window: "date 2026-03-10-2026-03-12"),
        c("Ende nächster Woche", "2026-03-12 -", window: "date 2026-03-12-2026-03-13"),
        c("Ende der Woche", "2026-03-05 -", window: "date 2026-03-05-2026-03-06"),
        c("am Wochenende", "2026-03-07 -", window: "date 2026-03-07-2026-03-08"),
        c("dieses Wochenende", "2026-03-07 -", window: "date 2026-03-07-2026-03-08"),
        c("nächstes Wochenende", "2026-03-07 -", "2026-03-14 -"),
        c("Ende des Monats", "2026-03-21 -", window: "date 2026-03-21-2026-03-31"),
        c("Ende März", "2026-03-21 -", window: "date 2026-03-21-2026-03-31"),
        c("Anfang April", "2026-04-01 -", window: "date 2026-04-01-2026-04-10"),
        c("Mitte Mai", "2026-05-11 -", window: "date 2026-05-11-2026-05-20"),
        // Offsets
        c("in drei Tagen", "2026-03-05 -"),
        c("in einer Woche", "2026-03-09 -"),
        c("in acht Tagen", "2026-03-09 -"),
        c("heute in acht Tagen", "2026-03-09 -"),
        c("in zwei Wochen", "2026-03-16 -"),
        c("in vierzehn Tagen", "2026-03-16 -"),
        c("Mittwoch in einer Woche", "2026-03-11 -"),
        c("Mittwoch in acht Tagen", "2026-03-11 -"),
        // Calendar dates
        c("am 3. März", "2026-03-03 -"),
        c("am dritten März", "2026-03-03 -"),
        c("am dritten Dritten", "2026-03-03 -"),
        c("3.3.", "2026-03-03 -"),
        c("03.03.", "2026-03-03 -"),
        c("3.3.26", "2026-03-03 -"),
        c("3.3.2026", "2026-03-03 -"),
        c("am Dreiundzwanzigsten", "2026-03-23 -"),
        c("am Zwoundzwanzigsten", "2026-03-22 -"),
        c("am ersten März", "2027-03-01 -", confirm: true),
        c("am zweiten Juno", "2026-06-02 -"),
        c("am fünften Julei", "2026-07-05 -"),
        c("am zwoten April", "2026-04-02 -"),
        c("am siebten April", "2026-04-07 -"),
        c("am zehnten Jänner", "2027-01-10 -", confirm: true),
        c("Mittwoch, der 3. März", "2026-03-03 -", confirm: true),
        c("Dienstag, den 3. März", "2026-03-03 -"),
        c("am 31. Februar"),
        c("Ostermontag", "2026-04-06 -", confirm: true),
        c("Tag der Arbeit", "2026-05-01 -", confirm: true),
        c("2026-03-10T09:00", "2026-03-10 09:00"),
        // Times
        c("um 14 Uhr", "- 14:00"),
        c("vierzehn Uhr", "- 14:00"),
        c("14:30 Uhr", "- 14:30"),
        c("14.30 Uhr", "- 14:30"),
        c("vierzehn Uhr dreißig", "- 14:30"),
        c("vierzehn dreißig", "- 14:30"),
        c("14 Uhr dreißig", "- 14:30"),
        c("vierzehn Uhr fünf", "- 14:05"),
        c("sechszehn Uhr", "- 16:00"),
        c("um zwei", "- 14:00"),
        c("um zwo", "- 14:00"),
        c("zwei Uhr nachmittags", "- 14:00"),
        c("zwei Uhr am Nachmittag", "- 14:00"),
        c("zehn Uhr vormittags", "- 10:00"),
        c("morgens um zehn", "- 10:00"),
        c("acht Uhr abends", "- 20:00"),
        c("abends um acht", "- 20:00"),
        c("um halb drei", "- 14:30"),
        c("halb eins", "- 12:30"),
        c("Viertel nach vier", "- 16:15"),
        c("Viertel vor fünf", "- 16:45"),
        c("viertel fünf", "- 16:15"),
        c("dreiviertel fünf", "- 16:45"),
        c("drei viertel fünf", "- 16:45"),
        c("zwanzig nach drei", "- 15:20"),
        c("zehn vor halb vier", "- 15:20"),
        c("fünf vor halb vier", "- 15:25"),
        c("fünf nach halb vier", "- 15:35"),
        c("zehn nach halb vier", "- 15:40"),
        c("zwanzig vor vier", "- 15:40"),
        c("kurz nach drei", "- 15:05", window: "time 14:35-15:35"),
        c("kurz vor drei", "- 14:55", window: "time 14:25-15:25"),
        c("Punkt drei", "- 15:00"),
        c("gegen drei", "- 15:00", window: "time 14:30-15:30"),
        c("so gegen drei", "- 15:00", window: "time 14:30-15:30"),
        c("drei Uhr rum", "- 15:00", window: "time 14:30-15:30"),
        c("zwölf Uhr mittags", "- 12:00"),
        c("Mitternacht", "- 00:00", confirm: true),
        c("vierundzwanzig Uhr", "- 00:00", confirm: true),
        c("um eins", "- 13:00"),
        c("ein Uhr", "- 13:00"),
        c("um 9.", "- 09:00"),
        c("um sieben", "- 07:00", "- 19:00"),
        c("zwischen zehn und zwölf", "- 10:00", window: "time 10:00-12:00"),
        c("von zwei bis vier", "- 14:00", window: "time 14:00-16:00"),
        c("ab 16 Uhr", "- 16:00", window: "time 16:00-"),
        c("frühestens um 16 Uhr", "- 16:00", window: "time 16:00-"),
        c("bis 12 Uhr", "- -", window: "time 08:00-12:00"),
        // Combinations
        c("morgen um halb drei", "2026-03-03 14:30"),
        c("Dienstag um 14:30", "2026-03-03 14:30"),
        c("Freitag um Viertel nach zehn", "2026-03-06 10:15"),
        c("am 3.3. um 14 Uhr", "2026-03-03 14:00"),
        c("heute um neun", "2026-03-02 09:00", confirm: true),
        c("nächsten Dienstag um sieben", "2026-03-03 07:00", "2026-03-03 19:00", "2026-03-10 07:00", "2026-03-10 19:00"),
        c("ich hätte gern einen Termin, geht es am Donnerstag so um drei?", "2026-03-05 15:00", window: "time 14:30-15:30"),
        // Nothing understood
        c("ich hätte gern einen Termin"),
    ]

    @Test("German phrases resolve as the checklist says", arguments: cases)
    func resolves(_ example: Case) {
        let resolution = Self.resolver.resolve(example.phrase, now: Self.now)
        let got = resolution.candidates.map { "\($0.date?.description ?? "-") \($0.time?.description ?? "-")" }
        #expect(got == example.expected)
        #expect(resolution.ambiguous == (example.expected.count > 1))
        if example.expected.count == 1 {
            #expect(resolution.confirm == example.confirm, "confirm: \(resolution.reason ?? "no reason")")
        }
        if resolution.confirm || resolution.ambiguous || example.expected.isEmpty { #expect(resolution.reason != nil) }
        if example.expected.count == 1 {
            let window: String? = switch resolution.candidates[0].window {
            case .time(let start, let end)?: "time \(start)-\(end?.description ?? "")"
            case .date(let start, let end)?: "date \(start)-\(end?.description ?? "")"
            case nil: nil
            }
            #expect(window == example.window)
        }
    }

    @Test func thereAreAtLeastEightyCases() {
        #expect(Self.cases.count >= 80)
    }

    @Test func spokenFormIsWeekdayDateAndTwentyFourHourTime() {
        let resolution = Self.resolver.resolve("morgen um halb drei", now: Self.now)
        #expect(resolution.candidates.map(\.spoken) == ["am Dienstag, dem 3. März, um 14:30 Uhr"])
        let fullHour = Self.resolver.resolve("übermorgen um zehn", now: Self.now)
        #expect(fullHour.candidates.map(\.spoken) == ["am Mittwoch, dem 4. März, um 10 Uhr"])
        let nextYear = Self.resolver.resolve("am ersten März", now: Self.now)
        #expect(nextYear.candidates.map(\.spoken) == ["am Montag, dem 1. März 2027"])
    }

    @Test func ambiguousWeekdayAsksWithBothDates() {
        let resolution = Self.resolver.resolve("nächsten Dienstag", now: Self.now)
        #expect(resolution.reason == "Meinen Sie diesen Dienstag, den 3. März, oder Dienstag nächster Woche, den 10. März?")
        let afterNext = Self.resolver.resolve("übernächsten Dienstag", now: Self.now)
        #expect(afterNext.reason == "Meinen Sie Dienstag, den 10. März, oder Dienstag, den 17. März?")
    }

    @Test func jsonHasExactlyTheDocumentedShape() throws {
        let json = Self.resolver.resolve("heute Nachmittag", now: Self.now).json
        #expect(json == [
            "ambiguous": false, "confirm": false, "reason": nil,
            "candidates": [[
                "date": "2026-03-02", "time": nil, "window": ["kind": "time", "start": "13:00", "end": "18:00"],
                "spoken": "am Montag, dem 2. März, zwischen 13 und 18 Uhr",
            ]],
        ])
    }

    @Test func openingHoursDecideMorningOrAfternoon() {
        // A practice open only in the evening reads "um sieben" as 19:00.
        let evening = DateTimeResolver(timeZone: Self.berlin, spans: [1: .init(open: 16 * 60, close: 21 * 60)])
        #expect(evening.resolve("um sieben", now: Self.now).candidates.map { $0.time?.description } == ["19:00"])
    }

    @Test func numberWords() {
        #expect(GermanNumbers.cardinal("siebenundfünfzig".lowercased().replacingOccurrences(of: "ü", with: "ue")) == 57)
        #expect(GermanNumbers.cardinal("einunddreissig") == 31)
        #expect(GermanNumbers.cardinal("einsundzwanzig") == nil)
        #expect(GermanNumbers.ordinal("einunddreissigsten") == 31)
        #expect(GermanNumbers.ordinal("siebenten") == 7)
        #expect(GermanNumbers.ordinal("acht") == nil)
        #expect(GermanNumbers.ordinal("achten") == 8)
    }
}
