import LLMGemini
import LLMSupport
import PluginAPI
import SwitchboardTesting
import Testing

@Suite("Gemini faults, retries and timeouts")
struct GeminiFaultTests {
    let crlf = SSEFraming.crlf

    @Test("429 with RetryInfo is retried after the delay Gemini asked for")
    func rateLimitRetried() async throws {
        try await FakeGeminiServer.run { gemini in
            gemini.enqueue(FakeGeminiServer.rateLimited(retryDelay: "0.02s"), FakeGeminiServer.text(["Sure."]))
            let outcome = await collect(makeBackend(gemini).stream(question()))
            #expect(outcome.error == nil)
            #expect(outcome.text == "Sure.")
            #expect(gemini.requests.count == 2)
        }
    }

    @Test("429 asking for a longer wait than the cap is not retried")
    func rateLimitTooLong() async throws {
        try await FakeGeminiServer.run { gemini in
            gemini.enqueue(FakeGeminiServer.rateLimited(retryDelay: "37s"), FakeGeminiServer.text(["never"]))
            let outcome = await collect(makeBackend(gemini).stream(question()))
            #expect(outcome.llmError?.kind == .rateLimited)
            #expect(outcome.llmError?.status == 429)
            #expect(gemini.requests.count == 1)
        }
    }

    @Test("a daily-quota 429 is never retried")
    func dailyQuota() async throws {
        try await FakeGeminiServer.run { gemini in
            gemini.enqueue(FakeGeminiServer.dailyQuotaExhausted(), FakeGeminiServer.text(["never"]))
            let outcome = await collect(makeBackend(gemini).stream(question()))
            let error = try #require(outcome.llmError)
            #expect(error.kind == .rateLimited)
            #expect(error.message.contains("RESOURCE_EXHAUSTED"))
            #expect(error.message.contains("daily quota"))
            #expect(gemini.requests.count == 1)
        }
    }

    @Test("503 is retried with backoff; when retries run out the error carries Gemini's status and message")
    func overloaded() async throws {
        try await FakeGeminiServer.run { gemini in
            gemini.enqueue(FakeGeminiServer.overloaded(), FakeGeminiServer.overloaded(), FakeGeminiServer.text(["Third time lucky."]))
            let recovered = await collect(makeBackend(gemini).stream(question()))
            #expect(recovered.text == "Third time lucky.")
            #expect(gemini.requests.count == 3)

            gemini.enqueue(FakeGeminiServer.overloaded(), FakeGeminiServer.overloaded())
            let failed = await collect(makeBackend(gemini, maxRetries: 1).stream(question()))
            let error = try #require(failed.llmError)
            #expect(error.kind == .unavailable)
            #expect(error.status == 503)
            #expect(error.message == "UNAVAILABLE: The model is overloaded. Please try again later.")
            #expect(gemini.requests.count == 5)
        }
    }

    @Test("400 is not retried, and an API key echoed by the provider never reaches the error")
    func invalidRequestRedacted() async throws {
        try await FakeGeminiServer.run { gemini in
            gemini.enqueue(FakeGeminiServer.error(code: 400, status: "INVALID_ARGUMENT", message: "bad request for key \(gemini.apiKey)"))
            let outcome = await collect(makeBackend(gemini).stream(question()))
            let error = try #require(outcome.llmError)
            #expect(error.kind == .invalidRequest)
            #expect(!error.description.contains(gemini.apiKey))
            #expect(error.message.contains("[redacted]"))
            #expect(gemini.requests.count == 1)
        }
    }

    @Test("an error chunk after text went out ends the stream with that error and no retry")
    func errorMidStreamAfterText() async throws {
        try await FakeGeminiServer.run { gemini in
            gemini.enqueue(.stream([
                .send(crlf.event(FakeGeminiServer.textChunk("Let me see"))),
                .send(crlf.event(FakeGeminiServer.errorBody(code: 503, status: "UNAVAILABLE", message: "backend went away"))),
            ]))
            let outcome = await collect(makeBackend(gemini).stream(question()))
            #expect(outcome.events == [.textDelta("Let me see")])
            #expect(outcome.llmError?.kind == .unavailable)
            #expect(outcome.llmError?.status == 503)
            #expect(gemini.requests.count == 1)
        }
    }

    @Test("a raw JSON error (no data: prefix) before any output is retried")
    func rawErrorBeforeOutput() async throws {
        try await FakeGeminiServer.run { gemini in
            let raw = "{\n  \"error\": {\n    \"code\": 500,\n    \"message\": \"An internal error has occurred.\",\n    \"status\": \"INTERNAL\"\n  }\n}\n"
            gemini.enqueue(.stream([.send(raw)]), FakeGeminiServer.text(["Recovered."]))
            let outcome = await collect(makeBackend(gemini).stream(question()))
            #expect(outcome.text == "Recovered.")
            #expect(gemini.requests.count == 2)
        }
    }

    @Test("an unreadable chunk is a malformed response")
    func malformedChunk() async throws {
        try await FakeGeminiServer.run { gemini in
            gemini.enqueue(.stream([.send("data: {\"candidates\": [{\"content\": \r\n\r\n")]))
            let outcome = await collect(makeBackend(gemini).stream(question()))
            #expect(outcome.llmError?.kind == .malformedResponse)
            #expect(gemini.requests.count == 1)
        }
    }

    @Test("a dropped connection before any output is retried; after output it is an error")
    func droppedConnection() async throws {
        try await FakeGeminiServer.run { gemini in
            gemini.enqueue(.stream([.dropConnection]), FakeGeminiServer.text(["Back again."]))
            let retried = await collect(makeBackend(gemini).stream(question()))
            #expect(retried.text == "Back again.")
            #expect(gemini.requests.count == 2)

            gemini.enqueue(.stream([.send(crlf.event(FakeGeminiServer.textChunk("Half"))), .dropConnection]), FakeGeminiServer.text(["never"]))
            let failed = await collect(makeBackend(gemini).stream(question()))
            #expect(failed.events == [.textDelta("Half")])
            #expect(failed.llmError?.kind == .unavailable)
            #expect(gemini.requests.count == 3)
        }
    }

    @Test("a stall after the first chunk hits the idle timeout, is not retried, and the server sees the client leave")
    func idleTimeout() async throws {
        try await FakeGeminiServer.run { gemini in
            gemini.enqueue(.stream([.send(crlf.event(FakeGeminiServer.textChunk("Checking"))), .stall]))
            let backend = makeBackend(gemini, timeouts: StreamTimeouts(connect: .seconds(30), firstChunk: .seconds(30), idle: .milliseconds(200)))
            let started = ContinuousClock.now
            let outcome = await collect(backend.stream(question()))
            // The idle budget counts from the first chunk, not once the first-chunk budget has run out.
            #expect(ContinuousClock.now - started < .seconds(15))
            #expect(outcome.events == [.textDelta("Checking")])
            #expect(outcome.llmError?.kind == .timeout)
            #expect(outcome.llmError?.message.contains("idle") == true)
            #expect(gemini.requests.count == 1)
            #expect(await gemini.waitForDisconnects(1))
        }
    }

    @Test("a slow but steady stream is not cut off: the idle budget restarts with every chunk")
    func slowStreamSurvives() async throws {
        try await FakeGeminiServer.run { gemini in
            let words = ["One", " two", " three", " four", " five", " six"]
            let steps = words.flatMap { word -> [FakeReply.Step] in [.pause(.milliseconds(500)), .send(crlf.event(FakeGeminiServer.textChunk(word)))] }
            gemini.enqueue(.stream(steps + [.send(crlf.event(FakeGeminiServer.finishChunk()))]))
            let backend = makeBackend(
                gemini, maxRetries: 0, timeouts: StreamTimeouts(connect: .seconds(30), firstChunk: .seconds(30), idle: .seconds(2)))
            let outcome = await collect(backend.stream(question()))  // 3 s in all, 0.5 s between chunks
            #expect(outcome.error == nil)
            #expect(outcome.text == words.joined())
        }
    }

    @Test("no first chunk in time: the request is abandoned and tried once more")
    func firstChunkTimeout() async throws {
        try await FakeGeminiServer.run { gemini in
            gemini.enqueue(.stream([.stall]), FakeGeminiServer.text(["Sorry for the wait."]))
            let backend = makeBackend(
                gemini, maxRetries: 1, timeouts: StreamTimeouts(connect: .seconds(30), firstChunk: .seconds(2), idle: .seconds(30)))
            let outcome = await collect(backend.stream(question()))
            #expect(outcome.text == "Sorry for the wait.")
            #expect(gemini.requests.count == 2)
            #expect(await gemini.waitForDisconnects(1))
        }
    }

    @Test("no response headers in time is a connect timeout")
    func connectTimeout() async throws {
        try await FakeGeminiServer.run { gemini in
            gemini.enqueue(FakeReply(withholdHeaders: true))
            let backend = makeBackend(
                gemini, maxRetries: 0, timeouts: StreamTimeouts(connect: .milliseconds(200), firstChunk: .seconds(30), idle: .seconds(30)))
            let outcome = await collect(backend.stream(question()))
            #expect(outcome.llmError?.kind == .timeout)
            #expect(outcome.llmError?.message.contains("connect") == true)
        }
    }

    @Test("cancelling the consuming task closes the HTTP stream, and the server sees the disconnect")
    func cancellation() async throws {
        try await FakeGeminiServer.run { gemini in
            gemini.enqueue(.stream([.send(crlf.event(FakeGeminiServer.textChunk("Hello"))), .stall]))
            #expect(await firstEventThenCancel(makeBackend(gemini).stream(question())) == .textDelta("Hello"))
            #expect(await gemini.waitForDisconnects(1))
            #expect(gemini.requests.count == 1)
        }
    }
}
