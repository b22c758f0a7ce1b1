import Foundation
import Host
import PluginAPI
import SQLKit
import SwitchboardTesting
import Testing

@Suite struct ToolRouterTests {
    func runtime(_ database: String? = nil, yaml: String = Fixtures.yaml) async throws -> SwitchboardRuntime {
        try await TestFixtures.runtime(yaml: yaml, files: Fixtures.files, plugins: Fixtures.plugins(), database: database)
    }

    func invoke(_ runtime: SwitchboardRuntime, _ tool: String, _ arguments: JSONValue, call: String = "call-1", turn: Int? = 1) async throws -> ToolRouter.Outcome {
        let agent = try #require(runtime.catalog.agent("notes-desk"))
        return try await runtime.tools.run(.init(
            agent: agent, call: CallInfo(callID: call, agentID: agent.id), toolCall: ToolCall(id: UUID().uuidString, name: tool, arguments: arguments),
            turnIndex: turn, source: "test", clock: .system))
    }

    @Test(arguments: try TestFixtures.databases())
    func aReissuedToolForTheSameTurnRunsOnce(_ database: String?) async throws {
        let runtime = try await runtime(database)
        let first = try await invoke(runtime, "add_note", ["text": "pizza"], turn: 3)
        let again = try await invoke(runtime, "add_note", ["text": "pizza"], turn: 3)
        #expect(!first.replayed && again.replayed)
        #expect(again.result == first.result)
        let nextTurn = try await invoke(runtime, "add_note", ["text": "pizza"], turn: 4)
        #expect(!nextTurn.replayed)
        #expect(nextTurn.result.value["count"] == 2)
        #expect(try await invoke(runtime, "count_notes", [:]).result.value["count"] == 2)
        let records = try await runtime.database.sql.select().column("id").from("tool_invocations").all()
        #expect(records.count == 3)  // two add_note runs and one look-up; the replay is not a new record
        await runtime.shutdown()
    }

    @Test(arguments: try TestFixtures.databases())
    func concurrentTwinsRunOnce(_ database: String?) async throws {
        let runtime = try await runtime(database)
        let outcomes = try await withThrowingTaskGroup(of: ToolRouter.Outcome.self) { group in
            for _ in 0..<10 { group.addTask { try await invoke(runtime, "add_note", ["text": "once"], call: "twins", turn: 1) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.filter { !$0.replayed }.count == 1)
        let rows = try await runtime.database.sql.select().column("id").from("test_notes").where("call_id", .equal, SQLBind("twins")).all()
        #expect(rows.count == 1)
        await runtime.shutdown()
    }

    @Test func rejectsUnknownToolsAndBadArgumentsBeforeRunning() async throws {
        let runtime = try await runtime()
        await #expect(throws: ToolError.unknownTool("add_noet")) { try await invoke(runtime, "add_noet", [:]) }
        await #expect(throws: ToolError.invalidArguments([
            SchemaViolation(path: "/text", message: "is required"),
            SchemaViolation(path: "/txt", message: "is not an allowed property"),
        ])) { try await invoke(runtime, "add_note", ["txt": "x"]) }
        await runtime.shutdown()
    }

    @Test func aSlowToolTimesOutAndRollsBack() async throws {
        let runtime = try await runtime(yaml: Fixtures.yaml.replacingOccurrences(of: "tool_timeout: 10s", with: "tool_timeout: 300ms"))
        let outcome = try await invoke(runtime, "slow_note", [:])
        #expect(outcome.result.isError)
        #expect(outcome.result.value["error"]?.stringValue?.contains("did not answer in time") == true)
        await runtime.shutdown()
    }

    @Test func engineToolsProduceCallActions() async throws {
        let runtime = try await runtime()
        #expect(try await invoke(runtime, "end_call", [:]).result.actions == [.endCall])
        #expect(try await invoke(runtime, "transfer_call", ["message": "One moment"]).result.actions == [.transfer(number: "+14155550100")])
        await runtime.shutdown()
    }
}
