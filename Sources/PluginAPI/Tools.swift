/// A function a skill or tool provider offers to the LLM (and to Retell custom functions).
public struct ToolDefinition: Sendable, Hashable, Codable {
    /// How a tool touches the world, which decides how the host runs it.
    public enum Effect: String, Sendable, Hashable, Codable {
        /// A pure look-up: runs outside a transaction and is never deduplicated; asking again asks again.
        case readOnly = "read_only"
        /// Changes state: runs in one transaction with its invocation record, and a re-issue for the same
        /// caller turn with the same arguments returns the stored result instead of running again.
        case mutating
    }

    /// The name the LLM calls (`[A-Za-z0-9_-]`, at most 64 characters).
    public var name: String
    /// What the tool does, written for the LLM.
    public var description: String
    /// The JSON Schema of the arguments object.
    public var parameters: JSONSchema
    /// Whether it changes state (see ``Effect``).
    public var effect: Effect

    public init(name: String, description: String, parameters: JSONSchema, effect: Effect = .mutating) {
        self.name = name
        self.description = description
        self.parameters = parameters
        self.effect = effect
    }
}

/// A request from the LLM (or from Retell, or the command line) to run one tool.
public struct ToolCall: Sendable, Hashable, Codable {
    /// Unique per call of a tool; results refer back to it.
    public var id: String
    /// The tool's name.
    public var name: String
    /// The arguments object.
    public var arguments: JSONValue
    /// Provider extras that must travel back with this call in later requests (Gemini's
    /// `thoughtSignature`), opaque to everything but the backend that produced them.
    public var providerMetadata: [String: JSONValue]

    public init(id: String, name: String, arguments: JSONValue, providerMetadata: [String: JSONValue] = [:]) {
        self.id = id
        self.name = name
        self.arguments = arguments
        self.providerMetadata = providerMetadata
    }
}

/// Something the call should do after the agent has spoken a tool's outcome.
public enum CallAction: Sendable, Hashable, Codable {
    /// Hang up once the current response has been spoken.
    case endCall
    /// Cold-transfer the caller to an E.164 number once the current response has been spoken.
    case transfer(number: String)
}

/// What a tool returns.
public struct ToolResult: Sendable, Hashable, Codable {
    /// The structured result (the HTTP answer of a custom function, the `tool` message for the LLM).
    public var value: JSONValue
    /// An optional summary for the LLM when the JSON alone reads poorly (e.g. "Order 42 confirmed, ready at 18:30").
    public var text: String?
    /// Actions for the call (end it, transfer it).
    public var actions: [CallAction]
    /// Whether the tool failed in a way the LLM should hear about (the value then explains why).
    public var isError: Bool

    public init(_ value: JSONValue, text: String? = nil, actions: [CallAction] = [], isError: Bool = false) {
        self.value = value
        self.text = text
        self.actions = actions
        self.isError = isError
    }

    /// A failure the LLM should hear, as `{"error": message}`.
    public static func failure(_ message: String, details: JSONValue? = nil) -> ToolResult {
        var body: [String: JSONValue] = ["error": .string(message)]
        if let details { body["details"] = details }
        return ToolResult(.object(body), isError: true)
    }
}

/// A tool handler's failure that is not part of the conversation (the host logs it and answers with an
/// error result or an HTTP error).
public enum ToolError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No tool by that name in this agent.
    case unknownTool(String)
    /// The arguments break the tool's schema; one entry per problem.
    case invalidArguments([SchemaViolation])
    /// The tool ran and failed.
    case failed(String)

    public var description: String {
        switch self {
        case .unknownTool(let name): return "unknown tool '\(name)'"
        case .invalidArguments(let problems): return "invalid arguments: " + problems.map(\.description).joined(separator: "; ")
        case .failed(let message): return message
        }
    }
}
