import Foundation
import PluginAPI
import Restaurant
import SwitchboardTesting
import Testing

/// Booking tables: the rules, and the capacity check and write in one transaction.
@Suite struct ReservationTests {
    /// Friday 2026-03-13, 19:00 in San Francisco.
    static let nextFriday: JSONValue = ["date": "2026-03-13", "time": "19:00"]

    func booking(_ name: String, party: Int, _ when: JSONValue = nextFriday) -> JSONValue {
        var arguments = when.objectValue!
        arguments["name"] = .string(name)
        arguments["party_size"] = .int(party)
        return .object(arguments)
    }

    @Test(arguments: try TestFixtures.databases())
    func fiftyCallersRaceForTheLastTableAndOneWins(_ database: String?) async throws {
        let runtime = try await RestaurantFixtures.runtime(database: database)
        // Bella Napoli has seven tables; six are taken.
        for index in 0..<6 {
            let result = try await Caller(runtime: runtime, agentID: "bella-napoli").run("make_reservation", booking("Guest \(index)", party: 2))
            #expect(!result.isError)
        }
        let results = try await withThrowingTaskGroup(of: ToolResult.self) { group in
            for index in 0..<50 {
                group.addTask { try await Caller(runtime: runtime, agentID: "bella-napoli").run("make_reservation", booking("Racer \(index)", party: 2)) }
            }
            return try await group.reduce(into: [ToolResult]()) { $0.append($1) }
        }
        let winners = results.filter { !$0.isError }
        #expect(winners.count == 1)
        #expect(winners.first?.value["table"] == "T7")
        #expect(results.filter { $0.value["error"] == "fully_booked" }.count == 49)
        let listed = try await runtime.catalog.agent("bella-napoli")!.skills[0].skill.readEndpoints
            .first { $0.name == "reservations" }!.handle(["agent": "bella-napoli", "limit": "500"], runtime.database)
        #expect(listed["reservations"]?.arrayValue?.count == 7)
        await runtime.shutdown()
    }

    @Test(arguments: try TestFixtures.databases())
    func seatCapacityHoldsUnderConcurrentBookings(_ database: String?) async throws {
        let runtime = try await RestaurantFixtures.runtime(database: database)
        // The trattoria books 40 seats per time; parties of four: exactly ten fit.
        let saturday: JSONValue = ["date": "2026-03-14", "time": "19:00"]
        let results = try await withThrowingTaskGroup(of: ToolResult.self) { group in
            for index in 0..<50 {
                group.addTask {
                    try await Caller(runtime: runtime, agentID: "trattoria-da-enzo").run("make_reservation", booking("Gast \(index)", party: 4, saturday))
                }
            }
            return try await group.reduce(into: [ToolResult]()) { $0.append($1) }
        }
        #expect(results.filter { !$0.isError }.count == 10)
        #expect(results.filter { $0.value["error"] == "fully_booked" }.count == 40)
        await runtime.shutdown()
    }

    @Test func aFullSlotOffersNearbyTimes() async throws {
        let runtime = try await RestaurantFixtures.runtime()
        for index in 0..<2 {
            try await Caller(runtime: runtime, agentID: "bella-napoli").run("make_reservation", booking("Big \(index)", party: 7))
        }
        // Only T7 seats seven: the second party of seven finds 19:00 full.
        let full = try await Caller(runtime: runtime, agentID: "bella-napoli").run("make_reservation", booking("Late", party: 7))
        #expect(full.value["error"] == "fully_booked")
        #expect(full.value["alternatives"] == ["2026-03-13T17:00", "2026-03-13T17:30", "2026-03-13T20:30"])
        #expect(full.text == "Fully booked on Friday, March 13 at 7 PM for 7. Free: 5 PM, 5:30 PM or 8:30 PM.")
        await runtime.shutdown()
    }

    @Test func theRulesAreExplained() async throws {
        let runtime = try await RestaurantFixtures.runtime()
        let caller = Caller(runtime: runtime, agentID: "bella-napoli")
        let cases: [(JSONValue, String)] = [
            (booking("A", party: 2, ["date": "2026-03-09", "time": "19:00"]), "closed"),            // Monday
            (booking("A", party: 2, ["date": "today", "time": "18:30"]), "too_soon"),              // an hour's notice
            (booking("A", party: 2, ["date": "2026-03-13", "time": "19:10"]), "off_slot"),
            (booking("A", party: 2, ["date": "2026-03-14", "time": "00:30"]), "after_last_seating"), // closes 01:00
            (booking("A", party: 12), "party_too_large"),
            (booking("A", party: 2, ["date": "2026-07-01", "time": "19:00"]), "too_far_ahead"),
            (booking("A", party: 2, ["date": "2026-02-30", "time": "19:00"]), "bad_date"),
        ]
        for (arguments, error) in cases {
            let result = try await caller.run("make_reservation", arguments)
            #expect(result.value["error"]?.stringValue == error, "\(arguments)")
        }
        await runtime.shutdown()
    }

    @Test func aBookingCanBeFoundAndCancelled() async throws {
        let runtime = try await RestaurantFixtures.runtime()
        let caller = Caller(runtime: runtime, agentID: "bella-napoli")
        let booked = try await caller.run("make_reservation", booking("Ana", party: 4).merging(["notes": "birthday"]))
        #expect(booked.text?.hasPrefix("Booked: 4 people on Friday, March 13 at 7 PM, name Ana. Reservation number ") == true)
        let number = try #require(booked.value["reservation_number"]?.stringValue)

        let byPhone = try await caller.run("find_reservation")
        #expect(byPhone.value["reservations"]?[0]?["reservation_number"]?.stringValue == number)
        let byNumber = try await Caller(runtime: runtime, agentID: "bella-napoli", number: nil).run("find_reservation", ["reservation_number": .string(number)])
        #expect(byNumber.value["notes"] == "birthday")
        #expect(byNumber.value["table"] == "T3")

        #expect(try await caller.run("cancel_reservation", ["reservation_number": .string(number)]).value["status"] == "cancelled")
        #expect(try await caller.run("cancel_reservation", ["reservation_number": .string(number)]).value["error"] == "already_cancelled")
        #expect(try await caller.run("find_reservation", ["reservation_number": "9999"]).value["error"] == "not_found")
        // The table is free again.
        #expect(try await caller.run("make_reservation", booking("Ben", party: 4)).value["table"] == "T3")
        await runtime.shutdown()
    }
}

extension JSONValue {
    func merging(_ other: [String: JSONValue]) -> JSONValue {
        .object((objectValue ?? [:]).merging(other) { $1 })
    }
}
