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
    /// URL and headers, parsed once; each request copies it and sets its body.
    private let requestTemplate: HTTPClient.Request?
    /// The endpoint every request goes to.
    public let url: String

    public init(config: GeminiConfig, client: HTTPClient, logger: Logger) {
        self.config = config
        self.client = client
        url = "\(config.baseURL)/v1beta/models/\(config.model):streamGenerateContent?alt=sse"
        var template = try? HTTPClient.Request(url: url, method: .POST)
        template?.headers.add(name: "Content-Type", value: "application/json")
        template?.headers.add(name: "Accept", value: "text/event-stream")
        template?.headers.add(name: "x-goog-api-key", value: config.apiKey)
        self.requestTemplate = template
        self.endpoint = StreamingEndpoint(
            client: client, timeouts: config.transport.timeouts, retry: config.transport.retry, logger: logger,
            secret: config.apiKey, mapError: GeminiErrors.failure(status:headers:body:))
    }

    public func generate(_ request: LLMRequest, onEvent: @escaping LLMEventSink) async throws {
        guard !config.apiKey.isEmpty else {
            throw LLMError(.authentication, message: "no Gemini API key is configured (api_key)")
        }
        guard var http = requestTemplate else { throw LLMError(.invalidRequest, message: "not a usable URL: \(url)") }
        let tools = request.tools.isEmpty ? nil : encodedTools.json(for: request.tools, encode: GeminiRequest.tools)
        http.body = .bytes(GeminiRequest.body(request, config: config, encodedTools: tools))
        try await endpoint.generate(http, decoder: { GeminiStreamDecoder() }, onEvent: onEvent)
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
