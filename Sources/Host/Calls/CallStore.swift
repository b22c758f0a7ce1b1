import Foundation
import PluginAPI
import SQLKit

/// The one writer of the host tables `calls` and `transcripts`, used by the webhooks, the custom-LLM
/// WebSocket engine and the read API.
///
/// Events arrive late, duplicated and out of order, so writes are monotonic: a call's status only moves
/// forward (see ``CallRecordUpdate/rank(of:)``), a known field is never blanked, and a late event of a
/// lower status only fills fields that are still empty. Retell's transcript from a webhook wins over what
/// the WebSocket saw.
public struct CallStore: Sendable {
    public let storage: any PluginStorage
    public let clock: WallClock

    public init(storage: any PluginStorage, clock: WallClock) {
        self.storage = storage
        self.clock = clock
    }

    /// Creates or advances the call's row in its own transaction.
    public func upsert(_ record: CallRecordUpdate) async throws {
        try await storage.transaction { db in try await self.upsert(record, on: db) }
    }

    /// Creates or advances the call's row on `db` (inside the caller's transaction).
    public func upsert(_ record: CallRecordUpdate, on db: any SQLDatabase) async throws {
        let now = clock.millisecondsSinceEpoch
        let fields = Self.fields(of: record)
        let existing = try await db.select().column("status_rank").from("calls")
            .where("call_id", .equal, SQLBind(record.callID)).first()
        guard let existing else {
            let status = record.status ?? "unknown"
            let columns = ["call_id", "status", "status_rank", "created_at", "updated_at"] + fields.map(\.column)
            let values: [any SQLExpression] = [
                SQLBind(record.callID), SQLBind(status), SQLBind(CallRecordUpdate.rank(of: status)), SQLBind(now), SQLBind(now),
            ] + fields.map(\.value)
            try await db.insert(into: "calls").columns(columns).values(values).run()
            return
        }
        let storedRank = try existing.decode(column: "status_rank", as: Int.self)
        let newRank = record.status.map(CallRecordUpdate.rank(of:))
        let update = db.update("calls").set("updated_at", to: SQLBind(now))
        if let status = record.status, let newRank, newRank > storedRank {
            update.set("status", to: SQLBind(status)).set("status_rank", to: SQLBind(newRank))
        }
        // An event at least as far along as the stored status overwrites; an older one only fills gaps.
        let overwrite = newRank.map { $0 >= storedRank } ?? false
        for field in fields {
            if overwrite {
                update.set(field.column, to: field.value)
            } else {
                update.set(field.column, to: SQLFunction("COALESCE", args: SQLIdentifier(field.column), field.value))
            }
        }
        try await update.where("call_id", .equal, SQLBind(record.callID)).run()
    }

    /// Stores the call's transcript in its own transaction. `source` is `websocket` or `webhook`.
    public func saveTranscript(callID: String, text: String, transcriptObject: JSONValue?, source: String) async throws {
        try await storage.transaction { db in
            try await self.saveTranscript(callID: callID, text: text, transcriptObject: transcriptObject, source: source, on: db)
        }
    }

    /// Stores the call's transcript on `db`. A `websocket` transcript never replaces a `webhook` one, and
    /// a webhook transcript never replaces a longer webhook transcript (a late mid-call update must not
    /// cut the final one short).
    public func saveTranscript(callID: String, text: String, transcriptObject: JSONValue?, source: String, on db: any SQLDatabase) async throws {
        let existing = try await db.select().columns("text", "source").from("transcripts")
            .where("call_id", .equal, SQLBind(callID)).first()
        let objectText = transcriptObject.flatMap { $0.isNull ? nil : $0.canonicalJSON }
        let now = clock.millisecondsSinceEpoch
        guard let existing else {
            try await db.insert(into: "transcripts")
                .columns("call_id", "text", "transcript_object", "source", "updated_at")
                .values(SQLBind(callID), SQLBind(text), SQLBind(objectText), SQLBind(source), SQLBind(now))
                .run()
            return
        }
        let storedSource = try existing.decode(column: "source", as: String.self)
        let storedText = try existing.decode(column: "text", as: String.self)
        if storedSource == "webhook" && source != "webhook" { return }
        if storedSource == source && source == "webhook" && text.count < storedText.count { return }
        try await db.update("transcripts")
            .set("text", to: SQLBind(text))
            .set("transcript_object", to: SQLFunction("COALESCE", args: SQLBind(objectText), SQLIdentifier("transcript_object")))
            .set("source", to: SQLBind(source)).set("updated_at", to: SQLBind(now))
            .where("call_id", .equal, SQLBind(callID)).run()
    }

    /// The call's record with its transcript (`transcript`: text, object, source) and tool invocations,
    /// or `nil` when the call is unknown.
    public func call(_ id: String) async throws -> JSONValue? {
        guard let row = try await storage.sql.select().columns(Self.callColumns.map(\.name)).from("calls")
            .where("call_id", .equal, SQLBind(id)).first()
        else { return nil }
        var call = try Self.callJSON(row)
        if let transcript = try await storage.sql.select().columns("text", "transcript_object", "source", "updated_at")
            .from("transcripts").where("call_id", .equal, SQLBind(id)).first()
        {
            let object = try transcript.decodeNil(column: "transcript_object")
                ? JSONValue.null : (try? JSONValue(parsing: transcript.decode(column: "transcript_object", as: String.self))) ?? .null
            call["transcript"] = .object([
                "text": .string(try transcript.decode(column: "text", as: String.self)),
                "transcript_object": object,
                "source": .string(try transcript.decode(column: "source", as: String.self)),
                "updated_at": .int(Int(try transcript.decode(column: "updated_at", as: Int64.self))),
            ])
        } else {
            call["transcript"] = .null
        }
        let invocations = try await storage.sql.select()
            .columns("tool", "arguments", "turn_index", "result", "is_error", "source", "duration_ms", "created_at")
            .from("tool_invocations").where("call_id", .equal, SQLBind(id)).orderBy("id").all()
        call["tool_invocations"] = .array(try invocations.map { row in
            .object([
                "tool": .string(try row.decode(column: "tool", as: String.self)),
                "arguments": (try? JSONValue(parsing: row.decode(column: "arguments", as: String.self))) ?? .null,
                "turn_index": try row.decode(column: "turn_index", as: Int?.self).map(JSONValue.int) ?? .null,
                "result": (try? JSONValue(parsing: row.decode(column: "result", as: String.self))) ?? .null,
                "is_error": .bool(try row.decode(column: "is_error", as: Bool.self)),
                "source": .string(try row.decode(column: "source", as: String.self)),
                "duration_ms": .int(Int(try row.decode(column: "duration_ms", as: Int64.self))),
                "created_at": .int(Int(try row.decode(column: "created_at", as: Int64.self))),
            ])
        })
        return .object(call)
    }

    /// Calls, newest first: of `agent` (agents.yaml id) when given, started (or, before they started,
    /// created) at or after `since` (ms since the epoch) when given, at most `limit`.
    public func list(agent: String? = nil, since: Int64? = nil, limit: Int = 50) async throws -> [JSONValue] {
        let query = storage.sql.select().columns(Self.callColumns.map(\.name)).from("calls")
        if let agent { query.where("agent_id", .equal, SQLBind(agent)) }
        if let since {
            query.where(SQLFunction("COALESCE", args: SQLIdentifier("started_at"), SQLIdentifier("created_at")), .greaterThanOrEqual, SQLBind(since))
        }
        let rows = try await query
            .orderBy(SQLFunction("COALESCE", args: SQLIdentifier("started_at"), SQLIdentifier("created_at")), SQLDirection.descending)
            .orderBy("call_id").limit(max(0, limit)).all()
        return try rows.map { .object(try Self.callJSON($0)) }
    }

    // MARK: - Rows

    private enum ColumnKind { case text, integer, real, boolean, json }

    private static let callColumns: [(name: String, kind: ColumnKind)] = [
        ("call_id", .text), ("agent_id", .text), ("retell_agent_id", .text), ("status", .text), ("status_rank", .integer),
        ("direction", .text), ("from_number", .text), ("to_number", .text), ("started_at", .integer), ("ended_at", .integer),
        ("duration_ms", .integer), ("disconnection_reason", .text), ("cost", .real), ("metadata", .json),
        ("dynamic_variables", .json), ("summary", .text), ("sentiment", .text), ("successful", .boolean),
        ("analysis", .json), ("created_at", .integer), ("updated_at", .integer),
    ]

    private static func callJSON(_ row: any SQLRow) throws -> [String: JSONValue] {
        var object: [String: JSONValue] = [:]
        for (name, kind) in callColumns {
            if try row.decodeNil(column: name) {
                object[name] = .null
                continue
            }
            switch kind {
            case .text: object[name] = .string(try row.decode(column: name, as: String.self))
            case .integer: object[name] = .int(Int(try row.decode(column: name, as: Int64.self)))
            case .real: object[name] = .double(try row.decode(column: name, as: Double.self))
            case .boolean: object[name] = .bool(try row.decode(column: name, as: Bool.self))
            case .json: object[name] = (try? JSONValue(parsing: row.decode(column: name, as: String.self))) ?? .null
            }
        }
        return object
    }

    /// The known (non-nil) fields of `record` as column/value pairs.
    private static func fields(of record: CallRecordUpdate) -> [(column: String, value: any SQLExpression)] {
        var fields: [(column: String, value: any SQLExpression)] = []
        func add(_ column: String, _ value: (any Encodable & Sendable)?) {
            if let value { fields.append((column, SQLBind(value))) }
        }
        add("agent_id", record.agentID)
        add("retell_agent_id", record.retellAgentID)
        add("direction", record.direction)
        add("from_number", record.fromNumber)
        add("to_number", record.toNumber)
        add("started_at", record.startedAt)
        add("ended_at", record.endedAt)
        add("duration_ms", record.durationMS)
        add("disconnection_reason", record.disconnectionReason)
        add("cost", record.cost)
        add("metadata", record.metadata?.canonicalJSON)
        add("dynamic_variables", record.dynamicVariables?.canonicalJSON)
        add("summary", record.summary)
        add("sentiment", record.sentiment)
        add("successful", record.successful)
        add("analysis", record.analysis?.canonicalJSON)
        return fields
    }
}

fileprivate extension WallClock {
    /// Now, in whole milliseconds since the Unix epoch.
    var millisecondsSinceEpoch: Int64 { Int64((now().timeIntervalSince1970 * 1000).rounded(.down)) }
}
