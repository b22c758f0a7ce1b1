import NIOCore
import NIOHTTP1
import PluginAPI

/// Reads one streaming LLM response where it arrives, on its connection's event loop, whichever HTTP
/// client carries it: parses the server-sent events, decodes them with the provider's decoder and hands
/// the events on, or collects an error body for the error mapper.
///
/// Text decoded from one body part goes on as one delta: one event for the consumer and one frame to Retell
/// instead of one per provider event (providers often pack several events into one network read).
///
/// `@unchecked Sendable`: both transports call a reader's methods on the connection's event loop, one at a
/// time (AsyncHTTPClient's delegate contract; ``PlainHTTPClient`` calls from its channel handler), and
/// nothing else reads or writes `state`; the other stored properties are immutable and Sendable.
final class SSEResponseReader<Decoder: LLMStreamDecoder>: PlainHTTPResponseConsumer, @unchecked Sendable {
    /// Largest error body kept for the error mapper.
    static var errorBodyLimit: Int { 1 << 20 }

    private struct State {
        var parser = SSEParser()
        var decoder: Decoder
        /// False once the decoder has seen the end of the answer; later bytes are ignored.
        var open = true
        var head: HTTPResponseHead?
        var errorBody = ByteBuffer()
        /// Whether the response is a 2xx (its body is the answer, not an error).
        var succeeded: Bool { head.map { (200..<300).contains($0.status.code) } ?? false }
    }

    private var state: State
    private let progress: AttemptProgress
    private let onEvent: LLMEventSink
    private let mapError: StreamingEndpoint.ErrorMapper

    init(decoder: Decoder, progress: AttemptProgress, onEvent: @escaping LLMEventSink, mapError: @escaping StreamingEndpoint.ErrorMapper) {
        state = State(decoder: decoder)
        self.progress = progress
        self.onEvent = onEvent
        self.mapError = mapError
    }

    func receiveHead(_ head: HTTPResponseHead) {
        progress.headersArrived()
        state.head = head
    }

    func receiveBody(_ buffer: ByteBuffer) throws {
        progress.chunkArrived()
        try decode { state, emit in
            guard state.succeeded else {
                if state.errorBody.readableBytes < Self.errorBodyLimit { state.errorBody.writeImmutableBuffer(buffer) }
                return
            }
            guard state.open else { return }
            try Self.decodeEvents(of: buffer, &state.parser, &state.decoder, &state.open, emit)
        }
    }

    func receiveEnd() throws {
        try decode { state, emit in
            guard state.succeeded else {
                let status = state.head.map { Int($0.status.code) } ?? 0
                throw mapError(status, state.head?.headers ?? [:], state.errorBody)
            }
            if state.open { try Self.decodeEvents(of: nil, &state.parser, &state.decoder, &state.open, emit) }
            try state.decoder.finish(emit: emit)
        }
    }

    /// Runs `body` on the state with an `emit` that merges text; the merged text goes out when `body` ends,
    /// also when it throws (text read before a failure still goes out ahead of the error).
    private func decode(_ body: (inout State, (LLMEvent) -> Void) throws -> Void) throws {
        var pendingText = ""
        var emitted = false
        let onEvent = onEvent
        let emit: (LLMEvent) -> Void = { event in
            emitted = true
            if case .textDelta(let text) = event {
                pendingText += text
                return
            }
            if !pendingText.isEmpty {
                onEvent(.textDelta(pendingText))
                pendingText = ""
            }
            onEvent(event)
        }
        defer {
            if !pendingText.isEmpty { onEvent(.textDelta(pendingText)) }
            if emitted { progress.emitted() }
        }
        try body(&state, emit)
    }

    /// Parses `buffer` (nil: the end of the body) and hands each event to the decoder until it is done. The
    /// state's parts come as separate arguments so the parser's callback may use the decoder.
    private static func decodeEvents(
        of buffer: ByteBuffer?, _ parser: inout SSEParser, _ decoder: inout Decoder, _ open: inout Bool, _ emit: (LLMEvent) -> Void
    ) throws {
        let consume = { (event: SSEEvent) throws in
            if open { open = try decoder.consume(event, emit: emit) }
        }
        if let buffer { try parser.feed(buffer, consume) } else { try parser.finish(consume) }
    }
}
