import Foundation
import PluginAPI
import Testing

@testable import Appointments

/// Holidays, opening hours, breaks, staff hours and absences, and DST in the built-in calendar.
@Suite struct CalendarTests {
    static let berlin = TimeZone(identifier: "Europe/Berlin")!

    static func business(state: String? = "BY") -> Business {
        Business(
            name: "Praxis", timeZone: berlin, state: state, phone: nil, address: nil,
            hours: WeeklyHours(days: Dictionary(uniqueKeysWithValues: (1...5).map { ($0, [.init(start: 480, end: 720), .init(start: 840, end: 1080)]) })),
            closed: [ClosedPeriod(from: LocalDate(2026, 8, 10), to: LocalDate(2026, 8, 21), reason: "Praxisurlaub")],
            services: [Service(id: "kontrolle", name: "Kontrolle", synonyms: [], duration: 30, buffer: 0, staff: [], calcomEventTypeID: nil)],
            staff: [
                StaffMember(id: "berg", name: "Dr. Berg", hours: nil, absences: []),
                StaffMember(
                    id: "huber", name: "Huber", hours: WeeklyHours(days: [1: [.init(start: 540, end: 600)]]),
                    absences: [ClosedPeriod(from: LocalDate(2026, 3, 23), to: LocalDate(2026, 3, 23))]),
            ])
    }

    static let longAgo = Date(timeIntervalSince1970: 0)

    @Test func easterAndTheHolidaysThatHangOnIt() {
        #expect(GermanHoliday.easterSunday(2026) == LocalDate(2026, 4, 5))
        #expect(GermanHoliday.easterSunday(2027) == LocalDate(2027, 3, 28))
        #expect(GermanHoliday.easterSunday(2024) == LocalDate(2024, 3, 31))
        let nationwide = GermanHoliday.holidays(in: 2026, state: nil).map { "\($0.date) \($0.kind.name)" }
        #expect(nationwide == [
            "2026-01-01 Neujahr", "2026-04-03 Karfreitag", "2026-04-06 Ostermontag", "2026-05-01 Tag der Arbeit",
            "2026-05-14 Christi Himmelfahrt", "2026-05-25 Pfingstmontag", "2026-10-03 Tag der Deutschen Einheit",
            "2026-12-25 1. Weihnachtstag", "2026-12-26 2. Weihnachtstag",
        ])
        #expect(GermanHoliday.holiday(on: LocalDate(2026, 6, 4), state: "BY")?.kind == .fronleichnam)
        #expect(GermanHoliday.holiday(on: LocalDate(2026, 6, 4), state: "HH") == nil)
        #expect(GermanHoliday.holiday(on: LocalDate(2026, 11, 18), state: "SN")?.kind == .bussUndBettag)
        #expect(GermanHoliday.holiday(on: LocalDate(2026, 3, 8), state: "BE")?.kind == .frauentag)
        #expect(GermanHoliday.holiday(on: LocalDate(2027, 3, 26), state: nil)?.kind == .karfreitag)
        #expect(GermanHoliday.holiday(on: LocalDate(2026, 12, 24), state: "BY") == nil, "Heiligabend is no legal holiday")
    }

    @Test func slotsRespectBreaksHolidaysClosedDaysAndStaff() {
        let finder = SlotFinder(business: Self.business(), interval: 30, minimumNotice: 0)
        let service = Self.business().services[0]
        let monday = finder.freeSlots(for: service, on: LocalDate(2026, 3, 2), staffIDs: ["berg"], booked: [], now: Self.longAgo)
        #expect(monday.map(\.time.description) == [
            "08:00", "08:30", "09:00", "09:30", "10:00", "10:30", "11:00", "11:30",
            "14:00", "14:30", "15:00", "15:30", "16:00", "16:30", "17:00", "17:30",
        ])
        #expect(finder.freeSlots(for: service, on: LocalDate(2026, 4, 6), staffIDs: ["berg"], booked: [], now: Self.longAgo).isEmpty, "Ostermontag")
        #expect(finder.freeSlots(for: service, on: LocalDate(2026, 1, 6), staffIDs: ["berg"], booked: [], now: Self.longAgo).isEmpty, "Heilige Drei Könige in BY")
        #expect(finder.freeSlots(for: service, on: LocalDate(2026, 8, 12), staffIDs: ["berg"], booked: [], now: Self.longAgo).isEmpty, "Praxisurlaub")
        #expect(finder.freeSlots(for: service, on: LocalDate(2026, 3, 7), staffIDs: ["berg"], booked: [], now: Self.longAgo).isEmpty, "Saturday")
        let huber = finder.freeSlots(for: service, on: LocalDate(2026, 3, 2), staffIDs: ["huber"], booked: [], now: Self.longAgo)
        #expect(huber.map(\.time.description) == ["09:00", "09:30"])
        #expect(finder.freeSlots(for: service, on: LocalDate(2026, 3, 23), staffIDs: ["huber"], booked: [], now: Self.longAgo).isEmpty, "absent")
    }

    @Test func bookingsAndNoticeRemoveSlots() throws {
        let finder = SlotFinder(business: Self.business(), interval: 30, minimumNotice: 60)
        let service = Self.business().services[0]
        let day = LocalDate(2026, 3, 2)
        let start = try #require(day.instant(atMinute: 600, in: Self.berlin))
        let booked = Appointment(
            id: "a", agentID: "x", serviceID: "kontrolle", staffID: "berg", start: start, end: start.addingTimeInterval(1800),
            blockedUntil: start.addingTimeInterval(2700), timeZone: "Europe/Berlin", status: "booked", customerName: "A",
            customerPhone: nil, customerEmail: nil, callID: nil, calcomUID: nil, calcomID: nil, previousUID: nil, syncStatus: "local")
        let now = try #require(day.instant(atMinute: 9 * 60, in: Self.berlin))  // 09:00: the first start is 10:00
        let slots = finder.freeSlots(for: service, on: day, staffIDs: ["berg"], booked: [booked], now: now)
        #expect(slots.prefix(3).map(\.time.description) == ["11:00", "11:30", "14:00"], "10:00 booked, 10:30 in its buffer")
    }

    @Test func daylightSavingTimeIsHandledDayByDay() throws {
        let finder = SlotFinder(business: Self.business(), interval: 30, minimumNotice: 0)
        let service = Self.business().services[0]
        let beforeChange = finder.freeSlots(for: service, on: LocalDate(2026, 3, 27), staffIDs: ["berg"], booked: [], now: Self.longAgo)
        let afterChange = finder.freeSlots(for: service, on: LocalDate(2026, 3, 30), staffIDs: ["berg"], booked: [], now: Self.longAgo)
        let nine = { (slots: [Slot]) in slots.first { $0.time == LocalTime(9, 0) }.map { ISO8601.string($0.start) } }
        #expect(nine(beforeChange) == "2026-03-27T08:00:00Z")
        #expect(nine(afterChange) == "2026-03-30T07:00:00Z")
        // The skipped hour has no instant; the repeated one takes the first.
        #expect(LocalDate(2026, 3, 29).instant(atMinute: 150, in: Self.berlin) == nil)
        #expect(LocalDate(2026, 10, 25).instant(atMinute: 150, in: Self.berlin).map(ISO8601.string) == "2026-10-25T00:30:00Z")
        let (start, end) = finder.dayBounds(LocalDate(2026, 3, 29))
        #expect(end.timeIntervalSince(start) == 23 * 3600)
    }

    @Test func localDateArithmetic() {
        #expect(LocalDate(2026, 3, 2).weekday == 1)
        #expect(LocalDate(2026, 3, 2).adding(days: 30) == LocalDate(2026, 4, 1))
        #expect(LocalDate(2028, 2, 28).adding(days: 1) == LocalDate(2028, 2, 29))
        #expect(LocalDate(dayNumber: LocalDate(1999, 12, 31).dayNumber) == LocalDate(1999, 12, 31))
        #expect(PhoneNumber.e164("030 1234567") == "+49301234567")
        #expect(PhoneNumber.e164("+49 (0) 30 1234567") == "+49301234567")
        #expect(PhoneNumber.e164("0043 1 234567") == "+431234567")
        #expect(PhoneNumber.e164("12") == nil)
    }
}
