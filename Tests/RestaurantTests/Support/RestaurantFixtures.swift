import Foundation
import Host
import PluginAPI
import Restaurant
import SwitchboardTesting

/// The repository's two example restaurants, served by a scripted LLM, for running the skill's tools
/// through the real tool router.
enum RestaurantFixtures {
    /// The repository root (this file is Tests/RestaurantTests/Support/RestaurantFixtures.swift).
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static let dataFiles = [
        "data/bella-napoli/restaurant.yaml", "data/bella-napoli/menu.yaml", "data/trattoria-da-enzo/restaurant.yaml",
        "prompts/restaurant.md", "prompts/restaurant.de.md",
    ]

    /// The shipped data files and prompts, copied into each test's folder.
    static func files() throws -> [String: String] {
        try Dictionary(uniqueKeysWithValues: dataFiles.map { ($0, try String(contentsOf: repository.appendingPathComponent($0), encoding: .utf8)) })
    }

    static let yaml = """
        llms:
          test: { plugin: scripted }
        agents:
          bella-napoli:
            language: en-US
            persona: prompts/restaurant.md
            llm: test
            skills:
              - restaurant: { profile: data/bella-napoli/restaurant.yaml, menu: data/bella-napoli/menu.yaml }
          trattoria-da-enzo:
            language: de-DE
            persona: prompts/restaurant.de.md
            llm: test
            skills:
              - restaurant: { profile: data/trattoria-da-enzo/restaurant.yaml }
        """

    /// Friday 2026-03-06, 18:00 in San Francisco (PST, UTC−8).
    static let fridayEveningInSanFrancisco = date("2026-03-07T02:00:00Z")

    static func date(_ iso: String) -> Date { ISO8601DateFormatter().date(from: iso)! }

    static func runtime(database: String? = nil, at now: Date = fridayEveningInSanFrancisco) async throws -> SwitchboardRuntime {
        try await TestFixtures.runtime(yaml: yaml, files: files(), plugins: [RestaurantPlugin(), ScriptedLLMPlugin(ScriptedLLM([]))],
                                       database: database, clock: .fixed(now))
    }

    /// A restaurant's profile as the plugin builds it from the shipped files.
    static func skill(_ agent: String) async throws -> RestaurantSkill {
        let catalog = try await TestFixtures.catalog(yaml: yaml, files: files(), plugins: [RestaurantPlugin(), ScriptedLLMPlugin(ScriptedLLM([]))])
        return catalog.agent(agent)!.skills.first!.skill as! RestaurantSkill
    }
}

/// Runs tools of one agent through the runtime's router as a caller would.
struct Caller {
    let runtime: SwitchboardRuntime
    let agentID: String
    var callID = "call-" + UUID().uuidString
    var number: String? = "+14155550199"
    var now: Date = RestaurantFixtures.fridayEveningInSanFrancisco

    var call: CallInfo { CallInfo(callID: callID, agentID: agentID, fromNumber: number, direction: "inbound") }

    /// Runs `tool` and returns its result.
    @discardableResult
    func run(_ tool: String, _ arguments: JSONValue = [:]) async throws -> ToolResult {
        guard let agent = runtime.catalog.agent(agentID) else { throw ToolError.failed("no agent \(agentID)") }
        let outcome = try await runtime.tools.run(ToolRouter.Invocation(
            agent: agent, call: call, toolCall: ToolCall(id: UUID().uuidString, name: tool, arguments: arguments),
            turnIndex: nil, source: "test", clock: .fixed(now)))
        return outcome.result
    }
}
