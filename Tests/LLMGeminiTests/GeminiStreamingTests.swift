import LLMGemini
import LLMSupport
import PluginAPI
import SwitchboardTesting
import Testing

@Suite("Gemini streaming")
struct GeminiStreamingTests {
    @Test("a text answer streams as deltas and ends with usage; the request has the documented shape", arguments: SSEFraming.allCases)
    func textTurn(framing: SSEFraming) async throws {
        try await FakeGeminiServer.run { gemini in
            gemini.enqueue(FakeGeminiServer.text(["How about", " \"Ash\"?"], framing: framing))
            let outcome = await collect(makeBackend(gemini).stream(question("A name for a grey cat?")))
            #expect(outcome.error == nil)
            #expect(outcome.text == "How about \"Ash\"?")
            #expect(outcome.finish == LLMFinish(reason: .stop, usage: TokenUsage(inputTokens: 12, outputTokens: 7)))

            let request = try #require(gemini.requests.first)
            #expect(request.uri == "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse")
            #expect(request.headers["x-goog-api-key"] == gemini.apiKey)
            let body = try #require(request.body)
            #expect(body["systemInstruction"] == ["parts": [["text": "You help callers with the weather."]]])
            #expect(body["contents"] == [["role": "user", "parts": [["text": "A name for a grey cat?"]]]])
            #expect(body["generationConfig"] == ["temperature": 0.3, "thinkingConfig": ["thinkingBudget": 0]])
            #expect(body["tools"] == nil)
        }
    }

    @Test("thought parts never reach the caller; a trailing empty part's signature is kept for the text")
    func thoughtsAndTrailingSignature() async throws {
        try await FakeGeminiServer.run { gemini in
            let thought = FakeGeminiServer.chunk(parts: [["text": "Let me think…", "thought": true]])
            gemini.enqueue(.stream([
                .send(SSEFraming.crlf.event(thought)),
                .send(SSEFraming.crlf.event(FakeGeminiServer.textChunk("Yes, bring one."))),
                .send(SSEFraming.crlf.event(FakeGeminiServer.chunk(parts: [["text": "", "thoughtSignature": "EjQKMgG=="]], finishReason: "STOP"))),
            ]))
            let outcome = await collect(makeBackend(gemini, model: "gemini-3.6-flash").stream(question()))
            #expect(outcome.text == "Yes, bring one.")
            #expect(outcome.finish?.providerMetadata == ["thoughtSignature": "EjQKMgG=="])
            #expect(gemini.requests.first?.body?["generationConfig"]?["thinkingConfig"] == ["thinkingLevel": "LOW"])
        }
    }

    @Test("an answer the safety filter stopped is a blocked error")
    func safety() async throws {
        try await FakeGeminiServer.run { gemini in
            gemini.enqueue(.stream([.send(SSEFraming.crlf.event(FakeGeminiServer.finishChunk("SAFETY")))]))
            let outcome = await collect(makeBackend(gemini).stream(question()))
            #expect(outcome.llmError?.kind == .blocked)
            #expect(gemini.requests.count == 1)
        }
    }

    @Test("a blocked prompt (promptFeedback.blockReason, no candidates) is a blocked error")
    func blockedPrompt() async throws {
        try await FakeGeminiServer.run { gemini in
            gemini.enqueue(.stream([.send(SSEFraming.crlf.event(#"{"promptFeedback": {"blockReason": "PROHIBITED_CONTENT"}}"#))]))
            let outcome = await collect(makeBackend(gemini).stream(question()))
            #expect(outcome.llmError?.kind == .blocked)
            #expect(outcome.llmError?.message.contains("PROHIBITED_CONTENT") == true)
        }
    }

    @Test("a MALFORMED_FUNCTION_CALL turn runs none of its calls and fails as a malformed response")
    func malformedFunctionCall() async throws {
        try await FakeGeminiServer.run { gemini in
            let call = FakeGeminiServer.chunk(parts: [["functionCall": ["name": "get_forecast", "args": ["city": "Lyon"]]]])
            let malformed = FakeGeminiServer.finishChunk("MALFORMED_FUNCTION_CALL")
            gemini.enqueue(.stream([.send(SSEFraming.crlf.event(call)), .send(SSEFraming.crlf.event(malformed))]))
            let outcome = await collect(makeBackend(gemini, maxRetries: 0).stream(question(tools: [weatherTool])))
            #expect(outcome.toolCalls.isEmpty)
            #expect(outcome.llmError?.kind == .malformedResponse)
        }
    }

    @Test("a stream that ends without a finish reason was cut off")
    func cutOff() async throws {
        try await FakeGeminiServer.run { gemini in
            gemini.enqueue(.stream([.send(SSEFraming.crlf.event(FakeGeminiServer.textChunk("Half a sen")))]))
            let outcome = await collect(makeBackend(gemini).stream(question()))
            #expect(outcome.text == "Half a sen")
            #expect(outcome.llmError?.kind == .unavailable)
            #expect(gemini.requests.count == 1)
        }
    }

    @Test("with no conversation yet, a placeholder user turn lets the model speak first")
    func speaksFirst() async throws {
        try await FakeGeminiServer.run { gemini in
            gemini.enqueue(FakeGeminiServer.text(["Hello!"]))
            _ = await collect(makeBackend(gemini).stream(LLMRequest(systemPrompt: "Greet the caller.", messages: [])))
            #expect(gemini.requests.first?.body?["contents"] == [["role": "user", "parts": [["text": "."]]]])
        }
    }
}
