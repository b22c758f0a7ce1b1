import Foundation
import PluginAPI
import Restaurant
import SwitchboardTesting
import Testing

/// Opening hours in the restaurant's timezone: several ranges a day, ranges past midnight, holidays.
@Suite struct HoursTests {
    /// `check_hours` as the caller hears it at `instant` (San Francisco time in the comments).
    func hours(at instant: String, _ arguments: JSONValue = [:]) async throws -> ToolResult {
        let now = RestaurantFixtures.date(instant)
        let runtime = try await RestaurantFixtures.runtime(at: now)
        var caller = Caller(runtime: runtime, agentID: "bella-napoli")
        caller.now = now
        let result = try await caller.run("check_hours", arguments)
        await runtime.shutdown()
        return result
    }

    @Test func fridayNightRunsPastMidnight() async throws {
        let lateFriday = try await hours(at: "2026-03-07T07:30:00Z")  // Friday 23:30
        #expect(lateFriday.value["open_now"] == true)
        #expect(lateFriday.value["open_until"] == "2026-03-07T01:00")
        #expect(lateFriday.text == "Open now, until 1 AM. Hours today: 11:30 AM to 2:30 PM and 5 PM to 1 AM.")

        let afterMidnight = try await hours(at: "2026-03-07T08:30:00Z")  // Saturday 00:30, still Friday's range
        #expect(afterMidnight.value["open_now"] == true)
        #expect(afterMidnight.value["open_until"] == "2026-03-07T01:00")

        let closedNight = try await hours(at: "2026-03-07T09:30:00Z")  // Saturday 01:30
        #expect(closedNight.value["open_now"] == false)
        #expect(closedNight.value["next_opening"] == "2026-03-07T12:00")
        #expect(closedNight.text == "Closed right now. Hours today: noon to 1 AM. Next opening: today at noon.")
    }

    @Test func betweenLunchAndDinnerItIsClosed() async throws {
        let afternoon = try await hours(at: "2026-03-06T23:30:00Z")  // Friday 15:30
        #expect(afternoon.value["open_now"] == false)
        #expect(afternoon.value["next_opening"] == "2026-03-06T17:00")
    }

    @Test func exceptionDaysReplaceTheWeek() async throws {
        let christmas = try await hours(at: "2026-12-20T20:00:00Z", ["date": "2026-12-25", "time": "19:00"])
        #expect(christmas.value["open_at_time"] == false)
        #expect(christmas.value["note"] == "Christmas Day")
        #expect(christmas.value["hours"] == "closed")
        #expect(christmas.value["next_opening"] == "2026-12-26T12:00")

        let christmasEve = try await hours(at: "2026-12-20T20:00:00Z", ["date": "2026-12-24", "time": "19:00"])
        #expect(christmasEve.value["open_at_time"] == false)
        #expect(christmasEve.value["hours"] == "noon to 6 PM")

        // New Year's Eve opens 17:00–02:00, so 01:30 on New Year's Day (a Friday) is still open.
        let newYear = try await hours(at: "2026-12-20T20:00:00Z", ["date": "2027-01-01", "time": "01:30"])
        #expect(newYear.value["open_at_time"] == true)
        #expect(newYear.value["open_until"] == "2027-01-01T02:00")
    }

    @Test func theGermanRestaurantKeepsBerlinTimeAcrossTheClockChange() async throws {
        let skill = try await RestaurantFixtures.skill("trattoria-da-enzo")
        let calendar = skill.profile.calendar
        // Saturday 2026-03-28, 23:45 CET; the clocks go forward that night. Saturday opens 17:00–00:30.
        #expect(skill.profile.hours.isOpen(at: RestaurantFixtures.date("2026-03-28T22:45:00Z"), calendar: calendar))
        #expect(skill.profile.hours.isOpen(at: RestaurantFixtures.date("2026-03-28T23:15:00Z"), calendar: calendar))   // 00:15 CET
        #expect(!skill.profile.hours.isOpen(at: RestaurantFixtures.date("2026-03-28T23:45:00Z"), calendar: calendar))  // 00:45 CET
        // Monday is a rest day.
        #expect(!skill.profile.hours.isOpen(at: RestaurantFixtures.date("2026-03-30T10:00:00Z"), calendar: calendar))
    }
}
