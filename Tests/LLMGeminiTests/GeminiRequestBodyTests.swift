import LLMGemini
import LLMSupport
import PluginAPI
import Testing

/// The request body as written to the wire, read back as a value.
@Suite("Gemini request body")
struct GeminiRequestBodyTests {
    @Test("every member in one body: system prompt, tools, safety settings, request settings over the configured ones")
    func everyMember() throws {
        let config = GeminiConfig(
            model: "gemini-3.6-flash", apiKey: "key", temperature: 0.3, maxOutputTokens: 512, topP: 0.8,
            safetySettings: [["category": "HARM_CATEGORY_HARASSMENT", "threshold": "BLOCK_ONLY_HIGH"]])
        let noArguments = ToolDefinition(name: "end_call", description: "Hangs up.", parameters: .empty, effect: .readOnly)
        let request = LLMRequest(
            systemPrompt: "You are \"Ada\".\nBe brief.", messages: [.user("Bonjour, ça va ?")], tools: [weatherTool, noArguments],
            settings: GenerationSettings(temperature: 0.9, maxOutputTokens: 64))
        let body = try JSONValue(parsing: GeminiRequest.body(request, config: config))
        #expect(body == [
            "contents": [["role": "user", "parts": [["text": "Bonjour, ça va ?"]]]],
            "systemInstruction": ["parts": [["text": "You are \"Ada\".\nBe brief."]]],
            "tools": [["functionDeclarations": [
                ["name": "get_forecast", "description": "Returns today's forecast for a city.",
                 "parameters": ["type": "OBJECT", "properties": ["city": ["type": "STRING", "description": "City name"]], "required": ["city"]]],
                ["name": "end_call", "description": "Hangs up."],
            ]]],
            "safetySettings": [["category": "HARM_CATEGORY_HARASSMENT", "threshold": "BLOCK_ONLY_HIGH"]],
            "generationConfig": ["temperature": 0.9, "topP": 0.8, "maxOutputTokens": 64, "thinkingConfig": ["thinkingLevel": "LOW"]],
        ])
    }

    @Test("with nothing to configure, only contents are sent")
    func minimal() throws {
        let body = try JSONValue(parsing: GeminiRequest.body(
            LLMRequest(systemPrompt: "", messages: [.user("Hi")]), config: GeminiConfig(model: "gemini-2.0-flash", apiKey: "key")))
        #expect(body == ["contents": [["role": "user", "parts": [["text": "Hi"]]]]])
    }

    @Test("the text's signature goes back on the text; a result that is not an object goes under output; a tool turn last gets no placeholder")
    func signaturesAndResults() throws {
        let call = ToolCall(id: "c1", name: "get_forecast", arguments: "Lyon", providerMetadata: ["thoughtSignature": "c2ln"])
        let contents = try requestContents([
            .user("Weather?"),
            .assistant(AssistantTurn(text: "One moment.", providerMetadata: ["thoughtSignature": "dGV4dA=="])),
            .assistant(AssistantTurn(text: "", toolCalls: [call])),
            .toolResult(ToolResultMessage(callID: "c1", name: "get_forecast", content: [1, 2])),
        ])
        #expect(contents == [
            ["role": "user", "parts": [["text": "Weather?"]]],
            ["role": "model", "parts": [
                ["text": "One moment.", "thoughtSignature": "dGV4dA=="],
                ["functionCall": ["name": "get_forecast", "args": [:]], "thoughtSignature": "c2ln"],
            ]],
            ["role": "user", "parts": [["functionResponse": ["name": "get_forecast", "response": ["output": [1, 2]]]]]],
        ])
    }
}

/// A conversation kept encoded between requests is written byte for byte as it would be from scratch.
@Suite("Gemini request body, history kept encoded")
struct GeminiContinuedConversationTests {
    let config = GeminiConfig(model: "gemini-2.5-flash", apiKey: "key")

    /// Each step's messages are appended to the conversation before a request is written.
    let steps: [[ChatMessage]] = [
        [.user("Hi")],
        [.assistant(AssistantTurn(text: "Hello! What can I do?"))],
        [.user("Is it raining")],
        [.user("in Lyon?")],  // merges with the user turn the previous request ended with
        [.assistant(AssistantTurn(text: "", toolCalls: [
            ToolCall(id: "c1", name: "get_forecast", arguments: ["city": "Lyon"], providerMetadata: ["thoughtSignature": "c2ln"]),
            ToolCall(id: "c2", name: "get_forecast", arguments: ["city": "Paris"]),
        ]))],
        [.toolResult(ToolResultMessage(callID: "c2", name: "get_forecast", content: ["sky": "sun"]))],
        [.toolResult(ToolResultMessage(callID: "c1", name: "get_forecast", content: "rain"))],  // reordered into its call's place
        [.assistant(AssistantTurn(text: "Rain in Lyon."))],
        [.assistant(AssistantTurn(text: "Sun in Paris."))],  // merges with the model turn before
        [.user(""), .user("Thanks.")],  // an empty utterance writes nothing
        [.assistant(AssistantTurn(text: "", toolCalls: [ToolCall(id: "c3", name: "end_call", arguments: [:])]))],
    ]

    @Test("every request of a growing conversation equals the one written without the cache; all turns but the last are kept")
    func growingConversation() {
        let cache = EncodedMessagesCache()
        var messages: [ChatMessage] = []
        var kept: [Int] = []
        for step in steps {
            messages += step
            let request = LLMRequest(systemPrompt: "Be brief.", messages: messages, conversationID: "call_7")
            var fresh = request
            fresh.conversationID = nil
            #expect(text(GeminiRequest.body(request, config: config, messages: cache)) == text(GeminiRequest.body(fresh, config: config)))
            kept.append(cache.reusablePrefix(of: messages, conversation: "call_7")?.covered ?? -1)
        }
        // The message each request's last turn began with: the turns before it are kept encoded.
        #expect(kept == [0, 1, 2, 2, 4, 5, 5, 7, 7, 10, 11])
    }

    @Test("an edited history, or a call id used twice, is written from scratch")
    func editsAndRepeatedIDs() {
        let cache = EncodedMessagesCache()
        let history = steps.prefix(8).flatMap { $0 }
        _ = GeminiRequest.body(LLMRequest(systemPrompt: "", messages: history, conversationID: "call_8"), config: config, messages: cache)
        var edited = history
        edited[0] = .user("Good morning")
        edited.append(.assistant(AssistantTurn(text: "", toolCalls: [ToolCall(id: "c1", name: "get_forecast", arguments: ["city": "Nice"])])))
        let kept = LLMRequest(systemPrompt: "", messages: edited, conversationID: "call_8")
        #expect(text(GeminiRequest.body(kept, config: config, messages: cache)) == text(GeminiRequest.body(kept, config: config)))
    }

    private func text(_ body: [UInt8]) -> String { String(decoding: body, as: UTF8.self) }
}
