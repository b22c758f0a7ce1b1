import LLMOpenAI
import LLMSupport
import PluginAPI
import SwitchboardTesting
import Testing

@Suite("OpenAI-compatible streaming")
struct OpenAIStreamingTests {
    @Test("a text answer streams as deltas, ends at [DONE] with usage; the request has the documented shape", arguments: SSEFraming.allCases)
    func textTurn(framing: SSEFraming) async throws {
        try await FakeOpenAIServer.run { openai in
            openai.enqueue(FakeOpenAIServer.text(["How about", " \"Ash\"?"], framing: framing))
            let outcome = await collect(makeBackend(openai).stream(question("A name for a grey cat?")))
            #expect(outcome.error == nil)
            #expect(outcome.text == "How about \"Ash\"?")
            #expect(outcome.events.last == .finished(LLMFinish(reason: .stop, usage: TokenUsage(inputTokens: 71, outputTokens: 16))))
            let request = try #require(openai.requests.first)
            #expect(request.uri == "/v1/chat/completions")
            #expect(request.headers["authorization"] == "Bearer sk-test-openai")
            #expect(request.body == [
                "model": "gpt-4o-mini", "stream": true, "stream_options": ["include_usage": true], "temperature": 0.3, "max_tokens": 200,
                "messages": [
                    ["role": "system", "content": "You are a concise phone assistant."],
                    ["role": "user", "content": "A name for a grey cat?"],
                ],
            ])
        }
    }

    @Test("a conversation's later request carries all of it, the same whether or not its earlier messages were kept encoded")
    func continuedConversation() async throws {
        try await FakeOpenAIServer.run { openai in
            let backend = makeBackend(openai)
            let first = LLMRequest(systemPrompt: "Be brief.", messages: [.user("Hi")], conversationID: "call_9")
            var second = first
            second.messages += [.assistant(AssistantTurn(text: "Hello! \"Ash\" here.")), .user("Open today?")]
            var unkept = second
            unkept.conversationID = nil
            for request in [first, second, unkept] {
                openai.enqueue(FakeOpenAIServer.text(["ok"]))
                #expect(await collect(backend.stream(request)).text == "ok")
            }
            let sent = openai.requests.map { $0.body?["messages"] }
            #expect(sent.count == 3)
            #expect(sent[1] == [
                ["role": "system", "content": "Be brief."], ["role": "user", "content": "Hi"],
                ["role": "assistant", "content": "Hello! \"Ash\" here."], ["role": "user", "content": "Open today?"],
            ])
            #expect(sent[1] == sent[2])
        }
    }

    @Test("a local server without a key (Ollama) gets no Authorization header; quirk flags shape the body")
    func noKeyAndQuirks() async throws {
        try await FakeOpenAIServer.run(apiKey: nil) { ollama in
            ollama.enqueue(FakeOpenAIServer.text(["Hi."]))
            let quirks = OpenAIConfig.Quirks(streamUsage: false, maxTokensField: "max_completion_tokens", toolMessageName: true)
            var request = question()
            request.messages += [
                .assistant(AssistantTurn(text: "", toolCalls: [ToolCall(id: "c1", name: "get_forecast", arguments: ["city": "Lyon"])])),
                .toolResult(ToolResultMessage(callID: "c1", name: "get_forecast", content: "rain")),
            ]
            let outcome = await collect(makeBackend(ollama, quirks: quirks).stream(request))
            #expect(outcome.text == "Hi.")
            let recorded = try #require(ollama.requests.first)
            #expect(recorded.headers["authorization"] == nil)
            #expect(recorded.body?["stream_options"] == nil)
            #expect(recorded.body?["max_completion_tokens"] == 200)
            #expect(recorded.body?["messages"]?[3] == ["role": "tool", "tool_call_id": "c1", "content": "rain", "name": "get_forecast"])
        }
    }

    @Test("usage is the latest non-null value, wherever it arrives")
    func usageAnywhere() async throws {
        try await FakeOpenAIServer.run { openai in
            openai.enqueue(.stream([
                event(FakeOpenAIServer.chunk(delta: ["content": "Hi"])),
                event(FakeOpenAIServer.usageChunk(prompt: 5, completion: 1)),
                event(FakeOpenAIServer.chunk(delta: [:], finishReason: "length")),
                event(FakeOpenAIServer.usageChunk(prompt: 5, completion: 2)),
                event("[DONE]"),
            ]))
            let outcome = await collect(makeBackend(openai).stream(question()))
            #expect(outcome.finish == LLMFinish(reason: .maxTokens, usage: TokenUsage(inputTokens: 5, outputTokens: 2)))
        }
    }

    @Test("text that arrives in one piece of the body is one delta; text that arrives later is another")
    func deltasFollowTheNetwork() async throws {
        try await FakeOpenAIServer.run { openai in
            let together = ["Two ", "large ", "pizzas."].map { SSEFraming.lf.event(FakeOpenAIServer.chunk(delta: ["content": .string($0)])) }.joined()
            openai.enqueue(.stream([
                .send(together), .pause(.milliseconds(150)), event(FakeOpenAIServer.chunk(delta: ["content": " Anything else?"])),
                event(FakeOpenAIServer.chunk(delta: [:], finishReason: "stop")), event("[DONE]"),
            ]))
            let outcome = await collect(makeBackend(openai).stream(question()))
            #expect(outcome.events == [.textDelta("Two large pizzas."), .textDelta(" Anything else?"), .finished(LLMFinish(reason: .stop))])
        }
    }

    @Test("chunks are read whatever their member order, with escapes, extra members and other choices")
    func chunkShapes() async throws {
        try await FakeOpenAIServer.run { openai in
            openai.enqueue(.stream([
                event(#"{"usage":null,"choices":[{"index":1,"delta":{"content":"other choice"}},{"finish_reason":null,"logprobs":{"content":[{"token":"x","bytes":[71,114]}]},"delta":{"role":"assistant","content":"Gr\u00fc\u00df \"dich\"\n"},"index":0}],"id":"c","object":"chat.completion.chunk","system_fingerprint":null}"#),
                event(#"{"choices":[{"delta":{"content":null,"tool_calls":null},"index":0,"finish_reason":"stop"}],"usage":{"completion_tokens":3,"prompt_tokens":9,"completion_tokens_details":{"reasoning_tokens":0}}}"#),
                event("[DONE]"),
            ]))
            let outcome = await collect(makeBackend(openai).stream(question()))
            #expect(outcome.events == [
                .textDelta("Grüß \"dich\"\n"), .finished(LLMFinish(reason: .stop, usage: TokenUsage(inputTokens: 9, outputTokens: 3))),
            ])
        }
    }

    @Test("content_filter is a blocked error")
    func contentFilter() async throws {
        try await FakeOpenAIServer.run { openai in
            openai.enqueue(.stream([event(FakeOpenAIServer.chunk(delta: [:], finishReason: "content_filter")), event("[DONE]")]))
            let outcome = await collect(makeBackend(openai).stream(question()))
            #expect(outcome.llmError?.kind == .blocked)
        }
    }

    @Test("a body that ends without [DONE] or a finish reason was cut off")
    func cutOff() async throws {
        try await FakeOpenAIServer.run { openai in
            openai.enqueue(.stream([event(FakeOpenAIServer.chunk(delta: ["content": "Half a sen"]))]))
            let outcome = await collect(makeBackend(openai).stream(question()))
            #expect(outcome.text == "Half a sen")
            #expect(outcome.llmError?.kind == .unavailable)
            #expect(openai.requests.count == 1)
        }
    }
}
