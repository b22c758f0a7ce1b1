import Foundation
@testable import Host
import PluginAPI
import SQLKit
import SwitchboardTesting
import Testing

/// Storage runs on SQLite always and on PostgreSQL when scripts/test provides one.
@Suite struct StorageTests {
    static func engines() throws -> [String?] { try TestFixtures.databases() }

    func open(_ database: String?) async throws -> (SwitchboardDatabase, String) {
        let location: String
        if let database {
            location = try await TestFixtures.freshPostgresDatabase(database)
        } else {
            location = try TestFixtures.temporaryDirectory().appendingPathComponent("nested/folder/db.sqlite").path
        }
        return (try await SwitchboardDatabase.open(location, logger: TestFixtures.quietLogger), location)
    }

    @Test(arguments: try engines())
    func migratesAFreshDatabaseThenFindsNothingToDo(_ database: String?) async throws {
        let (db, location) = try await open(database)
        let runner = MigrationRunner(registry: PluginRegistry(Fixtures.plugins()))
        let first = try await runner.run(on: db, logger: TestFixtures.quietLogger)
        #expect(first.contains("host/001_calls") && first.contains("notes/001_notes"))
        try await db.sql.insert(into: "test_notes").columns("call_id", "text").values(SQLBind("c"), SQLBind("kept")).run()
        try await db.shutdown()

        let reopened = try await SwitchboardDatabase.open(location, logger: TestFixtures.quietLogger)
        let second = try await runner.run(on: reopened, logger: TestFixtures.quietLogger)
        #expect(second.isEmpty)
        let rows = try await reopened.sql.select().column("text").from("test_notes").all()
        #expect(try rows.map { try $0.decode(column: "text", as: String.self) } == ["kept"])
        try await reopened.shutdown()
    }

    @Test(arguments: try engines())
    func addsNewMigrationsToAnExistingDatabase(_ database: String?) async throws {
        let (db, _) = try await open(database)
        let base = MigrationRunner(owners: [("host", HostMigrations.all)])
        try await base.run(on: db, logger: TestFixtures.quietLogger)
        let grown = MigrationRunner(owners: [("host", HostMigrations.all), ("notes", NotesSkillPlugin().migrations)])
        #expect(try await grown.run(on: db, logger: TestFixtures.quietLogger) == ["notes/001_notes"])
        try await db.shutdown()
    }

    @Test(arguments: try engines())
    func twoInstancesMigratingAtOnceBothSucceed(_ database: String?) async throws {
        let (first, location) = try await open(database)
        let second = try await SwitchboardDatabase.open(location, logger: TestFixtures.quietLogger)
        let runner = MigrationRunner(registry: PluginRegistry(Fixtures.plugins()))
        async let a = runner.run(on: first, logger: TestFixtures.quietLogger)
        async let b = runner.run(on: second, logger: TestFixtures.quietLogger)
        let (appliedA, appliedB) = try await (a, b)
        #expect(appliedA.count + appliedB.count == HostMigrations.all.count + 1)
        #expect(appliedA.isEmpty || appliedB.isEmpty)
        try await first.shutdown()
        try await second.shutdown()
    }

    @Test(arguments: try engines())
    func aFailedTransactionLeavesNothing(_ database: String?) async throws {
        let (db, _) = try await open(database)
        try await MigrationRunner(registry: PluginRegistry(Fixtures.plugins())).run(on: db, logger: TestFixtures.quietLogger)
        struct Boom: Error {}
        await #expect(throws: Boom.self) {
            try await db.transaction { session in
                try await session.insert(into: "test_notes").columns("call_id", "text").values(SQLBind("c"), SQLBind("lost")).run()
                throw Boom()
            }
        }
        #expect(try await db.sql.select().column("id").from("test_notes").all().isEmpty)
        try await db.shutdown()
    }

    @Test(arguments: try engines())
    func concurrentCounterIncrementsAreSerialisable(_ database: String?) async throws {
        let (db, _) = try await open(database)
        try await MigrationRunner(registry: PluginRegistry(Fixtures.plugins())).run(on: db, logger: TestFixtures.quietLogger)
        // Read-then-write in a transaction: without isolation some increments would be lost.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<25 {
                group.addTask {
                    try await db.transaction { session in
                        let rows = try await session.select().column("id").from("test_notes").all()
                        try await session.insert(into: "test_notes").columns("call_id", "text")
                            .values(SQLBind("counter"), SQLBind(String(rows.count))).run()
                    }
                }
            }
            try await group.waitForAll()
        }
        let texts = try await db.sql.select().column("text").from("test_notes").all().map { try $0.decode(column: "text", as: String.self) }
        #expect(Set(texts) == Set((0..<25).map(String.init)))
        try await db.shutdown()
    }

    @Test(arguments: try engines())
    func jobsRetryWithBackoffAndSurviveARestart(_ database: String?) async throws {
        let (db, location) = try await open(database)
        try await MigrationRunner(registry: PluginRegistry([])).run(on: db, logger: TestFixtures.quietLogger)
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let queue = DatabaseJobQueue(storage: db, clock: .fixed(start))
        let id = try await db.transaction { session in
            try await queue.enqueue(kind: "test.ping", payload: ["n": 1], on: session, notBefore: nil)
        }
        try await db.shutdown()

        let reopened = try await SwitchboardDatabase.open(location, logger: TestFixtures.quietLogger)
        let after = DatabaseJobQueue(storage: reopened, clock: .fixed(start))
        let claimed = try await after.claim(limit: 10)
        #expect(claimed.map(\.id) == [id])
        #expect(claimed.first?.payload == ["n": 1])
        #expect(try await after.claim(limit: 10).isEmpty)  // leased to the first worker

        try await after.fail(id, attempt: 1, maxAttempts: 3, error: "remote down")
        #expect(try await after.claim(limit: 10).isEmpty)  // backing off
        let later = DatabaseJobQueue(storage: reopened, clock: .fixed(start.addingTimeInterval(10)))
        let retried = try await later.claim(limit: 10)
        #expect(retried.first?.attempt == 2)
        try await later.complete(id)
        let row = try #require(try await reopened.sql.select().columns("status", "last_error").from("jobs").first())
        #expect(try row.decode(column: "status", as: String.self) == "done")
        #expect(try row.decode(column: "last_error", as: String.self) == "remote down")
        try await reopened.shutdown()
    }

    @Test(arguments: try engines())
    func theWorkerRunsHandlersAndGivesUpAfterMaxAttempts(_ database: String?) async throws {
        let (db, _) = try await open(database)
        try await MigrationRunner(registry: PluginRegistry([])).run(on: db, logger: TestFixtures.quietLogger)
        let queue = DatabaseJobQueue(storage: db, clock: .system)
        try await db.transaction { session in
            _ = try await queue.enqueue(kind: "test.ok", payload: [:], on: session, notBefore: nil)
            _ = try await queue.enqueue(kind: "test.broken", payload: [:], on: session, notBefore: nil)
        }
        struct Down: Error {}
        let worker = JobWorker(queue: queue, handlers: [
            "test.ok": JobHandler(kind: "test.ok") { _, _ in },
            "test.broken": JobHandler(kind: "test.broken", maxAttempts: 1) { _, _ in throw Down() },
        ], services: HostServices(), logger: TestFixtures.quietLogger)
        #expect(try await worker.runDueJobs() == 2)
        let rows = try await db.sql.select().columns("kind", "status").from("jobs").orderBy("kind").all()
        #expect(try rows.map { try $0.decode(column: "status", as: String.self) } == ["failed", "done"])
        try await db.shutdown()
    }
}
