import Foundation
import PluginAPI
import SQLKit

/// The durable job queue on the `jobs` table.
///
/// A claim is one `UPDATE … RETURNING` statement: on PostgreSQL its subquery takes the rows with
/// `FOR UPDATE SKIP LOCKED`, so instances never claim the same job; on SQLite the single writer makes it
/// atomic. A claimed job holds a lease; a job whose worker died is claimed again once the lease expires.
public struct DatabaseJobQueue: JobQueue {
    /// A job handed to a worker.
    public struct Claimed: Sendable {
        public var id: Int64
        public var kind: String
        public var payload: JSONValue
        public var attempt: Int
    }

    public let storage: any PluginStorage
    public let clock: WallClock
    /// How long a claimed job is reserved for its worker.
    public var lease: Duration = .seconds(300)

    public init(storage: any PluginStorage, clock: WallClock) {
        self.storage = storage
        self.clock = clock
    }

    private var nowMillis: Int64 { Int64(clock.now().timeIntervalSince1970 * 1000) }

    @discardableResult
    public func enqueue(kind: String, payload: JSONValue, on db: any SQLDatabase, notBefore: Date?) async throws -> Int64 {
        let now = nowMillis
        let runAt = notBefore.map { Int64($0.timeIntervalSince1970 * 1000) } ?? now
        let row = try await db.insert(into: "jobs")
            .columns("kind", "payload", "status", "attempts", "run_at", "created_at", "updated_at")
            .values(SQLBind(kind), SQLBind(payload.canonicalJSON), SQLBind("pending"), SQLBind(0), SQLBind(runAt), SQLBind(now), SQLBind(now))
            .returning("id").first()
        return try row?.decode(column: "id", as: Int64.self) ?? 0
    }

    /// Claims up to `limit` due jobs.
    public func claim(limit: Int) async throws -> [Claimed] {
        let now = nowMillis
        let leaseEnd = now + Int64(lease.components.seconds * 1000)
        let lock = storage.engine == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
        let query: SQLQueryString = """
            UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_until = \(bind: leaseEnd), updated_at = \(bind: now)
            WHERE id IN (SELECT id FROM jobs WHERE (status = 'pending' AND run_at <= \(bind: now))
                OR (status = 'running' AND locked_until < \(bind: now)) ORDER BY run_at LIMIT \(bind: limit)\(unsafeRaw: lock))
            RETURNING id, kind, payload, attempts
            """
        let rows = try await storage.sql.raw(query).all()
        return try rows.map { row in
            Claimed(
                id: try row.decode(column: "id", as: Int64.self), kind: try row.decode(column: "kind", as: String.self),
                payload: try JSONValue(parsing: try row.decode(column: "payload", as: String.self)),
                attempt: try row.decode(column: "attempts", as: Int.self))
        }
    }

    /// Marks a job done.
    public func complete(_ id: Int64) async throws {
        try await storage.sql.update("jobs").set("status", to: "done").set("locked_until", to: SQLLiteral.null)
            .set("updated_at", to: nowMillis).where("id", .equal, id).run()
    }

    /// Records a failed attempt: retried after an exponential backoff with jitter, or given up after `maxAttempts`.
    public func fail(_ id: Int64, attempt: Int, maxAttempts: Int, error: String) async throws {
        let now = nowMillis
        let giveUp = attempt >= maxAttempts
        let backoff = Self.backoff(attempt: attempt)
        try await storage.sql.update("jobs")
            .set("status", to: giveUp ? "failed" : "pending")
            .set("run_at", to: now + Int64(backoff.components.seconds * 1000))
            .set("locked_until", to: SQLLiteral.null)
            .set("last_error", to: String(error.prefix(2000)))
            .set("updated_at", to: now)
            .where("id", .equal, id).run()
    }

    /// 2^attempt seconds (capped at one hour), ±25 % jitter.
    static func backoff(attempt: Int) -> Duration {
        let base = min(3600.0, pow(2.0, Double(min(attempt, 12))))
        return .seconds(Int((base * Double.random(in: 0.75...1.25)).rounded()))
    }
}
