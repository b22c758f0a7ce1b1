// AsyncKit predates Sendable annotations; its pools hop every request onto their own event loop, so sharing one across tasks is safe.
@preconcurrency import AsyncKit
import Foundation
import Logging
import NIOCore
import NIOPosix
import PluginAPI
import PostgresKit
import SQLKit
import SQLiteKit

/// The host's database: SQLite (a file, the embedded default) or PostgreSQL (shared by several instances).
public final class SwitchboardDatabase: PluginStorage {
    public let sql: any SQLDatabase
    public let engine: DatabaseEngine
    /// Where it lives, without any password (for logs and `/ready`).
    public let displayName: String
    private let close: @Sendable () async throws -> Void

    private init(sql: any SQLDatabase, engine: DatabaseEngine, displayName: String, close: @escaping @Sendable () async throws -> Void) {
        self.sql = sql
        self.engine = engine
        self.displayName = displayName
        self.close = close
    }

    /// Opens `location`: a `postgres://` URL, or else a SQLite file path (folder created, WAL mode).
    public static func open(
        _ location: String, logger: Logger, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> SwitchboardDatabase {
        if ConfigParser.isPostgresURL(location) {
            let configuration = try SQLPostgresConfiguration(url: location)
            let pools = EventLoopGroupConnectionPool(
                source: PostgresConnectionSource(sqlConfiguration: configuration), maxConnectionsPerEventLoop: 8,
                requestTimeout: .seconds(30), logger: logger, on: eventLoopGroup)
            let sql = pools.database(logger: logger).sql()
            let database = SwitchboardDatabase(sql: sql, engine: .postgres, displayName: Self.redacted(location)) {
                try await pools.shutdownAsync()
            }
            _ = try await sql.raw("SELECT 1").all()  // fail at start, not on the first call
            return database
        }
        let pool = try await SQLitePool.open(path: location, on: eventLoopGroup.any(), logger: logger)
        return SwitchboardDatabase(sql: pool.sql(), engine: .sqlite, displayName: location) {
            try await pool.pool.close().get()
        }
    }

    /// Closes every connection.
    public func shutdown() async throws { try await close() }

    public func transaction<Result: Sendable>(
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        switch engine {
        case .sqlite:
            return try await sql.withSession { session in
                try await Self.run(body, on: session, begin: "BEGIN IMMEDIATE")
            }
        case .postgres:
            var attempt = 0
            while true {
                attempt += 1
                do {
                    return try await sql.withSession { session in
                        try await Self.run(body, on: session, begin: "BEGIN ISOLATION LEVEL SERIALIZABLE")
                    }
                } catch let error where attempt < 12 && Self.isRetryable(error) {
                    // Serialization failure or deadlock: another transaction won; run again after a short, jittered wait.
                    try await Task.sleep(for: .milliseconds(Int.random(in: 2...(5 << min(attempt, 6)))))
                }
            }
        }
    }

    /// Runs `body` in one READ COMMITTED transaction (PostgreSQL; on SQLite the same as ``transaction(_:)``),
    /// for work serialised by a lock taken inside it, such as migrations: each statement then sees what
    /// the lock's previous holder committed, which a serializable snapshot taken before the lock would not.
    func lockedTransaction<Result: Sendable>(
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        guard engine == .postgres else { return try await transaction(body) }
        return try await sql.withSession { session in
            try await Self.run(body, on: session, begin: "BEGIN ISOLATION LEVEL READ COMMITTED")
        }
    }

    /// Runs `body` between `begin` and COMMIT on one session, rolling back on any error.
    private static func run<Result: Sendable>(
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> Result, on session: any SQLDatabase, begin: String
    ) async throws -> Result {
        try await session.raw(SQLQueryString(begin)).run()
        do {
            let result = try await body(session)
            try await session.raw("COMMIT").run()
            return result
        } catch {
            try? await session.raw("ROLLBACK").run()
            throw error
        }
    }

    /// Whether a PostgreSQL error is a serialization failure (40001) or deadlock (40P01).
    static func isRetryable(_ error: any Error) -> Bool {
        guard let error = error as? PSQLError, let code = error.serverInfo?[.sqlState] else { return false }
        return code == "40001" || code == "40P01"
    }

    /// `location` with any password replaced by `***`.
    static func redacted(_ location: String) -> String {
        guard var components = URLComponents(string: location), components.password != nil else { return location }
        components.password = "***"
        return components.string ?? location
    }
}
