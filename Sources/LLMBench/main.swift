// llm-bench: the cost of the LLM plugins' per-chunk path (SSE parsing, chunk decoding, handing events on).
//
//   swift run -c release llm-bench [chunks]
//
// 1. In process: pre-encoded streams are fed through the same parser and decoders the plugins use.
// 2. The request body of a call 100 caller turns in, written by each plugin.
// 3. End to end: the Gemini and OpenAI plugins generate the same number of chunks from the fake servers over
//    loopback, each event handed to a sink as the engine receives it (this includes the fake server and
//    HTTP, so it is an upper bound).
import Foundation
import LLMGemini
import LLMOpenAI
import LLMSupport
import Logging
import NIOCore
import PluginAPI
import SwitchboardTesting
import Synchronization

let chunks = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 20_000
let sentence = "Our margherita is made with San Marzano tomatoes and fresh basil. "

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

/// Generates one answer from `backend` and returns µs per chunk from the first event to the last.
func endToEnd(_ backend: any LLMBackend) async throws -> Double {
    let seen = Mutex<(first: ContinuousClock.Instant?, events: Int)>((nil, 0))
    try await backend.generate(LLMRequest(systemPrompt: "bench", messages: [.user("go")])) { _ in
        seen.withLock { seen in
            if seen.first == nil { seen.first = .now }
            seen.events += 1
        }
    }
    let (first, events) = seen.withLock { ($0.first!, $0.events) }
    precondition(events == chunks + 1, "expected \(chunks + 1) events, got \(events)")
    return microseconds(ContinuousClock.now - first) / Double(chunks - 1)
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

/// Writes the request body for a call 100 caller turns in (200 plain messages), `runs` times; µs per body.
func requestBody(_ write: (LLMRequest) -> [UInt8], runs: Int = 2000) -> (Double, Int) {
    let messages: [ChatMessage] = (0..<200).map { index in
        index % 2 == 0 ? .user("Another plain utterance for turn \(index), about as long as people speak.")
            : .assistant(AssistantTurn(text: "w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12 w13 w14 w15 w16 w17 w18 w19 w20 "))
    }
    let request = LLMRequest(systemPrompt: "You are a benchmark agent.", messages: messages)
    var bytes = 0
    let clock = ContinuousClock()
    let start = clock.now
    for _ in 0..<runs { bytes = write(request).count }
    return (microseconds(clock.now - start) / Double(runs), bytes)
}

_ = requestBody({ GeminiRequest.body($0, config: GeminiConfig(model: "gemini-2.5-flash", apiKey: "k")) }, runs: 200)  // warm-up
_ = requestBody({ OpenAIRequest.body($0, config: OpenAIConfig(model: "gpt-4o-mini", apiKey: "")) }, runs: 200)
let (geminiBody, geminiBytes) = requestBody { GeminiRequest.body($0, config: GeminiConfig(model: "gemini-2.5-flash", apiKey: "k")) }
print(String(format: "request body, 200 messages, gemini: %.1f µs (%d bytes)", geminiBody, geminiBytes))
let (openAIBody, openAIBytes) = requestBody { OpenAIRequest.body($0, config: OpenAIConfig(model: "gpt-4o-mini", apiKey: "")) }
print(String(format: "request body, 200 messages, openai: %.1f µs (%d bytes)", openAIBody, openAIBytes))
let kept = EncodedMessagesCache()
let (keptBody, _) = requestBody { request in
    var request = request
    request.conversationID = "call_bench"  // every run after the first finds all 200 messages kept
    return OpenAIRequest.body(request, config: OpenAIConfig(model: "gpt-4o-mini", apiKey: ""), messages: kept)
}
print(String(format: "request body, 200 messages, openai, kept encoded: %.1f µs", keptBody))
let keptTurns = EncodedMessagesCache()
let (keptGeminiBody, _) = requestBody { request in
    var request = request
    request.conversationID = "call_bench"  // after the first run, every turn but the last is kept
    return GeminiRequest.body(request, config: GeminiConfig(model: "gemini-2.5-flash", apiKey: "k"), messages: keptTurns)
}
print(String(format: "request body, 200 messages, gemini, kept encoded: %.1f µs", keptGeminiBody))

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
