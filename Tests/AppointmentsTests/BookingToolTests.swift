import Foundation
import Host
import PluginAPI
import SQLKit
import SwitchboardTesting
import Testing

@testable import Appointments

/// The booking tools through the real tool router, on SQLite and (when available) PostgreSQL.
@Suite struct BookingToolTests {
    typealias F = AppointmentsFixtures

    @Test(arguments: try TestFixtures.databases())
    func checkBookFindRescheduleCancel(database: String?) async throws {
        let runtime = try await F.runtime(database: database)
        defer { Task { await runtime.shutdown() } }

        let check = try await F.run(runtime, "check_availability", ["service": "Kontrolle", "date_time": "morgen um halb drei"])
        #expect(check.value["available"] == true)
        #expect(check.value["message"] == "Der Termin am Dienstag, dem 3. März, um 14:30 Uhr ist frei.")
        let start = try #require(check.value["slots"]?[0]?["start"]?.stringValue)
        #expect(start == "2026-03-03T14:30:00+01:00")

        let booked = try await F.run(runtime, "book_appointment", ["name": "Jürgen Weiß", "service": "kontrolle", "slot": .string(start)])
        #expect(!booked.isError)
        #expect(booked.value["confirmation"] == "Termin gebucht für 03.03.2026 14:30 Uhr")
        #expect(booked.value["appointment"]?["customer_phone"] == .string(F.caller), "the phone defaults to the caller's number")
        let id = try #require(booked.value["appointment_id"]?.stringValue)

        let found = try await F.run(runtime, "find_appointments", [:])
        #expect(found.value["appointments"]?.arrayValue?.count == 1)
        #expect(found.value["message"] == "Ich sehe Kontrolluntersuchung am Dienstag, dem 3. März, um 14:30 Uhr.")

        let moved = try await F.run(runtime, "reschedule_appointment", ["appointment_id": .string(id), "new_slot": "Mittwoch um 9 Uhr"])
        #expect(!moved.isError)
        #expect(moved.value["confirmation"] == "Termin verschoben auf 04.03.2026 09:00 Uhr")

        let cancelled = try await F.run(runtime, "cancel_appointment", [:])
        #expect(cancelled.value["message"] == "Der Termin am Mittwoch, dem 4. März, um 9 Uhr ist storniert.")
        let none = try await F.run(runtime, "find_appointments", [:])
        #expect(none.value["appointments"] == [])
    }

    @Test(arguments: try TestFixtures.databases())
    func aTakenSlotGetsAlternativesAndBuffersAreKept(database: String?) async throws {
        let runtime = try await F.runtime(database: database)
        defer { Task { await runtime.shutdown() } }
        // Beratung: 45 minutes plus 15 minutes buffer, only Dr. Berg.
        let first = try await F.run(runtime, "book_appointment", ["name": "A", "service": "Beratung", "slot": "2026-03-03T09:00:00+01:00"])
        #expect(!first.isError)
        let second = try await F.run(runtime, "book_appointment", ["name": "B", "service": "Beratung", "slot": "2026-03-03T09:00:00+01:00"])
        #expect(second.isError)
        let alternatives = try #require(second.value["alternatives"]?.arrayValue)
        #expect(alternatives.count == 3)
        #expect(!alternatives.contains { $0["start"] == "2026-03-03T09:00:00+01:00" })
        // The buffer keeps Dr. Berg busy until 10:00: a Kontrolle with her at 09:45 is not possible, at 10:00 it is.
        let early = try await F.run(runtime, "book_appointment", ["name": "C", "service": "kontrolle", "staff": "Berg", "slot": "2026-03-03T09:45:00+01:00"])
        #expect(early.isError)
        let onTime = try await F.run(runtime, "book_appointment", ["name": "C", "service": "kontrolle", "staff": "Berg", "slot": "2026-03-03T10:00:00+01:00"])
        #expect(!onTime.isError)
        // Without a staff wish the other doctor takes 09:00.
        let other = try await F.run(runtime, "book_appointment", ["name": "D", "service": "kontrolle", "slot": "2026-03-03T09:00:00+01:00"])
        #expect(other.value["appointment"]?["staff_id"] == "dr-yilmaz")
    }

    @Test(arguments: try TestFixtures.databases())
    func seedArgumentNamesWork(database: String?) async throws {
        let runtime = try await F.runtime(database: database)
        defer { Task { await runtime.shutdown() } }
        let result = try await F.run(runtime, "book_appointment", [
            "customer_name": "Kim Schneider", "customer_phone": "0170 1234567", "service_id": "kontrolle", "staff_id": "dr-yilmaz",
            "start_time": "2026-03-05 14:00", "duration": 20,
        ])
        #expect(!result.isError)
        #expect(result.value["confirmation"] == "Termin gebucht für 05.03.2026 14:00 Uhr")
        #expect(result.value["appointment"]?["customer_phone"] == "+491701234567")
        #expect(result.value["appointment"]?["end"] == "2026-03-05T13:20:00Z")
    }

    @Test(arguments: try TestFixtures.databases())
    func hundredConcurrentBookingsForOneSlotLetExactlyOneWin(database: String?) async throws {
        let runtime = try await F.runtime(database: database)
        defer { Task { await runtime.shutdown() } }
        let results = try await withThrowingTaskGroup(of: ToolResult.self) { group in
            for number in 0..<100 {
                group.addTask {
                    try await F.run(runtime, "book_appointment", [
                        "name": .string("Anrufer \(number)"), "phone": .string("+4917000000\(100 + number)"), "service": "beratung",
                        "slot": "2026-03-04T14:00:00+01:00",
                    ])
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let winners = results.filter { !$0.isError }
        #expect(winners.count == 1)
        let losers = results.filter(\.isError)
        #expect(losers.count == 99)
        #expect(losers.allSatisfy { ($0.value["alternatives"]?.arrayValue?.count ?? 0) > 0 })
        let rows = try await runtime.database.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("appointments")
            .where("status", .equal, SQLBind("booked")).first()
        #expect(try rows?.decode(column: "n", as: Int.self) == 1)
    }

    @Test(arguments: try TestFixtures.databases())
    func collectInfoTracksWhatIsMissing(database: String?) async throws {
        let runtime = try await F.runtime(database: database)
        defer { Task { await runtime.shutdown() } }
        let call = "call-collect"
        let first = try await F.run(runtime, "collect_appointment_info", ["service": "Check-up"], call: call)
        #expect(first.value["missing"] == ["date_time", "name"])
        #expect(first.value["collected"]?["phone"] == .string(F.caller))
        #expect(first.value["next_question"] == "Für wann hätten Sie gern einen Termin?")
        let second = try await F.run(runtime, "collect_appointment_info", ["date_time": "Donnerstag um 15 Uhr", "name": "Frau Weiß"], call: call)
        #expect(second.value["complete"] == true)
        // book_appointment uses what was collected.
        let booked = try await F.run(runtime, "book_appointment", [:], call: call)
        #expect(booked.value["confirmation"] == "Termin gebucht für 05.03.2026 15:00 Uhr")
    }

    @Test(arguments: try TestFixtures.databases())
    func ambiguousPhrasesAreAskedBack(database: String?) async throws {
        let runtime = try await F.runtime(database: database)
        defer { Task { await runtime.shutdown() } }
        let check = try await F.run(runtime, "check_availability", ["service": "Kontrolle", "date_time": "nächsten Dienstag"])
        #expect(check.value["needs_clarification"] == true)
        let book = try await F.run(runtime, "book_appointment", ["name": "X", "service": "Kontrolle", "slot": "um sieben"])
        #expect(book.value["needs_clarification"] == true)
        let closed = try await F.run(runtime, "check_availability", ["service": "Kontrolle", "date_time": "am 12. März"])
        #expect(closed.value["message"]?.stringValue?.hasPrefix("Am Donnerstag, dem 12. März ist geschlossen (Fortbildung).") == true)
    }

    @Test func resolveDatetimeRunsWithoutACall() async throws {
        let runtime = try await F.runtime(database: nil)
        defer { Task { await runtime.shutdown() } }
        let result = try await F.run(runtime, "resolve_datetime", ["phrase": "morgen um halb drei"], from: nil)
        #expect(result.value == [
            "ambiguous": false, "confirm": false, "reason": nil,
            "candidates": [["date": "2026-03-03", "time": "14:30", "window": nil, "spoken": "am Dienstag, dem 3. März, um 14:30 Uhr"]],
        ])
    }

    @Test func promptVariablesAndReadEndpoint() async throws {
        let runtime = try await F.runtime(database: nil)
        defer { Task { await runtime.shutdown() } }
        let agent = try #require(runtime.catalog.agent("praxis"))
        let skill = try #require(agent.skills.first?.skill)
        let context = HookContext(
            agentID: "praxis", timeZone: agent.timeZone, clock: .fixed(F.now), logger: TestFixtures.quietLogger, storage: runtime.database,
            jobs: runtime.jobs, services: runtime.services)
        let variables = try await skill.promptVariables(for: CallInfo(callID: "c", agentID: "praxis"), context: context)
        #expect(variables["name"] == "Praxis Test")
        #expect(variables["today"] == "Montag, 2. März 2026")
        #expect(variables["services"] == "Kontrolluntersuchung (30 Minuten), Beratung (45 Minuten)")
        #expect(variables["opening_hours"]?.stringValue?.hasPrefix("Montag: 08:00–12:00 und 14:00–18:00;") == true)
        #expect(agent.timeZone.identifier == "Europe/Berlin")

        _ = try await F.run(runtime, "book_appointment", ["name": "A", "service": "Beratung", "slot": "2026-03-03T09:00:00+01:00"])
        let endpoint = try #require(skill.readEndpoints.first { $0.name == "appointments" })
        let listing = try await endpoint.handle(["agent": "praxis"], runtime.database)
        #expect(listing["appointments"]?.arrayValue?.count == 1)
        #expect(listing["appointments"]?[0]?["service"] == "Beratung")
    }
}
