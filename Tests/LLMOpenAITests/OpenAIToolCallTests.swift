import LLMOpenAI
import PluginAPI
import SwitchboardTesting
import Testing

@Suite("OpenAI-compatible tool calls")
struct OpenAIToolCallTests {
    @Test("tool loop: arguments streamed in fragments become one call; the follow-up carries assistant tool_calls and a tool message")
    func toolLoop() async throws {
        try await FakeOpenAIServer.run { openai in
            let backend = makeBackend(openai)
            openai.enqueue(FakeOpenAIServer.toolCalls([("call_Ab12", "get_forecast", ["city": "Lyon"])], fragmentSize: 4))
            let first = await collect(backend.stream(question(tools: [weatherTool])))
            #expect(first.error == nil)
            #expect(first.toolCalls == [ToolCall(id: "call_Ab12", name: "get_forecast", arguments: ["city": "Lyon"])])
            #expect(first.finish?.reason == .toolCalls)
            #expect(openai.requests[0].body?["tools"] == [["type": "function", "function": [
                "name": "get_forecast", "description": "Returns today's forecast for a city.", "parameters": weatherTool.parameters.json,
            ]]])

            openai.enqueue(FakeOpenAIServer.text(["Yes, bring one."]))
            var followUp = question(tools: [weatherTool])
            followUp.messages += [
                .assistant(AssistantTurn(text: "", toolCalls: first.toolCalls)),
                .toolResult(ToolResultMessage(callID: "call_Ab12", name: "get_forecast", content: ["summary": "showers after 3pm"])),
            ]
            let second = await collect(backend.stream(followUp))
            #expect(second.text == "Yes, bring one.")
            let messages = try #require(openai.requests[1].body?["messages"]?.arrayValue)
            #expect(messages[2] == ["role": "assistant", "content": nil, "tool_calls": [
                ["id": "call_Ab12", "type": "function", "function": ["name": "get_forecast", "arguments": "{\"city\":\"Lyon\"}"]],
            ]])
            #expect(messages[3] == ["role": "tool", "tool_call_id": "call_Ab12", "content": "{\"summary\":\"showers after 3pm\"}"])
        }
    }

    @Test("parallel calls keep their ids and come out in index order, even with finish_reason stop and text before them")
    func parallelCalls() async throws {
        try await FakeOpenAIServer.run { openai in
            openai.enqueue(FakeOpenAIServer.toolCalls(
                [("call_1", "get_forecast", ["city": "Lyon"]), ("call_2", "get_forecast", ["city": "Paris"])],
                text: "Checking both.", finishReason: "stop"))
            let outcome = await collect(makeBackend(openai).stream(question(tools: [weatherTool])))
            #expect(outcome.text == "Checking both.")
            #expect(outcome.toolCalls.map(\.id) == ["call_1", "call_2"])
            #expect(outcome.toolCalls.map(\.arguments) == [["city": "Lyon"], ["city": "Paris"]])
            #expect(outcome.finish?.reason == .toolCalls)
        }
    }

    @Test("servers that omit index, put every call at index 0, or send arguments as an object are handled")
    func quirkyServers() throws {
        var noIndex = ToolCallAssembler()
        noIndex.add(.init(index: nil, id: "a", name: "get_forecast", arguments: "{\"ci"))
        noIndex.add(.init(index: nil, id: nil, name: nil, arguments: "ty\":\"Lyon\"}"))
        noIndex.add(.init(index: nil, id: "b", name: "get_forecast", arguments: "{\"city\":\"Nice\"}"))
        #expect(try noIndex.calls { "gen\($0)" }.map(\.arguments) == [["city": "Lyon"], ["city": "Nice"]])

        var allAtZero = ToolCallAssembler()
        allAtZero.add(.init(index: 0, id: "a", name: "get_forecast", arguments: "{}"))
        allAtZero.add(.init(index: 0, id: "b", name: "end_call", arguments: ""))
        #expect(try allAtZero.calls { "gen\($0)" }.map(\.name) == ["get_forecast", "end_call"])
        #expect(try allAtZero.calls { "gen\($0)" }.map(\.arguments) == [[:], [:]])

        var outOfOrder = ToolCallAssembler()
        outOfOrder.add(.init(index: 1, id: nil, name: "second", arguments: "{}"))
        outOfOrder.add(.init(index: 0, id: nil, name: "first", arguments: "{}"))
        #expect(try outOfOrder.calls { "gen\($0)" }.map(\.id) == ["gen1", "gen2"])
        #expect(try outOfOrder.calls { "gen\($0)" }.map(\.name) == ["first", "second"])

        var broken = ToolCallAssembler()
        broken.add(.init(index: 0, id: "x", name: "get_forecast", arguments: "{\"city\": "))
        #expect(try broken.calls { "gen\($0)" }.first?.arguments == .string("{\"city\": "))
    }

    @Test("whole calls in one chunk with arguments as an object (Ollama style) and no finish reason before [DONE]")
    func ollamaStyle() async throws {
        try await FakeOpenAIServer.run(apiKey: nil) { ollama in
            ollama.enqueue(.stream([
                event(FakeOpenAIServer.chunk(delta: ["role": "assistant", "content": "", "tool_calls": [
                    ["id": "call_x", "function": ["name": "get_forecast", "arguments": ["city": "Lyon"]]],
                ]])),
                event("[DONE]"),
            ]))
            let outcome = await collect(makeBackend(ollama).stream(question(tools: [weatherTool])))
            #expect(outcome.error == nil)
            #expect(outcome.toolCalls == [ToolCall(id: "call_x", name: "get_forecast", arguments: ["city": "Lyon"])])
        }
    }
}
