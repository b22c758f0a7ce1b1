import Foundation
import PluginAPI
import SQLKit
import Synchronization

/// What `switchboard retell apply` created on Retell for each agent, in the `retell_agents` table: one
/// row per agent and role (`voice` agent, `sms` chat agent, `sms_llm` for the chat agent's LLM).
public struct RetellAgentStore: Sendable {
    /// The part of an agent's Retell setup a row records.
    public enum Role: String, Sendable, CaseIterable {
        /// The voice agent whose response engine is our WebSocket.
        case voice
        /// The chat agent that sends confirmation SMS.
        case sms
        /// The Retell-hosted LLM behind the SMS chat agent.
        case smsLLM = "sms_llm"
    }

    /// One row.
    public struct Record: Sendable, Hashable {
        public var agentID: String
        public var role: Role
        public var retellID: String
        /// The Retell version last applied (published unless `--no-publish`).
        public var version: Int?
        /// A hash of the desired settings last applied.
        public var configHash: String
        public var updatedAt: Int64
    }

    let database: any SQLDatabase

    public init(database: any SQLDatabase) { self.database = database }

    /// The `008_retell_agents` migration.
    static let createTable: @Sendable (any SQLDatabase, DatabaseEngine) async throws -> Void = { db, _ in
        try await db.create(table: "retell_agents").ifNotExists()
            .column("agent_id", type: .text, .notNull)
            .column("role", type: .text, .notNull)
            .column("retell_id", type: .text, .notNull)
            .column("version", type: .int)
            .column("config_hash", type: .text, .notNull)
            .column("updated_at", type: .bigint, .notNull)
            .primaryKey("agent_id", "role")
            .run()
        try await db.create(index: "retell_agents_retell_id").on("retell_agents").column("retell_id").run()
    }

    /// Every row.
    public func all() async throws -> [Record] {
        let rows = try await database.select().columns("agent_id", "role", "retell_id", "version", "config_hash", "updated_at")
            .from("retell_agents").orderBy("agent_id").orderBy("role").all()
        return try rows.compactMap { row in
            guard let role = Role(rawValue: try row.decode(column: "role", as: String.self)) else { return nil }
            return Record(
                agentID: try row.decode(column: "agent_id", as: String.self), role: role,
                retellID: try row.decode(column: "retell_id", as: String.self),
                version: try row.decodeNil(column: "version") ? nil : try row.decode(column: "version", as: Int.self),
                configHash: try row.decode(column: "config_hash", as: String.self),
                updatedAt: try row.decode(column: "updated_at", as: Int64.self))
        }
    }

    /// The row for `agentID` and `role`.
    public func record(agentID: String, role: Role) async throws -> Record? {
        try await all().first { $0.agentID == agentID && $0.role == role }
    }

    /// Inserts or replaces a row.
    public func save(_ record: Record) async throws {
        try await database.insert(into: "retell_agents")
            .columns("agent_id", "role", "retell_id", "version", "config_hash", "updated_at")
            .values(
                SQLBind(record.agentID), SQLBind(record.role.rawValue), SQLBind(record.retellID), SQLBind(record.version),
                SQLBind(record.configHash), SQLBind(record.updatedAt))
            .onConflict(with: ["agent_id", "role"]) { update in
                update.set(excludedValueOf: "retell_id").set(excludedValueOf: "version")
                    .set(excludedValueOf: "config_hash").set(excludedValueOf: "updated_at")
            }
            .run()
    }

    /// The Retell agent ids (voice and SMS chat agents) recorded for each agent: Retell id → agent id.
    public func directoryEntries() async throws -> [String: String] {
        var entries: [String: String] = [:]
        for record in try await all() where record.role != .smsLLM { entries[record.retellID] = record.agentID }
        return entries
    }
}

/// Retell agent ids recorded by `switchboard retell apply`, mapped to our agent ids; the catalog consults
/// it after the agents' own `retell_agent_id`. Shared by reference, so a running server can reload it
/// (``RetellDirectoryRefresher``) when `apply` runs while it serves.
public final class RetellAgentDirectory: Sendable {
    private let entries: Mutex<[String: String]>

    /// A directory of `agentIDs` (Retell agent id → agent id).
    public init(_ agentIDs: [String: String] = [:]) { entries = Mutex(agentIDs) }

    /// The agent id recorded for `retellAgentID`.
    public func agentID(retellAgentID: String) -> String? { entries.withLock { $0[retellAgentID] } }

    /// Every entry.
    public var agentIDs: [String: String] { entries.withLock { $0 } }

    /// Replaces every entry.
    public func replace(with agentIDs: [String: String]) { entries.withLock { $0 = agentIDs } }
}
