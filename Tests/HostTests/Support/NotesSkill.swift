import Foundation
import PluginAPI
import SQLKit

/// A small skill for host tests: notes written to its own table, a look-up, a slow tool and a call hook.
struct NotesSkillPlugin: PluginFactory {
    let id = "notes"
    let kind = PluginKind.skill

    var migrations: [Migration] {
        [Migration("001_notes") { db, _ in
            try await db.create(table: "test_notes").ifNotExists()
                .column("id", type: .bigint, .primaryKey)
                .column("call_id", type: .text, .notNull)
                .column("text", type: .text, .notNull)
                .run()
        }]
    }

    func make(config: ConfigNode, context: PluginSetupContext) async throws -> PluginInstance {
        var reader = ConfigReader(config)
        let title = reader.string("title", default: "Notes") ?? "Notes"
        let timeZone = reader.string("timezone", default: nil).flatMap(TimeZone.init(identifier:))
        reader.finish()
        if !reader.issues.isEmpty { throw ConfigErrors(reader.issues) }
        return .skill(NotesSkill(title: title, timeZone: timeZone))
    }
}

struct NotesSkill: Skill {
    let title: String
    let timeZone: TimeZone?

    var tools: [ToolDefinition] {
        [
            ToolDefinition(name: "add_note", description: "Store a note.",
                           parameters: .object([.init("text", .string(), required: true)])),
            ToolDefinition(name: "count_notes", description: "Count this call's notes.", parameters: .empty, effect: .readOnly),
            ToolDefinition(name: "slow_note", description: "Takes a long time.", parameters: .empty),
        ]
    }

    func promptVariables(for call: CallInfo, context: HookContext) async throws -> JSONValue {
        ["title": .string(title)]
    }

    func handle(_ call: ToolCall, context: ToolContext) async throws -> ToolResult {
        switch call.name {
        case "add_note":
            let text = call.arguments["text"]?.stringValue ?? ""
            try await context.db.insert(into: "test_notes").columns("call_id", "text")
                .values(SQLBind(context.call.callID), SQLBind(text)).run()
            let count = (try await context.state.get("count")?.intValue ?? 0) + 1
            try await context.state.set("count", .int(count))
            return ToolResult(["saved": .string(text), "count": .int(count)], text: "Noted.")
        case "count_notes":
            let rows = try await context.db.select().column("id").from("test_notes")
                .where("call_id", .equal, SQLBind(context.call.callID)).all()
            return ToolResult(["count": .int(rows.count)])
        case "slow_note":
            try await Task.sleep(for: .seconds(30))
            return ToolResult(["done": true])
        default:
            throw ToolError.unknownTool(call.name)
        }
    }
}
