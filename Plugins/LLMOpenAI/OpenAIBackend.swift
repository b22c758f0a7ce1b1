import AsyncHTTPClient
import Logging
import LLMSupport
import NIOCore
import PluginAPI

/// Streams answers from an OpenAI-compatible `/chat/completions` endpoint.
public struct OpenAIBackend: LLMBackend {
    public let config: OpenAIConfig
    private let endpoint: StreamingEndpoint
    private let client: HTTPClient
    private let encodedTools = EncodedToolsCache()
    private let encodedMessages = EncodedMessagesCache()
    /// The endpoint every request goes to.
    public var url: String { endpoint.url }

    public init(config: OpenAIConfig, client: HTTPClient, logger: Logger) {
        self.config = config
        self.client = client
        let headers = config.apiKey.isEmpty ? [] : [("Authorization", "Bearer \(config.apiKey)")]
        self.endpoint = StreamingEndpoint(
            url: "\(config.baseURL)/chat/completions", headers: headers, client: client, transport: config.transport, logger: logger,
            secret: config.apiKey, mapError: OpenAIErrors.failure(status:headers:body:))
    }

    public func generate(_ request: LLMRequest, onEvent: @escaping LLMEventSink) async throws {
        let tools = request.tools.isEmpty ? nil : encodedTools.json(for: request.tools, encode: OpenAIRequest.tools)
        try await endpoint.generate(body: OpenAIRequest.body(request, config: config, encodedTools: tools, messages: encodedMessages), decoder: { OpenAIStreamDecoder() }, onEvent: onEvent)
    }
}

extension OpenAIBackend: ModelListing {
    /// `GET {base_url}/models`: the model ids this server offers.
    public func listModels() async throws -> [String] {
        let headers = config.apiKey.isEmpty ? [] : [("Authorization", "Bearer \(config.apiKey)")]
        let body = try await ModelList.fetch(client: client, url: "\(config.baseURL)/models", headers: headers, secret: config.apiKey)
        return (body["data"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
    }
}
