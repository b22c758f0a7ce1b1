import Foundation
import Host
import Hummingbird
import HummingbirdTesting
import NIOCore
import PluginAPI
import SQLKit
import SwitchboardTesting

/// A small skill for the Retell tests: a mutating `book_table` tool writing a row, a read-only
/// `big_answer` tool with a long result, call hooks that leave traces, and an inbound caller look-up.
struct FrontDeskPlugin: PluginFactory {
    let id = "front_desk"
    let kind = PluginKind.skill

    var migrations: [Migration] {
        [Migration("001_desk") { db, _ in
            try await db.create(table: "desk_bookings").ifNotExists()
                .column("id", type: .bigint, .primaryKey)
                .column("call_id", type: .text, .notNull)
                .column("name", type: .text, .notNull)
                .column("party_size", type: .int, .notNull)
                .run()
            try await db.create(table: "desk_hooks").ifNotExists()
                .column("id", type: .bigint, .primaryKey)
                .column("hook", type: .text, .notNull)
                .column("call_id", type: .text, .notNull)
                .column("detail", type: .text)
                .run()
        }]
    }

    func make(config: ConfigNode, context: PluginSetupContext) async throws -> PluginInstance {
        var reader = ConfigReader(config)
        reader.finish()
        if !reader.issues.isEmpty { throw ConfigErrors(reader.issues) }
        return .skill(FrontDeskSkill())
    }
}

struct FrontDeskSkill: Skill {
    var tools: [ToolDefinition] {
        [
            ToolDefinition(
                name: "book_table", description: "Book a table.",
                parameters: .object([
                    .init("name", .string(), required: true),
                    .init("party_size", .integer(minimum: 1, maximum: 12), required: true),
                ])),
            ToolDefinition(name: "big_answer", description: "A very long answer.", parameters: .empty, effect: .readOnly),
        ]
    }

    var readEndpoints: [ReadEndpoint] {
        [ReadEndpoint(name: "bookings") { query, storage in
            let rows = try await storage.sql.select().columns("call_id", "name").from("desk_bookings").orderBy("id").all()
            return ["bookings": .array(try rows.map { ["call_id": .string(try $0.decode(column: "call_id", as: String.self)),
                                                      "name": .string(try $0.decode(column: "name", as: String.self))] }),
                    "query": .object(query.mapValues(JSONValue.string))]
        }]
    }

    func handle(_ call: ToolCall, context: ToolContext) async throws -> ToolResult {
        switch call.name {
        case "book_table":
            let name = call.arguments["name"]?.stringValue ?? ""
            let size = call.arguments["party_size"]?.intValue ?? 0
            try await context.db.insert(into: "desk_bookings").columns("call_id", "name", "party_size")
                .values(SQLBind(context.call.callID), SQLBind(name), SQLBind(size)).run()
            let count = try await context.db.select().column("id").from("desk_bookings").all().count
            return ToolResult(["booked": true, "name": .string(name), "party_size": .int(size), "bookings_so_far": .int(count),
                               "caller": context.call.fromNumber.map(JSONValue.string) ?? .null])
        case "big_answer":
            return ToolResult(["items": .array((0..<2_000).map { .string("slot number \($0) is free") }), "note": .string(String(repeating: "x", count: 40_000))])
        default:
            throw ToolError.unknownTool(call.name)
        }
    }

    func callEnded(_ outcome: CallOutcome, context: HookContext) async throws {
        try await context.storage.sql.insert(into: "desk_hooks").columns("hook", "call_id", "detail")
            .values(SQLBind("ended"), SQLBind(outcome.call.callID), SQLBind(outcome.disconnectionReason)).run()
    }

    func callAnalyzed(_ outcome: CallOutcome, context: HookContext) async throws {
        try await context.storage.sql.insert(into: "desk_hooks").columns("hook", "call_id", "detail")
            .values(SQLBind("analyzed"), SQLBind(outcome.call.callID), SQLBind(outcome.analysis?["call_summary"]?.stringValue)).run()
        throw ToolError.failed("the analytics service is down")  // must be logged, never fail the webhook
    }

    func inboundLookup(from: String, to: String, context: HookContext) async throws -> [String: String] {
        from == "+14155550142" ? ["caller_name": "Priya"] : [:]
    }
}

/// agents.yaml and helpers shared by the Retell webhook, function and read-API tests.
enum RetellFixtures {
    static let apiKey = "key_demo_4f8a1c2e9b7d"
    /// The spec's vector timestamp, 2025-08-05T13:20:00Z.
    static let vectorTime: Int64 = 1_754_400_000_000
    static let clock = WallClock.fixed(Date(timeIntervalSince1970: Double(vectorTime) / 1000))

    static func yaml(verify: Bool = true, adminToken: String? = "s3cret-admin", apiKey: String? = RetellFixtures.apiKey) -> String {
        """
        server:
          database: unused.sqlite
          default_agent: desk
          verify_signatures: \(verify)
        \(adminToken.map { "  admin_token: \($0)" } ?? "")
        retell:
          api_key: \(apiKey ?? "${RETELL_API_KEY_UNSET:-}")
        llms:
          test: { plugin: scripted, model: script-1 }
        agents:
          desk:
            retell_agent_id: agent_4b7d
            language: en-US
            timezone: Europe/Berlin
            persona: prompts/desk.md
            llm: test
            begin_message: "Hello!"
            phone_numbers: ["+16505550199"]
            skills:
              - front_desk: {}
          annex:
            language: en-US
            persona: prompts/desk.md
            llm: test
            begin_message: "Annex, hello!"
            phone_numbers: ["+16505550100"]
            skills:
              - front_desk: {}
        """
    }

    static func runtime(
        verify: Bool = true, adminToken: String? = "s3cret-admin", apiKey: String? = RetellFixtures.apiKey, database: String? = nil
    ) async throws -> SwitchboardRuntime {
        try await TestFixtures.runtime(
            yaml: yaml(verify: verify, adminToken: adminToken, apiKey: apiKey), files: ["prompts/desk.md": "You are the front desk."],
            plugins: [FrontDeskPlugin(), ScriptedLLMPlugin(ScriptedLLM([]))], database: database, clock: clock)
    }

    /// Headers of a request Retell signed at `timestamp` (default: the fixed clock's now).
    static func signed(_ body: String, timestamp: Int64 = vectorTime, key: String = apiKey) -> HTTPFields {
        signed(Array(body.utf8), timestamp: timestamp, key: key)
    }

    static func signed(_ body: [UInt8], timestamp: Int64 = vectorTime, key: String = apiKey) -> HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.init("X-Retell-Signature")!] = RetellSignature.sign(body: body, apiKey: key, timestamp: timestamp)
        return headers
    }

    /// Rows of `sql`, for checks.
    static func count(_ runtime: SwitchboardRuntime, _ table: String, where column: String? = nil, is value: String? = nil) async throws -> Int {
        let query = runtime.database.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table)
        if let column, let value { query.where(column, .equal, SQLBind(value)) }
        return try await query.first()?.decode(column: "n", as: Int.self) ?? 0
    }
}
