import Foundation
import Logging
import SQLKit

/// The database a plugin is given: SQLKit's driver-agnostic `SQLDatabase` on SQLite or PostgreSQL,
/// plus a transaction helper that is correct on both.
///
/// Plugins write portable SQL through SQLKit's builders; where a statement must differ, branch on
/// ``engine``.
public protocol PluginStorage: Sendable {
    /// The pooled database, for single statements outside a transaction.
    var sql: any SQLDatabase { get }
    /// Which engine is behind ``sql``.
    var engine: DatabaseEngine { get }
    /// Runs `body` in one transaction on one connection and commits when it returns.
    ///
    /// Use only the database passed to `body` inside it. On SQLite the transaction takes the write lock
    /// up front (`BEGIN IMMEDIATE`); on PostgreSQL it is `SERIALIZABLE` and `body` is run again after a
    /// serialization failure or deadlock, so `body` must not have effects outside the database.
    func transaction<Result: Sendable>(
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result
}

/// The SQL engine behind a ``PluginStorage``.
public enum DatabaseEngine: String, Sendable, Hashable, Codable {
    case sqlite, postgres
}

/// One step of a schema's history. Migrations of one owner run in the order given, once each, and are
/// recorded in the host's `schema_migrations` table.
public struct Migration: Sendable {
    /// Unique within its owner and never changed once released (e.g. `"001_orders"`).
    public var id: String
    /// Applies the step. Runs in a transaction where the engine allows DDL in one (both do).
    public var apply: @Sendable (any SQLDatabase, DatabaseEngine) async throws -> Void

    public init(_ id: String, apply: @escaping @Sendable (any SQLDatabase, DatabaseEngine) async throws -> Void) {
        self.id = id
        self.apply = apply
    }
}

/// Work that must happen after a call even when a remote service is down (calendar sync, SMS): a row
/// in the host's `jobs` table, retried with backoff until it succeeds or runs out of attempts.
public protocol JobQueue: Sendable {
    /// Adds a job of `kind` with `payload` in the transaction `db` (so it commits with the writes that
    /// need it), to run no earlier than `notBefore` (now when `nil`).
    @discardableResult
    func enqueue(kind: String, payload: JSONValue, on db: any SQLDatabase, notBefore: Date?) async throws -> Int64
}

/// Runs jobs of one kind; registered by a plugin instance.
public struct JobHandler: Sendable {
    /// The job kind this handles (prefix it with the plugin id, e.g. `appointments.calcom_sync`).
    public var kind: String
    /// Attempts before a job is given up as failed.
    public var maxAttempts: Int
    /// Does the work; throwing schedules a retry with backoff.
    public var run: @Sendable (_ payload: JSONValue, _ context: JobContext) async throws -> Void

    public init(
        kind: String, maxAttempts: Int = 8,
        run: @escaping @Sendable (_ payload: JSONValue, _ context: JobContext) async throws -> Void
    ) {
        self.kind = kind
        self.maxAttempts = maxAttempts
        self.run = run
    }
}

/// What a job handler gets besides its payload.
public struct JobContext: Sendable {
    public var jobID: Int64
    /// 1 on the first try.
    public var attempt: Int
    public var storage: any PluginStorage
    public var clock: WallClock
    public var logger: Logger
    public var services: HostServices

    public init(jobID: Int64, attempt: Int, storage: any PluginStorage, clock: WallClock, logger: Logger, services: HostServices) {
        self.jobID = jobID
        self.attempt = attempt
        self.storage = storage
        self.clock = clock
        self.logger = logger
        self.services = services
    }
}
