import AsyncHTTPClient
import LLMGemini
import LLMSupport
import Logging
import PluginAPI
import SwitchboardTesting

/// A Gemini backend pointed at `fake`, with short timeouts and tiny backoff so fault tests run fast.
func makeBackend(
    _ fake: FakeGeminiServer, model: String = "gemini-2.5-flash", maxRetries: Int = 2,
    timeouts: StreamTimeouts = StreamTimeouts(connect: .seconds(3), firstChunk: .seconds(3), idle: .seconds(3))
) -> GeminiBackend {
    let config = GeminiConfig(
        model: model, apiKey: fake.apiKey, baseURL: fake.baseURL, temperature: 0.3,
        transport: TransportConfig(timeouts: timeouts, retry: RetryPolicy(maxRetries: maxRetries, baseDelay: .milliseconds(5), maxDelay: .milliseconds(300))))
    return GeminiBackend(config: config, client: .shared, logger: Logger(label: "gemini-test"))
}

/// Everything a stream produced, and the error it ended with.
struct Outcome {
    var events: [LLMEvent] = []
    var error: (any Error)?

    var text: String {
        events.map { if case .textDelta(let text) = $0 { text } else { "" } }.joined()
    }
    var toolCalls: [ToolCall] { events.compactMap { if case .toolCall(let call) = $0 { call } else { nil } } }
    var finish: LLMFinish? { events.compactMap { if case .finished(let finish) = $0 { finish } else { nil } }.last }
    var llmError: LLMError? { error as? LLMError }
}

func collect(_ stream: AsyncThrowingStream<LLMEvent, any Error>) async -> Outcome {
    var outcome = Outcome()
    do {
        for try await event in stream { outcome.events.append(event) }
    } catch {
        outcome.error = error
    }
    return outcome
}

let weatherTool = ToolDefinition(
    name: "get_forecast", description: "Returns today's forecast for a city.",
    parameters: .object([.init("city", .string("City name"), required: true)]), effect: .readOnly)

func question(_ text: String = "Do I need an umbrella in Lyon today?", tools: [ToolDefinition] = []) -> LLMRequest {
    LLMRequest(systemPrompt: "You help callers with the weather.", messages: [.user(text)], tools: tools)
}
