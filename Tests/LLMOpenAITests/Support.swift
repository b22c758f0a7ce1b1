import AsyncHTTPClient
import LLMOpenAI
import LLMSupport
import Logging
import PluginAPI
import SwitchboardTesting

/// An OpenAI-compatible backend pointed at `fake`, with tiny backoff so fault tests run fast; timeouts
/// are generous unless a test is about one (a loaded machine must not turn a slow answer into a retry).
func makeBackend(
    _ fake: FakeOpenAIServer, maxRetries: Int = 2, quirks: OpenAIConfig.Quirks? = nil,
    timeouts: StreamTimeouts = StreamTimeouts(connect: .seconds(30), firstChunk: .seconds(30), idle: .seconds(30)),
    httpClient: TransportConfig.HTTPClientChoice = .automatic, baseURL: String? = nil
) -> OpenAIBackend {
    let config = OpenAIConfig(
        model: "gpt-4o-mini", apiKey: fake.apiKey ?? "", baseURL: baseURL ?? fake.baseURL, temperature: 0.3, maxOutputTokens: 200, quirks: quirks,
        transport: TransportConfig(
            timeouts: timeouts, retry: RetryPolicy(maxRetries: maxRetries, baseDelay: .milliseconds(5), maxDelay: .milliseconds(300)),
            httpClient: httpClient))
    return OpenAIBackend(config: config, client: .shared, logger: Logger(label: "openai-test"))
}

let weatherTool = ToolDefinition(
    name: "get_forecast", description: "Returns today's forecast for a city.",
    parameters: .object([.init("city", .string("City name"), required: true)]), effect: .readOnly)

func question(_ text: String = "Do I need an umbrella in Lyon today?", tools: [ToolDefinition] = []) -> LLMRequest {
    LLMRequest(systemPrompt: "You are a concise phone assistant.", messages: [.user(text)], tools: tools)
}

/// One `data:` event with LF framing.
func event(_ payload: String) -> FakeReply.Step { .send(SSEFraming.lf.event(payload)) }
