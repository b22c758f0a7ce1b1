import Foundation
@testable import Host
import PluginAPI
import SQLKit
import SwitchboardTesting
import Testing

/// Confirmation SMS: queued in the caller's transaction, sent by the `retell.sms` job through Retell's
/// SMS chats, retried after a failure.
@Suite struct RetellSMSTests {
    /// A provisioned runtime (agents and SMS chat agent on the fake) and its SMS sender.
    static func provisioned(
        _ fake: FakeRetellAPI, database: String?, clock: WallClock
    ) async throws -> (SwitchboardRuntime, any SMSSender) {
        await RetellTestConfig.addNumbers(fake)
        let runtime = try await RetellTestConfig.runtime(fake, database: database, clock: clock)
        let provisioner = RetellTestConfig.provisioner(fake, runtime: runtime)
        try await provisioner.apply(try await provisioner.plan())
        let sender = try runtime.services.require((any SMSSender).self)
        return (runtime, sender)
    }

    static func jobs(_ runtime: SwitchboardRuntime) async throws -> [(status: String, attempts: Int, error: String?)] {
        try await runtime.database.sql.select().columns("status", "attempts", "last_error").from("jobs")
            .where("kind", .equal, "retell.sms").orderBy("id").all().map { row in
                (try row.decode(column: "status", as: String.self), try row.decode(column: "attempts", as: Int.self),
                 try row.decode(column: "last_error", as: String?.self))
            }
    }

    @Test(arguments: try TestFixtures.databases())
    func sendsAConfirmationQueuedInTheCallersTransaction(database: String?) async throws {
        try await FakeRetellAPI.run { fake in
            let (runtime, sms) = try await Self.provisioned(fake, database: database, clock: .system)
            defer { Task { await runtime.shutdown() } }
            #expect(sms.isEnabled(agentID: "bella"))
            try await runtime.database.transaction { db in
                try await sms.sendConfirmation(to: "+16505550199", text: "Bella Napoli: your table for 4 is booked for 7 pm.", agentID: "bella", on: db)
            }
            #expect(await fake.state.sentSMS.isEmpty, "nothing is sent before the job runs")
            #expect(try await runtime.makeJobWorker().runDueJobs() == 1)

            let chatAgent = try #require(try await RetellAgentStore(database: runtime.database.sql).record(agentID: "bella", role: .sms)?.retellID)
            #expect(await fake.state.sentSMS == [.init(
                from: "+14155550100", to: "+16505550199", text: "Bella Napoli: your table for 4 is booked for 7 pm.", chatAgentID: chatAgent)])
            let request = try #require(await fake.requests().last)
            #expect(request.path == "/create-sms-chat")
            #expect(request.body?["override_agent_id"] == .string(chatAgent))
            #expect(request.body?["retell_llm_dynamic_variables"] == ["message": "Bella Napoli: your table for 4 is booked for 7 pm."])
            #expect(request.body?["metadata"]?["switchboard_agent_id"] == "bella")
            #expect(try await Self.jobs(runtime).map(\.status) == ["done"])
        }
    }

    @Test func retriesAnSMSThatFailedAndSendsItOnce() async throws {
        try await FakeRetellAPI.run { fake in
            let time = ManualClock()
            let (runtime, sms) = try await Self.provisioned(fake, database: nil, clock: time.clock)
            defer { Task { await runtime.shutdown() } }
            try await runtime.database.transaction { db in
                try await sms.sendConfirmation(to: "+16505550199", text: "See you at 7.", agentID: "bella", on: db)
            }
            await fake.fail("POST", "/create-sms-chat", status: 500, message: "upstream carrier error")
            let worker = runtime.makeJobWorker()
            #expect(try await worker.runDueJobs() == 1)
            let failed = try await Self.jobs(runtime)
            #expect(failed.map(\.status) == ["pending"])
            #expect(failed.first?.attempts == 1)
            #expect(failed.first?.error?.contains("upstream carrier error") == true)
            #expect(await fake.state.sentSMS.isEmpty)
            #expect(try await worker.runDueJobs() == 0, "the retry waits for its backoff")

            time.advance(by: 3600)
            #expect(try await worker.runDueJobs() == 1)
            #expect(await fake.state.sentSMS.map(\.text) == ["See you at 7."])
            #expect(try await Self.jobs(runtime).map(\.status) == ["done"])
            #expect(await fake.requests().filter { $0.path == "/create-sms-chat" }.count == 2)
        }
    }

    @Test func anSMSOfARolledBackTransactionIsNeverSent() async throws {
        struct BookingFailed: Error {}
        try await FakeRetellAPI.run { fake in
            let (runtime, sms) = try await Self.provisioned(fake, database: nil, clock: .system)
            defer { Task { await runtime.shutdown() } }
            await #expect(throws: BookingFailed.self) {
                try await runtime.database.transaction { db in
                    try await sms.sendConfirmation(to: "+16505550199", text: "Booked!", agentID: "bella", on: db)
                    throw BookingFailed()
                }
            }
            #expect(try await Self.jobs(runtime).isEmpty)
        }
    }

    @Test func agentsWithoutSMSAndBadNumbersQueueNothing() async throws {
        try await FakeRetellAPI.run { fake in
            let (runtime, sms) = try await Self.provisioned(fake, database: nil, clock: .system)
            defer { Task { await runtime.shutdown() } }
            #expect(!sms.isEnabled(agentID: "praxis"))
            try await runtime.database.transaction { db in
                try await sms.sendConfirmation(to: "+4917612345678", text: "Termin bestätigt.", agentID: "praxis", on: db)
                try await sms.sendConfirmation(to: "0176 1234", text: "Booked!", agentID: "bella", on: db)
            }
            #expect(try await Self.jobs(runtime).isEmpty)
        }
    }

    @Test func waitsForApplyBeforeSending() async throws {
        try await FakeRetellAPI.run { fake in
            let runtime = try await RetellTestConfig.runtime(fake)
            defer { Task { await runtime.shutdown() } }
            let sms = try runtime.services.require((any SMSSender).self)
            try await runtime.database.transaction { db in
                try await sms.sendConfirmation(to: "+16505550199", text: "Booked!", agentID: "bella", on: db)
            }
            #expect(try await runtime.makeJobWorker().runDueJobs() == 1)
            let job = try #require(try await Self.jobs(runtime).first)
            #expect(job.status == "pending")
            #expect(job.error?.contains("switchboard retell apply") == true)
            #expect(await fake.requests().isEmpty)
        }
    }
}
