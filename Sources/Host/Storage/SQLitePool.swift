// AsyncKit predates Sendable annotations; its pools hop every request onto their own event loop, so sharing one across tasks is safe.
@preconcurrency import AsyncKit
import Logging
import NIOCore
import SQLiteKit
import SQLiteNIO

/// SQLite behind a pool of exactly one connection: the single writer.
///
/// One connection serialises every statement of this process in the pool's queue (an async wait, no
/// thread blocked), so a transaction never meets `SQLITE_BUSY` from its own process, and sqlite-nio's
/// spinning busy handler is replaced by `busy_timeout` for other processes (`switchboard tool` while the
/// server runs). SQLite statements take microseconds, so the queue is short; several instances sharing
/// one database use PostgreSQL.
struct SQLitePool: SQLiteDatabase {
    let pool: EventLoopConnectionPool<SQLiteConnectionSource>
    let logger: Logger

    var eventLoop: any EventLoop { pool.eventLoop }

    func query(
        _ query: String, _ binds: [SQLiteData], logger: Logger, _ onRow: @escaping @Sendable (SQLiteRow) -> Void
    ) -> EventLoopFuture<Void> {
        pool.withConnection(logger: logger) { $0.query(query, binds, logger: logger, onRow) }
    }

    func query(_ query: String, _ binds: [SQLiteData], _ onRow: @escaping @Sendable (SQLiteRow) -> Void) async throws {
        try await withConnection { try await $0.query(query, binds, onRow) }
    }

    func withConnection<T>(_ closure: @escaping @Sendable (SQLiteConnection) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        pool.withConnection(logger: logger, closure)
    }

    func withConnection<T>(_ closure: @escaping @Sendable (SQLiteConnection) async throws -> T) async throws -> T {
        try await pool.withConnection(logger: logger) { connection in
            connection.eventLoop.makeFutureWithTask { try await closure(connection) }
        }.get()
    }

    /// Opens (creating it and its folder when needed) the SQLite file at `path` in WAL mode.
    static func open(path: String, on eventLoop: any EventLoop, logger: Logger) async throws -> SQLitePool {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        let source = SQLiteConnectionSource(configuration: SQLiteConfiguration(storage: .file(path: path), enableForeignKeys: true))
        let pool = EventLoopConnectionPool(
            source: source, maxConnections: 1, requestTimeout: .seconds(60), pruneInterval: nil, logger: logger, on: eventLoop)
        let database = SQLitePool(pool: pool, logger: logger)
        try await database.withConnection { connection in
            // busy_timeout replaces sqlite-nio's spin-forever busy handler with a sleeping one (other processes only).
            for pragma in ["PRAGMA busy_timeout = 10000", "PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL"] {
                _ = try await connection.query(pragma, [])
            }
        }
        return database
    }
}

import Foundation
