import LLMGemini
import PluginAPI
import SwitchboardTesting
import Testing

@Suite("Gemini function calling")
struct GeminiToolCallTests {
    @Test("tool loop: the call comes whole with its signature, and the follow-up carries the model turn and a functionResponse turn")
    func toolLoop() async throws {
        try await FakeGeminiServer.run { gemini in
            let backend = makeBackend(gemini, model: "gemini-3.6-flash")
            gemini.enqueue(FakeGeminiServer.functionCalls([("get_forecast", ["city": "Lyon", "units": "metric"])], text: "Let me check Lyon's forecast."))
            let first = await collect(backend.stream(question(tools: [weatherTool])))
            #expect(first.error == nil)
            #expect(first.text == "Let me check Lyon's forecast.")
            let call = try #require(first.toolCalls.first)
            #expect(first.toolCalls.count == 1)
            #expect(call.name == "get_forecast")
            #expect(call.arguments == ["city": "Lyon", "units": "metric"])
            #expect(call.providerMetadata["thoughtSignature"] == "c2lnLTE=")
            #expect(first.finish?.reason == .toolCalls)

            let declarations = gemini.requests[0].body?["tools"]?[0]?["functionDeclarations"]
            #expect(declarations == [[
                "name": "get_forecast", "description": "Returns today's forecast for a city.",
                "parameters": ["type": "OBJECT", "properties": ["city": ["type": "STRING", "description": "City name"]], "required": ["city"]],
            ]])

            gemini.enqueue(FakeGeminiServer.text(["Yes, bring one."]))
            var followUp = question(tools: [weatherTool])
            followUp.messages += [
                .assistant(AssistantTurn(text: first.text, toolCalls: first.toolCalls)),
                .toolResult(ToolResultMessage(callID: call.id, name: call.name, content: ["summary": "showers after 3pm"])),
            ]
            let second = await collect(backend.stream(followUp))
            #expect(second.text == "Yes, bring one.")

            let contents = try #require(gemini.requests[1].body?["contents"]?.arrayValue)
            #expect(contents.count == 3)
            #expect(contents[1] == ["role": "model", "parts": [
                ["text": "Let me check Lyon's forecast."],
                ["functionCall": ["name": "get_forecast", "args": ["city": "Lyon", "units": "metric"]], "thoughtSignature": "c2lnLTE="],
            ]])
            #expect(contents[2] == ["role": "user", "parts": [
                ["functionResponse": ["name": "get_forecast", "response": ["summary": "showers after 3pm"]]],
            ]])
        }
    }

    @Test("parallel calls: all arrive, only the first keeps a signature, and responses go back in call order in one turn")
    func parallelCalls() async throws {
        try await FakeGeminiServer.run { gemini in
            let backend = makeBackend(gemini, model: "gemini-3.6-flash")
            gemini.enqueue(FakeGeminiServer.functionCalls([("get_forecast", ["city": "Lyon"]), ("get_forecast", ["city": "Paris"])]))
            let first = await collect(backend.stream(question("Lyon and Paris?", tools: [weatherTool])))
            #expect(first.toolCalls.map(\.arguments) == [["city": "Lyon"], ["city": "Paris"]])
            #expect(Set(first.toolCalls.map(\.id)).count == 2)
            #expect(first.toolCalls.map { $0.providerMetadata["thoughtSignature"] } == ["c2lnLTE=", nil])

            gemini.enqueue(FakeGeminiServer.text(["Both rainy."]))
            var followUp = question("Lyon and Paris?", tools: [weatherTool])
            followUp.messages.append(.assistant(AssistantTurn(text: "", toolCalls: first.toolCalls)))
            // Paris finished first; Gemini still wants the responses in the order of the calls.
            followUp.messages.append(.toolResult(ToolResultMessage(callID: first.toolCalls[1].id, name: "get_forecast", content: "rain")))
            followUp.messages.append(.toolResult(ToolResultMessage(callID: first.toolCalls[0].id, name: "get_forecast", content: ["error": "timeout"])))
            _ = await collect(backend.stream(followUp))

            let contents = try #require(gemini.requests[1].body?["contents"]?.arrayValue)
            #expect(contents.count == 3)
            #expect(contents[1]["parts"]?[1] == ["functionCall": ["name": "get_forecast", "args": ["city": "Paris"]]])
            #expect(contents[2] == ["role": "user", "parts": [
                ["functionResponse": ["name": "get_forecast", "response": ["error": "timeout"]]],
                ["functionResponse": ["name": "get_forecast", "response": ["output": "rain"]]],
            ]])
        }
    }

    @Test("each request declares the tools it offers, also when the backend reuses a tool list it has encoded before")
    func toolListsPerRequest() async throws {
        try await FakeGeminiServer.run { gemini in
            let backend = makeBackend(gemini)
            let clock = ToolDefinition(name: "get_time", description: "The time in a city.", parameters: .empty, effect: .readOnly)
            let offered: [[ToolDefinition]] = [[weatherTool], [weatherTool, clock], [], [weatherTool]]
            for tools in offered {
                gemini.enqueue(FakeGeminiServer.text(["Fine."]))
                _ = await collect(backend.stream(question(tools: tools)))
            }
            let declared = gemini.requests.map { request in
                request.body?["tools"]?[0]?["functionDeclarations"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
            }
            #expect(declared == [["get_forecast"], ["get_forecast", "get_time"], nil, ["get_forecast"]])
            #expect(gemini.requests[3].body?["tools"] == gemini.requests[0].body?["tools"])
        }
    }

    @Test("calls Gemini did not make get the signature sentinel on the first call; Gemini's own call ids are echoed")
    func sentinelAndIDs() throws {
        let handMade = AssistantTurn(text: "", toolCalls: [
            ToolCall(id: "scripted-1", name: "get_forecast", arguments: ["city": "Lyon"]),
            ToolCall(id: "scripted-2", name: "get_forecast", arguments: ["city": "Nice"]),
        ])
        let fromGemini = AssistantTurn(text: "", toolCalls: [
            ToolCall(id: "abc", name: "get_forecast", arguments: ["city": "Rome"], providerMetadata: ["functionCallId": "abc", "thoughtSignature": "c2ln"]),
        ])
        let contents = try requestContents([
            .user("Weather?"), .assistant(handMade),
            .toolResult(ToolResultMessage(callID: "scripted-1", name: "get_forecast", content: "sun")),
            .toolResult(ToolResultMessage(callID: "scripted-2", name: "get_forecast", content: "sun")),
            .user("And Rome?"), .assistant(fromGemini),
            .toolResult(ToolResultMessage(callID: "abc", name: "get_forecast", content: "rain")),
        ])
        #expect(contents[1]["parts"]?[0]?["thoughtSignature"] == .string(GeminiRequest.signatureSentinel))
        #expect(contents[1]["parts"]?[1]?["thoughtSignature"] == nil)
        #expect(contents[4]["parts"]?[0] == ["functionCall": ["id": "abc", "name": "get_forecast", "args": ["city": "Rome"]], "thoughtSignature": "c2ln"])
        #expect(contents[5]["parts"]?[0] == ["functionResponse": ["id": "abc", "name": "get_forecast", "response": ["output": "rain"]]])
        #expect(contents.map { $0["role"] } == ["user", "model", "user", "user", "model", "user"])
    }

    @Test("adjacent caller turns merge into one user turn and empty text is never sent")
    func mergesTurns() throws {
        let contents = try requestContents([.user("Hello"), .user(""), .user("are you there?"), .assistant(AssistantTurn(text: "Yes.")), .user("Good.")])
        #expect(contents == [
            ["role": "user", "parts": [["text": "Hello"], ["text": "are you there?"]]],
            ["role": "model", "parts": [["text": "Yes."]]],
            ["role": "user", "parts": [["text": "Good."]]],
        ])
    }
}
