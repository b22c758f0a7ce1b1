// llm-bench: the cost of the LLM plugins' per-chunk path (SSE parsing, chunk decoding, forwarding).
//
//   swift run -c release llm-bench [chunks]
//
// 1. In process: pre-encoded streams are fed through the same parser and decoders the plugins use, and every
//    event is forwarded through an AsyncThrowingStream to a consumer task, as the plugins do.
// 2. End to end: the Gemini and OpenAI plugins stream the same number of chunks from the fake servers over
//    loopback (this includes the fake server and HTTP, so it is an upper bound).
import Foundation
import LLMGemini
import LLMOpenAI
import LLMSupport
import Logging
import NIOCore
import PluginAPI
import SwitchboardTesting

let chunks = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 20_000
let sentence = "Our margherita is made with San Marzano tomatoes and fresh basil. "

/// Feeds `wire` (one buffer per event) through `decoder`, forwarding events to a consumer; returns µs per chunk.
func inProcess<Decoder: LLMStreamDecoder>(_ wire: [ByteBuffer], _ makeDecoder: () -> Decoder) async throws -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    let (stream, continuation) = AsyncThrowingStream.makeStream(of: LLMEvent.self)
    let consumer = Task {
        var count = 0
        for try await _ in stream { count += 1 }
        return count
    }
    var parser = SSEParser()
    var decoder = makeDecoder()
    let emit: (LLMEvent) -> Void = { continuation.yield($0) }
    for buffer in wire {
        try parser.feed(buffer) { event in _ = try decoder.consume(event, emit: emit) }
    }
    try parser.finish { event in _ = try decoder.consume(event, emit: emit) }
    try decoder.finish(emit: emit)
    continuation.finish()
    let events = try await consumer.value
    precondition(events == chunks + 1, "expected \(chunks + 1) events, got \(events)")
    return microseconds(clock.now - start) / Double(chunks)
}

/// Feeds `wire` through the parser and `decoder` without forwarding the events; returns µs per chunk.
func decodeOnly<Decoder: LLMStreamDecoder>(_ wire: [ByteBuffer], _ makeDecoder: () -> Decoder) throws -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    var parser = SSEParser()
    var decoder = makeDecoder()
    var events = 0
    let emit: (LLMEvent) -> Void = { _ in events += 1 }
    for buffer in wire { try parser.feed(buffer) { event in _ = try decoder.consume(event, emit: emit) } }
    try parser.finish { event in _ = try decoder.consume(event, emit: emit) }
    try decoder.finish(emit: emit)
    precondition(events == chunks + 1)
    return microseconds(clock.now - start) / Double(chunks)
}

/// Feeds `wire` through the SSE parser alone; returns µs per chunk.
func parseOnly(_ wire: [ByteBuffer]) -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    var parser = SSEParser()
    var bytes = 0
    for buffer in wire { parser.feed(buffer) { bytes += $0.data.count } }
    parser.finish { bytes += $0.data.count }
    precondition(bytes > 0)
    return microseconds(clock.now - start) / Double(chunks)
}

/// Streams one answer from `backend` and returns µs per chunk from the first event to the last.
func endToEnd(_ backend: any LLMBackend) async throws -> Double {
    let clock = ContinuousClock()
    var first: ContinuousClock.Instant?
    var events = 0
    for try await _ in backend.stream(LLMRequest(systemPrompt: "bench", messages: [.user("go")])) {
        if first == nil { first = clock.now }
        events += 1
    }
    precondition(events == chunks + 1, "expected \(chunks + 1) events, got \(events)")
    return microseconds(clock.now - first!) / Double(chunks - 1)
}

func microseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12
}

let texts = (0..<chunks).map { "\($0): " + sentence }
let geminiWire = texts.map { ByteBuffer(string: SSEFraming.crlf.event(FakeGeminiServer.textChunk($0))) }
    + [ByteBuffer(string: SSEFraming.crlf.event(FakeGeminiServer.finishChunk()))]
let openAIWire = texts.map { ByteBuffer(string: SSEFraming.lf.event(FakeOpenAIServer.chunk(delta: ["content": .string($0)]))) }
    + [ByteBuffer(string: SSEFraming.lf.event(FakeOpenAIServer.chunk(delta: [:], finishReason: "stop"))), ByteBuffer(string: "data: [DONE]\n\n")]

print("chunks per run: \(chunks) (average chunk: \(geminiWire[0].readableBytes) bytes Gemini, \(openAIWire[0].readableBytes) bytes OpenAI)")
print(String(format: "SSE parsing alone: %.2f µs/chunk", parseOnly(geminiWire)))
print(String(format: "parse + decode, gemini: %.2f µs/chunk", try decodeOnly(geminiWire) { GeminiStreamDecoder() }))
print(String(format: "parse + decode, openai: %.2f µs/chunk", try decodeOnly(openAIWire) { OpenAIStreamDecoder() }))
_ = try await inProcess(geminiWire) { GeminiStreamDecoder() }  // warm-up
print(String(format: "parse + decode + forward, gemini: %.2f µs/chunk", try await inProcess(geminiWire) { GeminiStreamDecoder() }))
_ = try await inProcess(openAIWire) { OpenAIStreamDecoder() }
print(String(format: "parse + decode + forward, openai: %.2f µs/chunk", try await inProcess(openAIWire) { OpenAIStreamDecoder() }))

let logger = Logger(label: "llm-bench")
try await FakeGeminiServer.run { gemini in
    let backend = GeminiBackend(config: GeminiConfig(model: "gemini-2.5-flash", apiKey: gemini.apiKey, baseURL: gemini.baseURL), client: .shared, logger: logger)
    gemini.enqueue(FakeGeminiServer.text(texts), FakeGeminiServer.text(texts))
    _ = try await endToEnd(backend)
    print(String(format: "end to end  gemini: %.2f µs/chunk (fake server + loopback HTTP included)", try await endToEnd(backend)))
}
try await FakeOpenAIServer.run { openai in
    let backend = OpenAIBackend(config: OpenAIConfig(model: "gpt-4o-mini", apiKey: openai.apiKey ?? "", baseURL: openai.baseURL), client: .shared, logger: logger)
    openai.enqueue(FakeOpenAIServer.text(texts), FakeOpenAIServer.text(texts))
    _ = try await endToEnd(backend)
    print(String(format: "end to end  openai: %.2f µs/chunk (fake server + loopback HTTP included)", try await endToEnd(backend)))
}
