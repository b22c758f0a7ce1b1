import Foundation

/// What a plugin contributes.
public enum PluginKind: String, Sendable, Hashable, Codable {
    /// Domain tools plus prompt variables and call hooks (restaurant, appointments).
    case skill
    /// A language model backend (gemini, openai).
    case llm
    /// Tools only, e.g. brought in over the wire.
    case toolProvider = "tool_provider"
}

/// A plugin, registered by id in the executable and named by that id in agents.yaml.
public protocol PluginFactory: Sendable {
    /// The stable id agents.yaml uses (`restaurant`, `appointments`, `gemini`).
    var id: String { get }
    /// What the plugin builds.
    var kind: PluginKind { get }
    /// The plugin's own tables, applied at start in order (default: none).
    var migrations: [Migration] { get }
    /// Validates the plugin's YAML section and builds an instance.
    ///
    /// Throw ``ConfigErrors`` listing every problem, each located by its node (see ``ConfigReader``).
    func make(config: ConfigNode, context: PluginSetupContext) async throws -> PluginInstance
}

extension PluginFactory {
    public var migrations: [Migration] { [] }
}

/// A built plugin.
public enum PluginInstance: Sendable {
    case skill(any Skill)
    case llm(any LLMBackend)
    case tools(any ToolProvider)
}

/// Something that offers tools.
public protocol ToolProvider: Sendable {
    /// The tools offered (names unique within an agent).
    var tools: [ToolDefinition] { get }
    /// Runs one tool. Arguments were already checked against the tool's schema.
    ///
    /// Return ``ToolResult/failure(_:details:)`` for outcomes the LLM should talk about ("that slot is
    /// taken"); throw for faults.
    ///
    /// During a call, look-ups run on the thread that serves the call's socket (its event loop): await
    /// I/O, never block on it (no synchronous file or network reads, no semaphores).
    func handle(_ call: ToolCall, context: ToolContext) async throws -> ToolResult
    /// Durable job kinds this provider runs (default: none).
    var jobHandlers: [JobHandler] { get }
    /// Listings for the host's read API (default: none).
    var readEndpoints: [ReadEndpoint] { get }
}

extension ToolProvider {
    public var jobHandlers: [JobHandler] { [] }
    public var readEndpoints: [ReadEndpoint] { [] }
}

/// A domain skill: tools, the variables it adds to the persona prompt, and call hooks.
public protocol Skill: ToolProvider {
    /// The timezone of the business, which becomes the agent's default timezone.
    var timeZone: TimeZone? { get }
    /// Variables for the persona template, under the skill's id (`{{restaurant.name}}`).
    func promptVariables(for call: CallInfo, context: HookContext) async throws -> JSONValue
    /// The call was connected.
    func callStarted(_ call: CallInfo, context: HookContext) async throws
    /// The call ended (an order still open should be closed here).
    func callEnded(_ outcome: CallOutcome, context: HookContext) async throws
    /// Retell's post-call analysis arrived.
    func callAnalyzed(_ outcome: CallOutcome, context: HookContext) async throws
    /// An inbound call is ringing: dynamic variables to hand to the agent (e.g. the caller's name).
    func inboundLookup(from: String, to: String, context: HookContext) async throws -> [String: String]
}

extension Skill {
    public var timeZone: TimeZone? { nil }
    public func promptVariables(for call: CallInfo, context: HookContext) async throws -> JSONValue { .object([:]) }
    public func callStarted(_ call: CallInfo, context: HookContext) async throws {}
    public func callEnded(_ outcome: CallOutcome, context: HookContext) async throws {}
    public func callAnalyzed(_ outcome: CallOutcome, context: HookContext) async throws {}
    public func inboundLookup(from: String, to: String, context: HookContext) async throws -> [String: String] { [:] }
}

/// A read-only listing a plugin adds to the host's read API as `GET /api/<name>` (behind the admin
/// token), e.g. `orders` or `appointments`.
public struct ReadEndpoint: Sendable {
    /// The path segment after `/api/`.
    public var name: String
    /// Answers with a JSON document; `query` holds the URL's query parameters (`agent`, `since`, `limit`, …).
    public var handle: @Sendable (_ query: [String: String], _ storage: any PluginStorage) async throws -> JSONValue

    public init(name: String, handle: @escaping @Sendable (_ query: [String: String], _ storage: any PluginStorage) async throws -> JSONValue) {
        self.name = name
        self.handle = handle
    }
}
