import PluginAPI

/// Turns one provider's stream of server-sent events into ``LLMEvent``s. A fresh decoder is made for every
/// attempt, so it may keep the state of one answer (tool calls being assembled, usage, finish reason).
public protocol LLMStreamDecoder: SendableMetatype {
    /// Handles one event, emitting what it completes. Returns `false` when the answer is complete (OpenAI's
    /// `[DONE]`), `true` to keep reading. Throw ``ProviderFailure`` for errors inside the stream.
    mutating func consume(_ event: SSEEvent, emit: (LLMEvent) -> Void) throws -> Bool
    /// The response body ended (or the answer completed): emit the remaining events, ending with
    /// ``LLMEvent/finished(_:)``, or throw when the answer was cut off or unusable.
    mutating func finish(emit: (LLMEvent) -> Void) throws
}
