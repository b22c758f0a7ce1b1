import AsyncHTTPClient
import Logging
import LLMSupport
import NIOCore
import PluginAPI

/// Streams answers from Gemini's `streamGenerateContent?alt=sse` endpoint.
public struct GeminiBackend: LLMBackend {
    public let config: GeminiConfig
    private let endpoint: StreamingEndpoint
    private let client: HTTPClient
    private let encodedTools = EncodedToolsCache()
    private let encodedMessages = EncodedMessagesCache()
    /// The endpoint every request goes to.
    public var url: String { endpoint.url }

    public init(config: GeminiConfig, client: HTTPClient, logger: Logger) {
        self.config = config
        self.client = client
        self.endpoint = StreamingEndpoint(
            url: "\(config.baseURL)/v1beta/models/\(config.model):streamGenerateContent?alt=sse", headers: [("x-goog-api-key", config.apiKey)],
            client: client, transport: config.transport, logger: logger, secret: config.apiKey,
            mapError: GeminiErrors.failure(status:headers:body:))
    }

    public func generate(_ request: LLMRequest, onEvent: @escaping LLMEventSink) async throws {
        guard !config.apiKey.isEmpty else {
            throw LLMError(.authentication, message: "no Gemini API key is configured (api_key)")
        }
        let tools = request.tools.isEmpty ? nil : encodedTools.json(for: request.tools, encode: GeminiRequest.tools)
        let body = GeminiRequest.body(request, config: config, encodedTools: tools, messages: encodedMessages)
        try await endpoint.generate(body: body, decoder: { GeminiStreamDecoder() }, onEvent: onEvent)
    }
}

extension GeminiBackend: ModelListing {
    /// `GET {base_url}/v1beta/models`: the model ids (without `models/`) this key may use.
    public func listModels() async throws -> [String] {
        let body = try await ModelList.fetch(
            client: client, url: "\(config.baseURL)/v1beta/models?pageSize=1000", headers: [("x-goog-api-key", config.apiKey)],
            secret: config.apiKey)
        return (body["models"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }.map { name in
            name.hasPrefix("models/") ? String(name.dropFirst("models/".count)) : name
        }
    }
}
