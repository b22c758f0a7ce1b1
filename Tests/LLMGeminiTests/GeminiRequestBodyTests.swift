import LLMGemini
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
