import AsyncHTTPClient
import PluginAPI

/// The `openai` LLM plugin: any OpenAI-compatible chat-completions server (OpenAI, Ollama, vLLM,
/// llama.cpp, Groq).
///
/// ```yaml
/// llms:
///   local:
///     plugin: openai
///     model: llama3.1
///     base_url: http://localhost:11434/v1     # includes /v1
///   gpt:
///     plugin: openai
///     model: gpt-4o-mini
///     api_key: ${OPENAI_API_KEY}
///     base_url: ${OPENAI_BASE_URL:-https://api.openai.com/v1}
/// ```
public struct OpenAIPlugin: PluginFactory {
    public let id = "openai"
    public let kind = PluginKind.llm

    public init() {}

    public func make(config: ConfigNode, context: PluginSetupContext) async throws -> PluginInstance {
        let settings = try OpenAIConfig(reading: config)
        let client = context.services.get(HTTPClient.self) ?? HTTPClient.shared
        return .llm(OpenAIBackend(config: settings, client: client, logger: context.logger))
    }
}
