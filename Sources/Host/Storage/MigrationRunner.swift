import Foundation
import Logging
import PluginAPI
import SQLKit

/// Applies migrations once each, in order, recording them in `schema_migrations`.
///
/// Safe when several instances start at once: everything runs in one transaction that first takes a
/// PostgreSQL advisory lock (on SQLite, `BEGIN IMMEDIATE` already excludes other writers), so the second
/// instance waits, then finds the work done.
public struct MigrationRunner: Sendable {
    /// Migrations by owner (`host` or a plugin id), each list in the order to apply.
    public var owners: [(owner: String, migrations: [Migration])]

    public init(owners: [(owner: String, migrations: [Migration])]) { self.owners = owners }

    /// The host's tables plus every registered plugin's.
    public init(registry: PluginRegistry) {
        owners = [("host", HostMigrations.all)] + registry.all.map { ($0.id, $0.migrations) }.filter { !$0.1.isEmpty }
    }

    /// Applies what is missing; returns the ids applied now (as `owner/id`).
    @discardableResult
    public func run(on database: SwitchboardDatabase, logger: Logger) async throws -> [String] {
        let owners = self.owners
        let engine = database.engine
        return try await database.lockedTransaction { db in
            if engine == .postgres {
                // An arbitrary constant key shared by every Switchboard instance.
                try await db.raw("SELECT pg_advisory_xact_lock(7265836177)").run()
            }
            try await db.create(table: "schema_migrations").ifNotExists()
                .column("owner", type: .text, .notNull)
                .column("id", type: .text, .notNull)
                .column("applied_at", type: .bigint, .notNull)
                .primaryKey("owner", "id")
                .run()
            let rows = try await db.select().columns("owner", "id").from("schema_migrations").all()
            var applied = Set<String>()
            for row in rows {
                applied.insert(try row.decode(column: "owner", as: String.self) + "/" + row.decode(column: "id", as: String.self))
            }
            var done: [String] = []
            for (owner, migrations) in owners {
                for migration in migrations where !applied.contains(owner + "/" + migration.id) {
                    try await migration.apply(db, engine)
                    try await db.insert(into: "schema_migrations")
                        .columns("owner", "id", "applied_at")
                        .values(SQLBind(owner), SQLBind(migration.id), SQLBind(Int64(Date().timeIntervalSince1970 * 1000)))
                        .run()
                    done.append(owner + "/" + migration.id)
                }
            }
            return done
        }
    }
}
