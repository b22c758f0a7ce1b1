import LLMOpenAI
import LLMSupport
import PluginAPI
import SwitchboardTesting
import Testing

@Suite("OpenAI-compatible faults, retries and timeouts")
struct OpenAIFaultTests {
    @Test("429 rate_limit_exceeded is retried after retry-after-ms")
    func rateLimitRetried() async throws {
        try await FakeOpenAIServer.run { openai in
            openai.enqueue(FakeOpenAIServer.rateLimited(retryAfterMilliseconds: 20), FakeOpenAIServer.text(["Sure."]))
            let outcome = await collect(makeBackend(openai).stream(question()))
            #expect(outcome.text == "Sure.")
            #expect(openai.requests.count == 2)
        }
    }

    @Test("429 insufficient_quota is never retried")
    func insufficientQuota() async throws {
        try await FakeOpenAIServer.run { openai in
            openai.enqueue(FakeOpenAIServer.insufficientQuota(), FakeOpenAIServer.text(["never"]))
            let outcome = await collect(makeBackend(openai).stream(question()))
            let error = try #require(outcome.llmError)
            #expect(error.kind == .rateLimited)
            #expect(error.status == 429)
            #expect(error.message.hasPrefix("insufficient_quota: You exceeded your current quota"))
            #expect(openai.requests.count == 1)
        }
    }

    @Test("503 is retried; a wrong key (401) is not, and the key never appears in the error")
    func statuses() async throws {
        try await FakeOpenAIServer.run { openai in
            openai.enqueue(FakeOpenAIServer.error(status: 503, message: "overloaded", type: "server_error"), FakeOpenAIServer.text(["ok"]))
            #expect(await collect(makeBackend(openai).stream(question())).text == "ok")
            #expect(openai.requests.count == 2)

            let config = OpenAIConfig(model: "gpt-4o-mini", apiKey: "sk-wrong-key-123", baseURL: openai.baseURL)
            let wrong = OpenAIBackend(config: config, client: .shared, logger: .init(label: "test"))
            let outcome = await collect(wrong.stream(question()))
            #expect(outcome.llmError?.kind == .authentication)
            #expect(outcome.llmError?.status == 401)
            #expect(outcome.llmError.map { !$0.description.contains("sk-wrong-key-123") } == true)
            #expect(openai.requests.count == 3)
        }
    }

    @Test("an error event after text ends the stream with that error and no retry")
    func errorMidStream() async throws {
        try await FakeOpenAIServer.run { openai in
            openai.enqueue(.stream([
                event(FakeOpenAIServer.chunk(delta: ["content": "Let me see"])),
                event(FakeOpenAIServer.errorBody(message: "The server had an error while processing your request.", type: "server_error")),
            ]))
            let outcome = await collect(makeBackend(openai).stream(question()))
            #expect(outcome.events == [.textDelta("Let me see")])
            #expect(outcome.llmError?.kind == .unavailable)
            #expect(openai.requests.count == 1)
        }
    }

    @Test("an error before any output is retried")
    func errorBeforeOutput() async throws {
        try await FakeOpenAIServer.run { openai in
            openai.enqueue(
                .stream([.send("event: error\ndata: {\"error\": {\"message\": \"busy\", \"type\": \"server_error\"}}\n\n")]),
                FakeOpenAIServer.text(["Recovered."]))
            let outcome = await collect(makeBackend(openai).stream(question()))
            #expect(outcome.text == "Recovered.")
            #expect(openai.requests.count == 2)
        }
    }

    @Test("an unreadable chunk is a malformed response")
    func malformedChunk() async throws {
        try await FakeOpenAIServer.run { openai in
            openai.enqueue(.stream([event("{\"choices\": [{\"delta\": ")]))
            let outcome = await collect(makeBackend(openai).stream(question()))
            #expect(outcome.llmError?.kind == .malformedResponse)
        }
    }

    @Test("a dropped connection before output is retried; after output it is an error")
    func droppedConnection() async throws {
        try await FakeOpenAIServer.run { openai in
            openai.enqueue(.stream([.dropConnection]), FakeOpenAIServer.text(["Back."]))
            #expect(await collect(makeBackend(openai).stream(question())).text == "Back.")
            #expect(openai.requests.count == 2)

            openai.enqueue(.stream([event(FakeOpenAIServer.chunk(delta: ["content": "Half"])), .dropConnection]))
            let failed = await collect(makeBackend(openai).stream(question()))
            #expect(failed.events == [.textDelta("Half")])
            #expect(failed.llmError?.kind == .unavailable)
            #expect(openai.requests.count == 3)
        }
    }

    @Test("a stall after the first chunk hits the idle timeout and the server sees the client leave")
    func idleTimeout() async throws {
        try await FakeOpenAIServer.run { openai in
            openai.enqueue(.stream([event(FakeOpenAIServer.chunk(delta: ["content": "Checking"])), .stall]))
            let backend = makeBackend(openai, timeouts: StreamTimeouts(connect: .seconds(30), firstChunk: .seconds(30), idle: .milliseconds(200)))
            let started = ContinuousClock.now
            let outcome = await collect(backend.stream(question()))
            // The idle budget counts from the first chunk, not once the first-chunk budget has run out.
            #expect(ContinuousClock.now - started < .seconds(15))
            #expect(outcome.events == [.textDelta("Checking")])
            #expect(outcome.llmError?.kind == .timeout)
            #expect(openai.requests.count == 1)
            #expect(await openai.waitForDisconnects(1))
        }
    }

    @Test("cancelling the consuming task closes the HTTP stream, and the server sees the disconnect")
    func cancellation() async throws {
        try await FakeOpenAIServer.run { openai in
            openai.enqueue(.stream([event(FakeOpenAIServer.chunk(delta: ["content": "Hello"])), .stall]))
            #expect(await firstEventThenCancel(makeBackend(openai).stream(question())) == .textDelta("Hello"))
            #expect(await openai.waitForDisconnects(1))
        }
    }
}
