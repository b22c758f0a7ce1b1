import Foundation
import Host
import PluginAPI
import SQLKit
import SwitchboardTesting
import Testing

@testable import Appointments

/// `calendar: calcom` against a fake Cal.com API v2 on 127.0.0.1: the same client code production uses.
@Suite struct CalcomTests {
    typealias F = AppointmentsFixtures
    static let fakeEventTypes = [4711: 30, 4712: 45]
    /// Tuesday 2026-03-03 14:30 Berlin.
    static let tuesday1430 = ISO8601DateFormatter().date(from: "2026-03-03T13:30:00Z")!

    static func appointment(_ runtime: SwitchboardRuntime, _ id: String) async throws -> Appointment? {
        try await AppointmentStore.find(id: id, agentID: "praxis", on: runtime.database.sql)
    }

    @Test(arguments: try TestFixtures.databases())
    func checkBookRescheduleCancelGoThroughCalcom(database: String?) async throws {
        let fake = FakeCalcomServer(eventTypes: Self.fakeEventTypes)
        try await fake.run { base in
            let runtime = try await F.runtime(database: database, calendar: "calcom", calcomBaseURL: base)
            defer { Task { await runtime.shutdown() } }
            let check = try await F.run(runtime, "check_availability", ["service": "Kontrolle", "date_time": "morgen um halb drei"])
            #expect(check.value["available"] == true)
            let slotsRequest = try #require(fake.requests.first { $0.path.hasPrefix("/v2/slots") })
            #expect(slotsRequest.headers["cal-api-version"] == "2024-09-04")
            #expect(slotsRequest.headers["authorization"] == "Bearer cal_test_key")
            #expect(slotsRequest.path.contains("eventTypeId=4711"))
            #expect(slotsRequest.path.contains("timeZone=Europe/Berlin") || slotsRequest.path.contains("timeZone=Europe%2FBerlin"))

            let booked = try await F.run(runtime, "book_appointment", ["name": "Jürgen Weiß", "service": "Kontrolle", "slot": "2026-03-03T14:30:00+01:00"])
            #expect(booked.value["confirmation"] == "Termin gebucht für 03.03.2026 14:30 Uhr")
            let id = try #require(booked.value["appointment_id"]?.stringValue)
            let remote = try #require(fake.bookings.first)
            #expect(remote.start == Self.tuesday1430)
            #expect(remote.attendee["phoneNumber"] == .string(F.caller))
            #expect(remote.attendee["language"] == "de")
            #expect(remote.metadata["localId"] == .string(id))
            let createRequest = try #require(fake.requests.first { $0.method == "POST" && $0.path == "/v2/bookings" })
            #expect(createRequest.headers["cal-api-version"] == "2024-08-13")
            let mirrored = try #require(try await Self.appointment(runtime, id))
            #expect(mirrored.calcomUID == remote.uid)
            #expect(mirrored.syncStatus == "synced")

            let moved = try await F.run(runtime, "reschedule_appointment", ["appointment_id": .string(id), "new_slot": "2026-03-04T10:00:00+01:00"])
            #expect(!moved.isError)
            let rekeyed = try #require(try await Self.appointment(runtime, id))
            #expect(rekeyed.previousUID == remote.uid)
            #expect(rekeyed.calcomUID != remote.uid)
            #expect(fake.bookings.first { $0.uid == rekeyed.calcomUID }?.rescheduledFromUID == remote.uid)

            _ = try await F.run(runtime, "cancel_appointment", ["appointment_id": .string(id)])
            #expect(fake.bookings.first { $0.uid == rekeyed.calcomUID }?.status == "cancelled")
        }
    }

    @Test func aSlotTakenInCalcomGetsAlternatives() async throws {
        let fake = FakeCalcomServer(eventTypes: Self.fakeEventTypes)
        try await fake.run { base in
            let runtime = try await F.runtime(database: nil, calendar: "calcom", calcomBaseURL: base)
            defer { Task { await runtime.shutdown() } }
            // Booked on the website after our caller heard the slot was free.
            fake.addBooking(eventTypeID: 4711, start: Self.tuesday1430, name: "Web")
            let result = try await F.run(runtime, "book_appointment", ["name": "A", "service": "Kontrolle", "slot": "2026-03-03T14:30:00+01:00"])
            #expect(result.isError)
            #expect((result.value["alternatives"]?.arrayValue?.count ?? 0) > 0)
            #expect(result.value["error"]?.stringValue?.hasPrefix("Dieser Termin ist leider") == true)
        }
    }

    @Test(arguments: try TestFixtures.databases())
    func aBookingMadeDuringAnOutageReachesCalcomLater(database: String?) async throws {
        let fake = FakeCalcomServer(eventTypes: Self.fakeEventTypes)
        try await fake.run { base in
            let runtime = try await F.runtime(database: database, calendar: "calcom", calcomBaseURL: base)
            defer { Task { await runtime.shutdown() } }
            fake.setOutage(true)
            let booked = try await F.run(runtime, "book_appointment", ["name": "Jürgen Weiß", "service": "Kontrolle", "slot": "2026-03-03T14:30:00+01:00"])
            #expect(!booked.isError, "the booking is held locally")
            let id = try #require(booked.value["appointment_id"]?.stringValue)
            #expect(try await Self.appointment(runtime, id)?.syncStatus == "pending")
            #expect(fake.bookings.isEmpty)
            // Another caller cannot take the held slot.
            let second = try await F.run(runtime, "book_appointment", ["name": "B", "service": "Kontrolle", "staff": "Berg", "slot": "2026-03-03T14:30:00+01:00"])
            #expect(second.isError)

            let worker = runtime.makeJobWorker()
            #expect(try await worker.runDueJobs() == 1)  // still down: the job stays for a retry
            #expect(fake.bookings.isEmpty)

            fake.setOutage(false)
            try await runtime.database.sql.update("jobs").set("run_at", to: SQLBind(Int64(0))).run()  // skip the backoff
            #expect(try await worker.runDueJobs() == 1)
            #expect(fake.bookings.count == 1)
            #expect(fake.bookings.first?.metadata["localId"] == .string(id))
            let synced = try #require(try await Self.appointment(runtime, id))
            #expect(synced.syncStatus == "synced")
            #expect(synced.calcomUID == fake.bookings.first?.uid)
        }
    }

    @Test("a Cal.com slower than the tool timeout: the booking is held locally before the deadline, not cut off")
    func aSlowCalcomStillLeavesTimeToHoldTheBooking() async throws {
        let fake = FakeCalcomServer(eventTypes: Self.fakeEventTypes)
        try await fake.run { base in
            // Cal.com's own timeout (20 s) is longer than the tool's (4 s), and it answers after the tool's (6 s).
            // The push may use three quarters of the time left, so about a second stays for the local work
            // (a loaded test machine needs it; the figures are not what is tested).
            let runtime = try await F.runtime(database: nil, calendar: "calcom", calcomBaseURL: base, toolTimeout: "4s", calcomTimeout: "20s")
            defer { Task { await runtime.shutdown() } }
            fake.setCreateDelay(.seconds(6))
            let booked = try await F.run(runtime, "book_appointment", ["name": "A", "service": "Kontrolle", "slot": "2026-03-03T14:30:00+01:00"])
            #expect(!booked.isError, "\(booked.value)")
            let id = try #require(booked.value["appointment_id"]?.stringValue)
            #expect(try await Self.appointment(runtime, id)?.syncStatus == "pending")
        }
    }

    @Test func aCreateThatReachedCalcomIsNotCreatedTwice() async throws {
        let fake = FakeCalcomServer(eventTypes: Self.fakeEventTypes)
        try await fake.run { base in
            let runtime = try await F.runtime(database: nil, calendar: "calcom", calcomBaseURL: base)
            defer { Task { await runtime.shutdown() } }
            fake.setOutage(true)
            let booked = try await F.run(runtime, "book_appointment", ["name": "A", "service": "Kontrolle", "slot": "2026-03-03T14:30:00+01:00"])
            let id = try #require(booked.value["appointment_id"]?.stringValue)
            fake.setOutage(false)
            // As if the create had arrived but its answer was lost.
            let arrived = fake.addBooking(eventTypeID: 4711, start: Self.tuesday1430, name: "A", metadata: ["localId": .string(id)])
            #expect(try await runtime.makeJobWorker().runDueJobs() == 1)
            #expect(fake.bookings.count == 1)
            #expect(try await Self.appointment(runtime, id)?.calcomUID == arrived.uid)
        }
    }

    @Test func aRerunOfTheSameInvocationAdoptsItsOwnCalcomBooking() async throws {
        let fake = FakeCalcomServer(eventTypes: Self.fakeEventTypes)
        try await fake.run { base in
            let runtime = try await F.runtime(database: nil, calendar: "calcom", calcomBaseURL: base)
            defer { Task { await runtime.shutdown() } }
            let arguments: JSONValue = ["name": "A", "service": "Kontrolle", "slot": "2026-03-03T14:30:00+01:00"]
            let id = AppointmentsSkill.appointmentID(callID: "call-rerun", toolCallID: "tc-1", turnIndex: nil, arguments: arguments)
            // What a first run of this invocation left in Cal.com before its transaction was rolled back.
            let first = fake.addBooking(eventTypeID: 4711, start: Self.tuesday1430, name: "A", metadata: ["localId": .string(id)])
            let result = try await F.run(runtime, "book_appointment", arguments, call: "call-rerun", toolCallID: "tc-1")
            #expect(!result.isError)
            #expect(result.value["appointment_id"] == .string(id))
            #expect(fake.bookings.count == 1)
            #expect(try await Self.appointment(runtime, id)?.calcomUID == first.uid)
        }
    }

    @Test(arguments: try TestFixtures.databases())
    func aConflictFoundLaterBecomesACallbackRequest(database: String?) async throws {
        let fake = FakeCalcomServer(eventTypes: Self.fakeEventTypes)
        try await fake.run { base in
            let runtime = try await F.runtime(database: database, calendar: "calcom", calcomBaseURL: base)
            defer { Task { await runtime.shutdown() } }
            fake.setOutage(true)
            let booked = try await F.run(
                runtime, "book_appointment", ["name": "Jürgen Weiß", "service": "Kontrolle", "slot": "2026-03-03T14:30:00+01:00"], call: "call-conflict")
            let id = try #require(booked.value["appointment_id"]?.stringValue)
            fake.setOutage(false)
            fake.addBooking(eventTypeID: 4711, start: Self.tuesday1430, name: "Web")
            #expect(try await runtime.makeJobWorker().runDueJobs() == 1)
            #expect(try await Self.appointment(runtime, id)?.syncStatus == "conflict")
            let row = try #require(try await runtime.database.sql.select().columns("call_id", "agent_id", "phone", "reason", "status")
                .from("callback_requests").first())
            #expect(try row.decode(column: "call_id", as: String.self) == "call-conflict")
            #expect(try row.decode(column: "agent_id", as: String.self) == "praxis")
            #expect(try row.decode(column: "phone", as: String.self) == F.caller)
            #expect(try row.decode(column: "status", as: String.self) == "open")
            #expect(try row.decode(column: "reason", as: String.self).contains("Jürgen Weiß"))
            let job = try #require(try await runtime.database.sql.select().column("status").from("jobs").first())
            #expect(try job.decode(column: "status", as: String.self) == "done")
        }
    }
}
