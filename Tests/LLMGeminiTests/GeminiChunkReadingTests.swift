import LLMGemini
import LLMSupport
import PluginAPI
import Testing

/// The stream decoder fed chunks directly (no server), for shapes the fake server never produces.
@Suite("Gemini stream chunks read byte by byte")
struct GeminiChunkReadingTests {
    /// Feeds `chunks` (one SSE event each) to a fresh decoder, then ends the stream.
    private func decode(_ chunks: [String]) -> (events: [LLMEvent], failure: ProviderFailure?) {
        var decoder = GeminiStreamDecoder(makeCallID: { "call-\($0)" })
        var events: [LLMEvent] = []
        do {
            for chunk in chunks { _ = try decoder.consume(SSEEvent(data: Array(chunk.utf8)), emit: { events.append($0) }) }
            try decoder.finish(emit: { events.append($0) })
            return (events, nil)
        } catch {
            return (events, error as? ProviderFailure)
        }
    }

    @Test("members in any order, unknown members skipped, escapes in text decoded")
    func orderUnknownMembersAndEscapes() {
        let chunk = #"""
        {"modelVersion": "gemini-2.5-flash", "usageMetadata": {"totalTokenCount": 9, "promptTokenCount": 5,
          "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 5}], "candidatesTokenCount": 4},
         "candidates": [{"safetyRatings": [{"category": "HARM_CATEGORY_HARASSMENT", "probability": "NEGLIGIBLE"}],
           "citationMetadata": {"citationSources": [{"startIndex": 0, "uri": "https://example.com/\"q\""}]},
           "finishReason": "STOP", "index": 0,
           "content": {"parts": [{"text": "Say \"cheese\"\n\u00e9t\u00e9 \ud83d\ude00 \\o/", "extra": {"nested": [1, 2.5e3, null, true]}}],
                       "role": "model"}}],
         "responseId": "abc"}
        """#
        let (events, failure) = decode([chunk])
        #expect(failure == nil)
        #expect(events == [
            .textDelta("Say \"cheese\"\nété 😀 \\o/"),
            .finished(LLMFinish(reason: .stop, usage: TokenUsage(inputTokens: 5, outputTokens: 4))),
        ])
    }

    @Test("only the first candidate is read; null members count as absent")
    func firstCandidateAndNulls() {
        let (events, failure) = decode([
            #"{"candidates": [{"content": {"parts": [{"text": "first", "thought": null, "functionCall": null}]}}, {"content": {"parts": [{"text": "second"}]}}]}"#,
            #"{"candidates": [{"content": null}], "usageMetadata": null, "promptFeedback": null, "error": null}"#,
            #"{"candidates": [{"content": {"parts": null}, "finishReason": "STOP"}], "usageMetadata": {"promptTokenCount": 3, "thoughtsTokenCount": 2}}"#,
        ])
        #expect(failure == nil)
        #expect(events == [.textDelta("first"), .finished(LLMFinish(reason: .stop, usage: TokenUsage(inputTokens: 3, outputTokens: 2)))])
    }

    @Test("a function call with its id, signature and arguments; a thought part before it is dropped")
    func functionCall() {
        let chunk = #"""
        {"candidates": [{"content": {"parts": [
          {"thought": true, "text": "The caller wants Lyon."},
          {"thoughtSignature": "c2ln", "functionCall": {"args": {"city": "Lyon", "days": [1, 2], "note": "a\tb"}, "id": "fc-9", "name": "get_forecast"}},
          {"functionCall": {"name": "get_time", "args": "not an object"}}]},
          "finishReason": "STOP"}]}
        """#
        let (events, failure) = decode([chunk])
        #expect(failure == nil)
        #expect(events == [
            .toolCall(ToolCall(id: "fc-9", name: "get_forecast", arguments: ["city": "Lyon", "days": [1, 2], "note": "a\tb"],
                               providerMetadata: ["thoughtSignature": "c2ln", "functionCallId": "fc-9"])),
            .toolCall(ToolCall(id: "call-2", name: "get_time", arguments: [:])),
            .finished(LLMFinish(reason: .toolCalls)),
        ])
    }

    @Test("an error object wrapped in an array (as some proxies send it) fails with its status")
    func wrappedError() {
        let chunk = #"[{"error": {"code": 429, "status": "RESOURCE_EXHAUSTED", "message": "slow down", "details": [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "2s"}]}}]"#
        let (events, failure) = decode([chunk])
        #expect(events.isEmpty)
        #expect(failure?.error.kind == .rateLimited)
        #expect(failure?.error.message == "RESOURCE_EXHAUSTED: slow down")
        #expect(failure?.retryAfter == .seconds(2))
    }

    @Test("an unreadable chunk is a malformed response that emits nothing of itself", arguments: [
        #"{"candidates": [{"content": {"parts": [{"text": "Hello"}, {"text": 5}]}}]}"#,  // wrong type after a good part
        #"{"candidates": [{"content": {"parts": [{"text": "Hello"}, {"functionCall": {"args": {}}}]}}]}"#,  // a call without a name
        #"{"candidates": [{"content": {"parts": [{"text": "Hello"}]}}]} trailing"#,
        #"{"candidates": [{"content": {"parts": [{"text": "Hello"}"#,
        #"{"candidates": [null]}"#,
        #"{"usageMetadata": {"promptTokenCount": "7"}}"#,
        #"{"error": {"code": "five hundred"}}"#,
        #"{"candidates": [{"content": {"parts": [{"text": "Hel\qlo"}]}}]}"#,
    ])
    func malformed(chunk: String) {
        let (events, failure) = decode([#"{"candidates": [{"content": {"parts": [{"text": "Before. "}]}}]}"#, chunk])
        #expect(events == [.textDelta("Before. ")])
        #expect(failure?.error.kind == .malformedResponse)
        #expect(failure?.error.message == "unreadable stream chunk: " + String(decoding: chunk.utf8.prefix(200), as: UTF8.self))
        #expect(failure?.isRetryable == false)
    }

    @Test("an event that is only whitespace is ignored")
    func whitespace() {
        let (events, failure) = decode([" \r\n\t", #"{"candidates": [{"content": {"parts": [{"text": "Hi"}]}, "finishReason": "STOP"}]}"#])
        #expect(failure == nil)
        #expect(events == [.textDelta("Hi"), .finished(LLMFinish(reason: .stop))])
    }
}
