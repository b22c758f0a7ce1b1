import Foundation
import Host
import LLMOpenAI
import LLMSupport
import NIOPosix
import PluginAPI
import SwitchboardTesting
import Testing

@Suite("OpenAI-compatible backend over each HTTP client")
struct OpenAITransportTests {
    @Test("either HTTP client streams an answer, fails a stalled stream at the idle budget and closes a cancelled one",
          arguments: TransportConfig.HTTPClientChoice.allCases)
    func bothClients(httpClient: TransportConfig.HTTPClientChoice) async throws {
        try await FakeOpenAIServer.run { openai in
            openai.enqueue(FakeOpenAIServer.text(["Grey", "son"]))
            #expect(await collect(makeBackend(openai, httpClient: httpClient).stream(question())).text == "Greyson")
            openai.enqueue(FakeOpenAIServer.text(["all ", "at ", "once"]).inOneWrite)  // every event in one read
            #expect(await collect(makeBackend(openai, httpClient: httpClient).stream(question())).text == "all at once")

            openai.enqueue(.stream([event(FakeOpenAIServer.chunk(delta: ["content": "Hm"])), .stall]))
            let idle = StreamTimeouts(connect: .seconds(30), firstChunk: .seconds(30), idle: .milliseconds(300))
            let stalled = await collect(makeBackend(openai, maxRetries: 0, timeouts: idle, httpClient: httpClient).stream(question()))
            #expect(stalled.llmError?.kind == .timeout)
            #expect(await openai.waitForDisconnects(1))

            openai.enqueue(.stream([event(FakeOpenAIServer.chunk(delta: ["content": "Hello"])), .stall]))
            #expect(await firstEventThenCancel(makeBackend(openai, httpClient: httpClient).stream(question())) == .textDelta("Hello"))
            #expect(await openai.waitForDisconnects(2))
        }
    }

    @Test("a base URL with a host name is resolved (an address is connected to without the resolver)")
    func hostName() async throws {
        try await FakeOpenAIServer.run { openai in
            openai.enqueue(FakeOpenAIServer.text(["by ", "name"]))
            let byName = openai.baseURL.replacingOccurrences(of: "127.0.0.1", with: "localhost")
            #expect(await collect(makeBackend(openai, baseURL: byName).stream(question())).text == "by name")
        }
    }

    @Test("a plain-http request made on an event loop is answered on that loop, over that loop's reused connection")
    func eventLoopAffinity() async throws {
        try await FakeOpenAIServer.run { openai in
            let backend = makeBackend(openai)
            let loops = Array(MultiThreadedEventLoopGroup.singleton.makeIterator())
            for loop in loops + loops {
                openai.enqueue(FakeOpenAIServer.text(["one ", "two"]))
                let answer = try await answer(from: backend, on: EventLoopTaskExecutor(loop))
                #expect(answer.text == "one two")
                #expect(answer.everyEventOnTheLoop)
            }
            #expect(openai.requests.count == 2 * loops.count)
            #expect(Set(openai.requests.compactMap(\.clientPort)).count == loops.count)
        }
    }

    @Test("a pooled connection the server closed instead of answering is replaced by a fresh one, without an error")
    func serverClosedPooledConnection() async throws {
        try await FakeOpenAIServer.run { openai in
            let backend = makeBackend(openai, maxRetries: 0)
            let executor = EventLoopTaskExecutor(MultiThreadedEventLoopGroup.singleton.next())
            openai.enqueue(FakeOpenAIServer.text(["first"]), .hangUp, FakeOpenAIServer.text(["second"]))
            let first = try await answer(from: backend, on: executor)
            let second = try await answer(from: backend, on: executor)
            #expect([first.text, second.text] == ["first", "second"])
            #expect(openai.requests.count == 3)
            #expect(Set(openai.requests.compactMap(\.clientPort)).count == 2)
        }
    }

    /// Generates an answer to the standard question from a task that runs on `executor`'s event loop.
    private func answer(from backend: OpenAIBackend, on executor: EventLoopTaskExecutor) async throws -> (text: String, everyEventOnTheLoop: Bool) {
        let (events, sink) = AsyncStream.makeStream(of: (event: LLMEvent, onLoop: Bool).self)
        try await withTaskExecutorPreference(executor) {
            try await backend.generate(question()) { sink.yield(($0, executor.eventLoop.inEventLoop)) }
        }
        sink.finish()
        var text = ""
        var onLoop = true
        for await (event, seenOnLoop) in events {
            if case .textDelta(let delta) = event { text += delta }
            onLoop = onLoop && seenOnLoop
        }
        return (text, onLoop)
    }

    @Test("a server nobody listens on is an unavailable error that names the connection")
    func nobodyListens() async throws {
        let config = OpenAIConfig(
            model: "gpt-4o-mini", apiKey: "", baseURL: "http://127.0.0.1:1/v1",
            transport: TransportConfig(retry: RetryPolicy(maxRetries: 0)))
        let outcome = await collect(OpenAIBackend(config: config, client: .shared, logger: .init(label: "test")).stream(question()))
        #expect(outcome.llmError?.kind == .unavailable)
        #expect(outcome.llmError?.message.contains("connection") == true)
    }

    @Test("a fresh connection closed without an answer is an unavailable error (retried by the retry policy only)")
    func freshConnectionClosed() async throws {
        try await FakeOpenAIServer.run { openai in
            openai.enqueue(.hangUp)
            let outcome = await collect(makeBackend(openai, maxRetries: 0).stream(question()))
            #expect(outcome.llmError?.kind == .unavailable)
            #expect(openai.requests.count == 1)
        }
    }
}
