import AsyncHTTPClient
import PluginAPI

/// The `gemini` LLM plugin: Google's Generative Language API over plain HTTP.
///
/// ```yaml
/// llms:
///   flash:
///     plugin: gemini
///     model: gemini-2.5-flash
///     api_key: ${GEMINI_API_KEY}
///     temperature: 0.3
///     timeouts: { connect: 5s, first_chunk: 5s, idle: 20s }
///     max_retries: 2
/// ```
public struct GeminiPlugin: PluginFactory {
    public let id = "gemini"
    public let kind = PluginKind.llm

    public init() {}

    public func make(config: ConfigNode, context: PluginSetupContext) async throws -> PluginInstance {
        let settings = try GeminiConfig(reading: config)
        let client = context.services.get(HTTPClient.self) ?? HTTPClient.shared
        return .llm(GeminiBackend(config: settings, client: client, logger: context.logger))
    }
}
