import AsyncHTTPClient
import LLMGemini
import LLMSupport
import Logging
import PluginAPI
import SwitchboardTesting
import Testing

/// A Gemini backend pointed at `fake`, with tiny backoff so fault tests run fast; timeouts
/// are generous unless a test is about one (a loaded machine must not turn a slow answer into a retry).
func makeBackend(
    _ fake: FakeGeminiServer, model: String = "gemini-2.5-flash", maxRetries: Int = 2,
    timeouts: StreamTimeouts = StreamTimeouts(connect: .seconds(30), firstChunk: .seconds(30), idle: .seconds(30))
) -> GeminiBackend {
    let config = GeminiConfig(
        model: model, apiKey: fake.apiKey, baseURL: fake.baseURL, temperature: 0.3,
        transport: TransportConfig(timeouts: timeouts, retry: RetryPolicy(maxRetries: maxRetries, baseDelay: .milliseconds(5), maxDelay: .milliseconds(300))))
    return GeminiBackend(config: config, client: .shared, logger: Logger(label: "gemini-test"))
}

let weatherTool = ToolDefinition(
    name: "get_forecast", description: "Returns today's forecast for a city.",
    parameters: .object([.init("city", .string("City name"), required: true)]), effect: .readOnly)

func question(_ text: String = "Do I need an umbrella in Lyon today?", tools: [ToolDefinition] = []) -> LLMRequest {
    LLMRequest(systemPrompt: "You help callers with the weather.", messages: [.user(text)], tools: tools)
}

/// The `contents` of the request body written for `messages`, read back from its bytes.
func requestContents(_ messages: [ChatMessage]) throws -> [JSONValue] {
    let body = GeminiRequest.body(LLMRequest(systemPrompt: "", messages: messages), config: GeminiConfig(model: "gemini-2.5-flash", apiKey: "key"))
    return try #require(try JSONValue(parsing: body)["contents"]?.arrayValue)
}
