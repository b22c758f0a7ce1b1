import Foundation
import Host
import LLMGemini
import PluginAPI
import SQLKit
import SwitchboardTesting
import Testing

/// Fake Retell caller → real server and engine → Gemini plugin → fake Gemini server, with a tool call.
@Suite struct GeminiConversationTests {
    @Test func aToolCallTravelsThroughGeminiAndBack() async throws {
        try await FakeGeminiServer.run { gemini in
            gemini.enqueue(
                FakeGeminiServer.functionCalls([(name: "add_note", args: ["text": "pizza"])], text: "One moment. "),
                FakeGeminiServer.text(["Noted ", "your pizza."]))
            let yaml = Fixtures.yaml.replacingOccurrences(of: """
                  test:
                    plugin: scripted
                    model: script-1
                """, with: """
                  test:
                    plugin: gemini
                    model: gemini-2.5-flash
                    api_key: ${GEMINI_API_KEY}
                    base_url: ${GEMINI_BASE_URL}
                """)
            let runtime = try await TestFixtures.runtime(
                yaml: yaml, files: Fixtures.files, plugins: [NotesSkillPlugin(), GeminiPlugin()],
                environment: ["GEMINI_API_KEY": gemini.apiKey, "GEMINI_BASE_URL": gemini.baseURL, "RETELL_API_KEY": "k"])
            #expect(runtime.catalog.agent("notes-desk")?.status == .ok)
            try await LiveServer.run(runtime) { port in
                try await FakeRetellCaller.call("ws://127.0.0.1:\(port)/llm-websocket/notes-desk/call_g") { caller in
                    try await caller.sendCallDetails(callID: "call_g")
                    try await caller.ask(1, "Please note: pizza")
                    let answer = try await caller.response(1)
                    #expect(answer.text == "One moment. Noted your pizza.")
                    #expect(try await caller.waitFor { $0["response_type"] == "tool_call_result" }["successful"] == true)
                }
            }
            let rows = try await runtime.database.sql.select().column("text").from("test_notes").all()
            #expect(try rows.map { try $0.decode(column: "text", as: String.self) } == ["pizza"])
            #expect(gemini.requests.count == 2)
            let followUp = try #require(gemini.requests.last?.body)
            let contents = followUp["contents"]?.arrayValue ?? []
            // The model turn comes back as received (signature included), then the functionResponse turn.
            let modelTurn = try #require(contents.dropLast().last)
            #expect(modelTurn["role"] == "model")
            #expect(modelTurn["parts"]?.arrayValue?.contains { $0["functionCall"]?["name"] == "add_note" && $0["thoughtSignature"] == "c2lnLTE=" } == true)
            let responseTurn = try #require(contents.last)
            #expect(responseTurn["role"] == "user")
            #expect(responseTurn["parts"]?[0]?["functionResponse"]?["name"] == "add_note")
            #expect(followUp["systemInstruction"]?["parts"]?[0]?["text"]?.stringValue?.hasPrefix("You are the assistant of Acme Notes.") == true)
            await runtime.shutdown()
        }
    }
}
