import PluginAPI

/// Everything an LLM stream produced, and the error it ended with: what backend tests assert on.
public struct StreamOutcome: Sendable {
    public var events: [LLMEvent] = []
    public var error: (any Error)?

    /// The streamed text, joined.
    public var text: String {
        events.map { if case .textDelta(let text) = $0 { text } else { "" } }.joined()
    }
    public var toolCalls: [ToolCall] { events.compactMap { if case .toolCall(let call) = $0 { call } else { nil } } }
    public var finish: LLMFinish? { events.compactMap { if case .finished(let finish) = $0 { finish } else { nil } }.last }
    public var llmError: LLMError? { error as? LLMError }
}

/// Drains `stream` into a ``StreamOutcome`` (errors are kept, not thrown).
public func collect(_ stream: AsyncThrowingStream<LLMEvent, any Error>) async -> StreamOutcome {
    var outcome = StreamOutcome()
    do {
        for try await event in stream { outcome.events.append(event) }
    } catch {
        outcome.error = error
    }
    return outcome
}

/// Consumes `stream` in a task of its own until the first event arrives, then cancels that task (as an
/// interrupted turn does); returns the event, or nil when the stream ended without one.
public func firstEventThenCancel(_ stream: AsyncThrowingStream<LLMEvent, any Error>) async -> LLMEvent? {
    let (firstEvent, signal) = AsyncStream.makeStream(of: LLMEvent.self)
    let consumer = Task {
        defer { signal.finish() }
        for try await event in stream { signal.yield(event) }
    }
    var iterator = firstEvent.makeAsyncIterator()
    let first = await iterator.next()
    consumer.cancel()
    return first
}
