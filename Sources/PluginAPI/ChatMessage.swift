/// One entry of the conversation an LLM sees, in the order it happened.
public enum ChatMessage: Sendable, Hashable, Codable {
    /// What the caller said.
    case user(String)
    /// What the agent said and/or the tools it asked for in the same turn.
    case assistant(AssistantTurn)
    /// The outcome of one tool call, answering the call with the same id.
    case toolResult(ToolResultMessage)
}

/// An agent turn: text (possibly empty) followed by tool calls (possibly none).
public struct AssistantTurn: Sendable, Hashable, Codable {
    public var text: String
    public var toolCalls: [ToolCall]
    /// Provider extras tied to the text (Gemini's trailing `thoughtSignature`).
    public var providerMetadata: [String: JSONValue]

    public init(text: String, toolCalls: [ToolCall] = [], providerMetadata: [String: JSONValue] = [:]) {
        self.text = text
        self.toolCalls = toolCalls
        self.providerMetadata = providerMetadata
    }
}

/// A tool's outcome as the LLM sees it.
public struct ToolResultMessage: Sendable, Hashable, Codable {
    /// The id of the ``ToolCall`` this answers.
    public var callID: String
    /// The tool's name (Gemini matches responses by name).
    public var name: String
    /// The result object.
    public var content: JSONValue

    public init(callID: String, name: String, content: JSONValue) {
        self.callID = callID
        self.name = name
        self.content = content
    }
}
