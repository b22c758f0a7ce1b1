/// Receives the events of an answer as they arrive, in order. It may be called on an I/O thread (an HTTP
/// connection's event loop), so it must return quickly and never block.
public typealias LLMEventSink = @Sendable (LLMEvent) -> Void

/// A language model that streams its answer: the protocol every LLM plugin implements.
///
/// Cancelling the task that awaits ``generate(_:onEvent:)`` must stop the work, including closing the HTTP
/// request to the provider, so that an interrupted turn costs nothing further.
public protocol LLMBackend: Sendable {
    /// Generates the model's answer to `request`, handing each event to `onEvent` as it arrives; returns
    /// once the answer is complete (after ``LLMEvent/finished(_:)``). Errors are ``LLMError``s.
    ///
    /// Events go straight from where they are decoded to `onEvent`, with no task or stream in between:
    /// on the per-token path of a call every hop between threads counts.
    func generate(_ request: LLMRequest, onEvent: @escaping LLMEventSink) async throws
}

extension LLMBackend {
    /// The model's answer to `request` as an asynchronous stream, for callers that prefer iterating (the
    /// `chat` and `llm` commands, tests). Stopping the iteration cancels the generation.
    public func stream(_ request: LLMRequest) -> AsyncThrowingStream<LLMEvent, any Error> {
        AsyncThrowingStream { continuation in
            let generation = Task {
                do {
                    try await generate(request) { continuation.yield($0) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in generation.cancel() }
        }
    }
}

/// Everything a model needs for one generation.
public struct LLMRequest: Sendable, Hashable, Codable {
    /// The rendered persona prompt.
    public var systemPrompt: String
    /// The conversation so far, oldest first.
    public var messages: [ChatMessage]
    /// The tools the model may call.
    public var tools: [ToolDefinition]
    /// Sampling settings for this request; `nil` fields use the backend's configured defaults.
    public var settings: GenerationSettings
    /// The conversation this request continues (the call id), or nil for a one-off request. A conversation's
    /// requests repeat its earlier messages: a backend may keep them encoded and write only what was added.
    public var conversationID: String?

    public init(
        systemPrompt: String, messages: [ChatMessage], tools: [ToolDefinition] = [],
        settings: GenerationSettings = GenerationSettings(), conversationID: String? = nil
    ) {
        self.systemPrompt = systemPrompt
        self.messages = messages
        self.tools = tools
        self.settings = settings
        self.conversationID = conversationID
    }
}

/// Per-request sampling overrides.
public struct GenerationSettings: Sendable, Hashable, Codable {
    public var temperature: Double?
    public var maxOutputTokens: Int?
    public var topP: Double?

    public init(temperature: Double? = nil, maxOutputTokens: Int? = nil, topP: Double? = nil) {
        self.temperature = temperature
        self.maxOutputTokens = maxOutputTokens
        self.topP = topP
    }
}

/// One piece of a streamed answer.
public enum LLMEvent: Sendable, Hashable, Codable {
    /// Text to speak, as it arrives (text that arrived together in one piece of the response may come as one delta).
    case textDelta(String)
    /// A complete tool call (never partial arguments).
    case toolCall(ToolCall)
    /// The end of the answer.
    case finished(LLMFinish)
}

/// How and why a generation ended.
public struct LLMFinish: Sendable, Hashable, Codable {
    /// Why the model stopped.
    public enum Reason: String, Sendable, Hashable, Codable {
        case stop, toolCalls = "tool_calls", maxTokens = "max_tokens", other
    }

    public var reason: Reason
    public var usage: TokenUsage?
    /// Provider extras for the turn's text (kept on the ``AssistantTurn``).
    public var providerMetadata: [String: JSONValue]

    public init(reason: Reason, usage: TokenUsage? = nil, providerMetadata: [String: JSONValue] = [:]) {
        self.reason = reason
        self.usage = usage
        self.providerMetadata = providerMetadata
    }
}

/// Token counts reported by the provider.
public struct TokenUsage: Sendable, Hashable, Codable {
    public var inputTokens: Int
    public var outputTokens: Int

    public init(inputTokens: Int, outputTokens: Int) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
    }
}

/// A failed generation, typed so the engine can choose the fallback and metrics can count causes.
public struct LLMError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// The key is missing or refused (401/403).
        case authentication
        /// The request itself is wrong (400, 404): retrying will not help.
        case invalidRequest = "invalid_request"
        /// Rate or quota limit (429).
        case rateLimited = "rate_limited"
        /// The provider failed or is overloaded (5xx, dropped connection).
        case unavailable
        /// No answer in time (connect, first chunk, or idle gap).
        case timeout
        /// The provider refused to answer (safety, recitation, blocked prompt).
        case blocked
        /// The model produced an unusable answer (malformed function call, unparsable chunk).
        case malformedResponse = "malformed_response"
    }

    public var kind: Kind
    /// The provider's HTTP status, when there was one.
    public var status: Int?
    /// The provider's own message (never a key).
    public var message: String

    public init(_ kind: Kind, status: Int? = nil, message: String) {
        self.kind = kind
        self.status = status
        self.message = message
    }

    public var description: String {
        "\(kind.rawValue)" + (status.map { " (HTTP \($0))" } ?? "") + ": \(message)"
    }
}

/// An LLM backend that can list the models its provider serves, for the operator's
/// `switchboard llm check NAME` (never called during calls or tests against live services).
public protocol ModelListing: Sendable {
    /// The model ids the provider offers to this key.
    func listModels() async throws -> [String]
}
