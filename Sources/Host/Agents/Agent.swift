import Foundation
import PluginAPI

/// One agent, built from its agents.yaml entry: templates, plugin instances, tools and status.
public struct Agent: Sendable {
    /// Whether the agent can do its work.
    public enum Status: Sendable, Hashable {
        case ok
        /// Something it needs is missing (e.g. an unset API key); calls hear the fallback line.
        case degraded(reasons: [String])

        public var label: String {
            if case .ok = self { return "ok" }
            return "degraded"
        }
    }

    /// A tool as the agent offers it, with where it comes from.
    public struct Tool: Sendable {
        public var definition: ToolDefinition
        /// The plugin id (`restaurant`) or `engine` for built-ins.
        public var source: String
        /// The provider that runs it (`nil` for engine built-ins).
        public var provider: (any ToolProvider)?
    }

    public var config: AgentConfig
    public var id: String { config.id }
    public var persona: PromptTemplate
    public var beginMessage: PromptTemplate
    /// Skills in config order, with their plugin ids.
    public var skills: [(id: String, skill: any Skill)]
    /// Every tool the agent offers, in a stable order.
    public var tools: [Tool] {
        didSet { toolDefinitions = tools.map(\.definition) }
    }
    /// The tools' definitions as the LLM sees them: one array shared by every turn, so a backend can tell
    /// cheaply that it already encoded this list.
    public private(set) var toolDefinitions: [ToolDefinition]
    /// The LLM backend (nil when it could not be built, which makes the agent degraded).
    public var llm: (any LLMBackend)?
    /// The resolved timezone: the agent's, else its first skill's, else the server's, else UTC.
    public var timeZone: TimeZone
    public var status: Status

    public init(
        config: AgentConfig, persona: PromptTemplate, beginMessage: PromptTemplate, skills: [(id: String, skill: any Skill)],
        tools: [Tool], llm: (any LLMBackend)?, timeZone: TimeZone, status: Status
    ) {
        self.config = config
        self.persona = persona
        self.beginMessage = beginMessage
        self.skills = skills
        self.tools = tools
        self.toolDefinitions = tools.map(\.definition)
        self.llm = llm
        self.timeZone = timeZone
        self.status = status
    }

    /// The tool called `name`.
    public func tool(named name: String) -> Tool? { tools.first { $0.definition.name == name } }
}

/// Engine-owned tools, offered when an agent lists them under `tools`.
enum EngineTools {
    static let endCall = ToolDefinition(
        name: "end_call",
        description: "End the phone call after saying goodbye. Use when the caller is done or asks to hang up.",
        parameters: .object([.init("goodbye", .string("The last sentence to say before hanging up."))]),
        effect: .readOnly)

    static let transferCall = ToolDefinition(
        name: "transfer_call",
        description: "Transfer the caller to a human colleague. Use when the caller asks for a person or you cannot help.",
        parameters: .object([.init("message", .string("What to say before transferring, e.g. 'I'll connect you now.'"))]),
        effect: .readOnly)

    static func definition(_ name: String) -> ToolDefinition? {
        switch name {
        case "end_call": return endCall
        case "transfer_call": return transferCall
        default: return nil
        }
    }
}
