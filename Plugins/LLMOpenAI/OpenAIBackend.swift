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
    /// URL and headers, parsed once; each request copies it and sets its body.
    private let requestTemplate: HTTPClient.Request?
    /// The endpoint every request goes to.
    public let url: String

    public init(config: OpenAIConfig, client: HTTPClient, logger: Logger) {
        self.config = config
        self.client = client
        url = "\(config.baseURL)/chat/completions"
        var template = try? HTTPClient.Request(url: url, method: .POST)
        template?.headers.add(name: "Content-Type", value: "application/json")
        template?.headers.add(name: "Accept", value: "text/event-stream")
        if !config.apiKey.isEmpty { template?.headers.add(name: "Authorization", value: "Bearer \(config.apiKey)") }
        self.requestTemplate = template
        self.endpoint = StreamingEndpoint(
            client: client, timeouts: config.transport.timeouts, retry: config.transport.retry, logger: logger,
            secret: config.apiKey, mapError: OpenAIErrors.failure(status:headers:body:))
    }

    public func generate(_ request: LLMRequest, onEvent: @escaping LLMEventSink) async throws {
        guard var http = requestTemplate else { throw LLMError(.invalidRequest, message: "not a usable URL: \(url)") }
        let tools = request.tools.isEmpty ? nil : encodedTools.json(for: request.tools, encode: OpenAIRequest.tools)
        http.body = .bytes(OpenAIRequest.body(request, config: config, encodedTools: tools))
        try await endpoint.generate(http, decoder: { OpenAIStreamDecoder() }, onEvent: onEvent)
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
