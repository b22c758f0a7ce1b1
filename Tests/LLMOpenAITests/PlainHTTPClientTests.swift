import Host
import NIOCore
import NIOHTTP1
import NIOPosix
import SwitchboardTesting
import Testing

@testable import LLMSupport

@Suite("The pooled HTTP/1.1 client for plain-http LLM endpoints")
struct PlainHTTPClientTests {
    /// Takes a response and keeps nothing.
    final class Discard: PlainHTTPResponseConsumer {
        func receiveHead(_ head: HTTPResponseHead) {}
        func receiveBody(_ buffer: ByteBuffer) throws {}
        func receiveEnd() throws {}
    }

    @Test("a connection idle for longer than the idle timeout is closed; the next request opens a fresh one")
    func idleTimeout() async throws {
        try await FakeOpenAIServer.run { openai in
            let client = PlainHTTPClient(group: .singleton, idleTimeout: .milliseconds(100))
            let executor = EventLoopTaskExecutor(MultiThreadedEventLoopGroup.singleton.next())
            let port = try #require(openai.baseURL.split(separator: ":").last.flatMap { Int($0.prefix { $0.isNumber }) })
            let body = ByteBuffer(string: #"{"model":"gpt-4o-mini","stream":true,"messages":[]}"#)
            let head = HTTPRequestHead(version: .http1_1, method: .POST, uri: "/v1/chat/completions", headers: [
                "Host": "127.0.0.1:\(port)", "Content-Type": "application/json", "Content-Length": "\(body.readableBytes)",
            ])
            let request = PlainHTTPRequest(target: .init(host: "127.0.0.1", port: port), head: head, body: body)
            // Without the pause the second request would reuse the first one's connection (the affinity test
            // in OpenAITransportTests shows it); no assertion here depends on how fast the machine is.
            for pause in [Duration.zero, .milliseconds(300)] {
                try await Task.sleep(for: pause)
                openai.enqueue(FakeOpenAIServer.text(["ok"]))
                try await withTaskExecutorPreference(executor) {
                    try await client.execute(request, consumer: Discard()).futureResult.get()
                }
            }
            let ports = openai.requests.compactMap(\.clientPort)
            #expect(ports.count == 2)
            #expect(ports[1] != ports[0])
        }
    }
}
