import AsyncHTTPClient
import Logging
import Testing

@testable import LLMSupport

@Suite("Which HTTP client carries a streaming request")
struct StreamingTransportTests {
    let logger = Logger(label: "transport-test")

    func transport(_ url: String, choice: TransportConfig.HTTPClientChoice = .automatic) -> StreamingTransport? {
        StreamingTransport(url: url, headers: [("x-goog-api-key", "k")], client: .shared, choice: choice, httpLogger: logger)
    }

    @Test("plain http goes through the pooled client, with the path, query and Host header as sent")
    func plainHTTP() throws {
        guard case .plain(_, let request) = try #require(transport("http://[::1]:8080/v1beta/models/m:streamGenerateContent?alt=sse")) else {
            Issue.record("expected the plain client")
            return
        }
        #expect(request.target == .init(host: "::1", port: 8080))
        #expect(request.head.uri == "/v1beta/models/m:streamGenerateContent?alt=sse")
        #expect(request.head.headers["Host"] == ["[::1]:8080"])
        #expect(request.head.headers["x-goog-api-key"] == ["k"])
        #expect(request.head.headers["Accept"] == ["text/event-stream"])

        guard case .plain(_, let local) = try #require(transport("http://localhost/v1")) else {
            Issue.record("expected the plain client")
            return
        }
        #expect(local.target == .init(host: "localhost", port: 80))
        #expect(local.head.headers["Host"] == ["localhost"])
    }

    @Test("https, or http_client: async-http-client, goes through AsyncHTTPClient; garbage is no transport")
    func asyncHTTPClient() throws {
        guard case .asyncHTTPClient = try #require(transport("https://api.openai.com/v1/chat/completions")) else {
            Issue.record("expected AsyncHTTPClient")
            return
        }
        guard case .asyncHTTPClient = try #require(transport("http://127.0.0.1:11434/v1/chat/completions", choice: .asyncHTTPClient)) else {
            Issue.record("expected AsyncHTTPClient")
            return
        }
        #expect(transport("not a url") == nil)
    }
}
