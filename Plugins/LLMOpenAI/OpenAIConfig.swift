import Foundation
import LLMSupport
import PluginAPI

/// The settings of one `llms` entry with `plugin: openai` (OpenAI or any compatible server).
public struct OpenAIConfig: Sendable, Hashable {
    public var model: String
    /// Sent as `Authorization: Bearer …` when not empty (local servers such as Ollama need none).
    public var apiKey: String
    /// Including `/v1`, e.g. `https://api.openai.com/v1` or `http://localhost:11434/v1`.
    public var baseURL: String
    public var temperature: Double?
    public var maxOutputTokens: Int?
    public var topP: Double?
    /// Server quirks.
    public var quirks: Quirks
    public var transport: TransportConfig

    /// What differs between OpenAI-compatible servers (spec §B7).
    public struct Quirks: Sendable, Hashable {
        /// Send `stream_options: {include_usage: true}` (some servers reject the field).
        public var streamUsage: Bool
        /// `max_completion_tokens` (OpenAI's current name) or `max_tokens` (what most compatible servers take).
        public var maxTokensField: String
        /// Add `name` to `tool` messages (some servers match results by name).
        public var toolMessageName: Bool

        public init(streamUsage: Bool = true, maxTokensField: String = "max_tokens", toolMessageName: Bool = false) {
            self.streamUsage = streamUsage
            self.maxTokensField = maxTokensField
            self.toolMessageName = toolMessageName
        }
    }

    public static let defaultBaseURL = "https://api.openai.com/v1"

    public init(
        model: String, apiKey: String = "", baseURL: String = OpenAIConfig.defaultBaseURL, temperature: Double? = nil,
        maxOutputTokens: Int? = nil, topP: Double? = nil, quirks: Quirks? = nil, transport: TransportConfig = TransportConfig()
    ) {
        self.model = model
        self.apiKey = apiKey
        self.baseURL = baseURL
        self.temperature = temperature
        self.maxOutputTokens = maxOutputTokens
        self.topP = topP
        self.quirks = quirks ?? Quirks(maxTokensField: Self.isOpenAI(baseURL) ? "max_completion_tokens" : "max_tokens")
        self.transport = transport
    }

    static func isOpenAI(_ baseURL: String) -> Bool { URL(string: baseURL)?.host == "api.openai.com" }

    /// Reads and validates the configuration, reporting every problem at its place in the file.
    public init(reading node: ConfigNode) throws(ConfigErrors) {
        var reader = ConfigReader(node)
        let model = reader.string("model") ?? ""
        if reader.node["model"] != nil, model.isEmpty {
            reader.report("expected a model name such as gpt-4o-mini or llama3.1", at: reader.node["model"])
        }
        let apiKey = reader.string("api_key", default: "") ?? ""
        let baseURL = reader.baseURL("base_url", default: Self.defaultBaseURL)
        let temperature = reader.double("temperature", default: nil, in: 0...2)
        let maxOutputTokens = reader.int("max_output_tokens", default: nil, in: 1...1_000_000)
        let topP = reader.double("top_p", default: nil, in: 0...1)
        let streamUsage = reader.bool("stream_usage", default: true)
        let maxTokensField = reader.choice(
            "max_tokens_field", ["max_tokens", "max_completion_tokens"], default: Self.isOpenAI(baseURL) ? "max_completion_tokens" : "max_tokens")
        let toolMessageName = reader.bool("tool_message_name", default: false)
        let transport = reader.transportConfig()
        reader.finish()
        if !reader.issues.isEmpty { throw ConfigErrors(reader.issues) }
        self.init(
            model: model, apiKey: apiKey, baseURL: baseURL, temperature: temperature, maxOutputTokens: maxOutputTokens, topP: topP,
            quirks: Quirks(streamUsage: streamUsage, maxTokensField: maxTokensField, toolMessageName: toolMessageName),
            transport: transport)
    }
}
