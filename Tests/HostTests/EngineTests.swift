import Foundation
import Host
import PluginAPI
import SQLKit
import SwitchboardTesting
import Testing

/// The custom-LLM WebSocket through the real server, with a fake Retell caller and a scripted LLM.
@Suite struct EngineTests {
    static func script() -> ScriptedLLM {
        ScriptedLLM([
            .init(.userSays("hello"), say: ["Hi ", "there, ", "how can I help?"], delay: .milliseconds(5)),
            .init(.userSays("long story"), say: Array(repeating: "word ", count: 200), delay: .milliseconds(20)),
            .init(.userSays("note"), toolCalls: [("add_note", ["text": "pizza"])]),
            .init(.toolResult("add_note"), say: ["Noted your pizza."]),
            .init(.userSays("break"), failure: LLMError(.unavailable, status: 503, message: "overloaded")),
            .init(.userSays("bye"), toolCalls: [("end_call", ["goodbye": "Goodbye!"])]),
            .init(.userSays("human"), toolCalls: [("transfer_call", ["message": "Connecting you now."])]),
            .init(.userSays("loop"), toolCalls: [("count_notes", [:])]),
            .init(.userSays("linger"), say: ["Done, ", "bye for now."], linger: .seconds(60)),
            .init(.userSays("snaps"), say: ["All done."], failureAfterEnd: LLMError(.unavailable, message: "connection reset")),
            .init(.toolResult("count_notes"), toolCalls: [("count_notes", [:])]),
        ], otherwise: .init(.always, say: ["Sorry?"]))
    }

    func withCall(
        _ llm: ScriptedLLM = script(), yaml: String = Fixtures.yaml, path: String = "/llm-websocket/notes-desk/call_1",
        _ body: @escaping @Sendable (FakeRetellCaller, SwitchboardRuntime) async throws -> Void
    ) async throws {
        let runtime = try await TestFixtures.runtime(yaml: yaml, files: Fixtures.files, plugins: Fixtures.plugins(llm))
        try await LiveServer.run(runtime) { port in
            try await FakeRetellCaller.call("ws://127.0.0.1:\(port)\(path)") { caller in try await body(caller, runtime) }
        }
        await runtime.shutdown()
    }

    @Test func opensWithConfigThenTheBeginMessage() async throws {
        try await withCall { caller, runtime in
            try await caller.sendCallDetails(callID: "call_1", from: "+14155550123")
            let greeting = try await caller.response(0)
            #expect(greeting.text == "Hello from Acme Notes!")
            #expect(caller.frames.first == ["response_type": "config", "config": ["auto_reconnect": true, "call_details": true]])
            let row = try await runtime.database.sql.select().columns("status", "from_number", "agent_id").from("calls").first()
            #expect(try row?.decode(column: "status", as: String.self) == "ongoing")
            #expect(try row?.decode(column: "agent_id", as: String.self) == "notes-desk")
        }
    }

    @Test func streamsTextAndClosesEachResponseExactlyOnce() async throws {
        try await withCall { caller, _ in
            try await caller.sendCallDetails(callID: "call_1")
            _ = try await caller.response(0)
            try await caller.ask(1, "hello")
            let answer = try await caller.response(1)
            #expect(answer.text == "Hi there, how can I help?")
            #expect(answer.frames.filter { $0["content_complete"] == true }.count == 1)
            #expect(answer.frames.allSatisfy { $0["end_call"] == nil && $0["transfer_number"] == nil })
        }
    }

    /// The response is closed where the answer's end is decoded, not when the backend's call returns
    /// (here a minute later): the closing frame follows the last text at once.
    @Test func closesTheResponseWhereTheAnswerEnds() async throws {
        try await withCall { caller, _ in
            try await caller.sendCallDetails(callID: "call_1")
            try await caller.ask(1, "linger a while")
            let answer = try await caller.response(1, timeout: .seconds(10))
            #expect(answer.text == "Done, bye for now.")
            #expect(answer.frames.filter { $0["content_complete"] == true }.count == 1)
        }
    }

    /// A stream that breaks after the answer's end: the response was complete, so no fallback line follows.
    @Test func anErrorAfterTheAnswersEndAddsNoFallback() async throws {
        try await withCall { caller, _ in
            try await caller.sendCallDetails(callID: "call_1")
            try await caller.ask(1, "the line snaps after the answer")
            #expect(try await caller.response(1).text == "All done.")
            try await caller.ask(2, "hello")  // whatever turn 1 still sent arrived before turn 2's answer
            _ = try await caller.response(2)
            let first = caller.frames.filter { $0["response_type"] == "response" && $0["response_id"] == 1 }
            #expect(first.filter { $0["content_complete"] == true }.count == 1)
            #expect(!first.contains { $0["content"]?.stringValue?.contains("technical trouble") == true })
        }
    }

    @Test func answersPingsAndSurvivesMalformedFrames() async throws {
        try await withCall { caller, _ in
            try await caller.sendRaw("{not json")
            try await caller.sendRaw(#"{"interaction_type":"response_required"}"#)
            try await caller.ping(1_754_400_012_345)
            try await caller.waitFor { $0 == ["response_type": "ping_pong", "timestamp": 1_754_400_012_345] }
            try await caller.sendCallDetails(callID: "call_1")
            try await caller.ask(1, "hello")
            #expect(try await caller.response(1).text == "Hi there, how can I help?")
        }
    }

    @Test func takesATwoMebibyteTranscriptFrame() async throws {
        try await withCall { caller, _ in
            try await caller.sendCallDetails(callID: "call_1")
            caller.transcript.append(role: "user", String(repeating: "blah ", count: 420_000))
            try await caller.ask(1, "hello")
            #expect(try await caller.response(1).text == "Hi there, how can I help?")
        }
    }

    @Test func aNewerRequestCancelsTheTurnInFlightAndSilencesIt() async throws {
        let llm = Self.script()
        try await withCall(llm) { caller, _ in
            try await caller.sendCallDetails(callID: "call_1")
            _ = try await caller.response(0)
            try await caller.ask(1, "tell me a long story")
            while llm.requests.count < 1 { try await Task.sleep(for: .milliseconds(1)) }
            try await Task.sleep(for: .milliseconds(1))
            try await caller.ask(2, "hello")
            let second = try await caller.response(2)
            #expect(second.text == "Hi there, how can I help?")
            let firstOfTwo = try #require(caller.frames.firstIndex { $0["response_id"] == 2 })
            #expect(!caller.frames[firstOfTwo...].contains { $0["response_id"] == 1 })
            #expect(!caller.frames.contains { $0["response_id"] == 1 && $0["content_complete"] == true })
            #expect(llm.cancellations == 1)
        }
    }

    @Test func updateOnlyNeverCancelsAndRemindersGetAnswers() async throws {
        let llm = Self.script()
        try await withCall(llm) { caller, _ in
            try await caller.sendCallDetails(callID: "call_1")
            try await caller.ask(1, "hello")
            try await caller.send(["interaction_type": "update_only", "transcript": caller.transcript.json, "turntaking": "agent_turn"])
            #expect(try await caller.response(1).text == "Hi there, how can I help?")
            try await caller.ask(2, reminder: true)
            _ = try await caller.response(2)
            #expect(llm.cancellations == 0)
            #expect(llm.requests.last?.messages.last == .user("(The caller has been silent for a while. Check in briefly.)"))
        }
    }

    @Test func runsAToolAndReportsItToRetell() async throws {
        let llm = Self.script()
        try await withCall(llm) { caller, runtime in
            try await caller.sendCallDetails(callID: "call_1")
            try await caller.ask(1, "please take a note")
            let answer = try await caller.response(1)
            #expect(answer.text == "Noted your pizza.")
            let invocation = try await caller.waitFor { $0["response_type"] == "tool_call_invocation" }
            #expect(invocation["name"] == "add_note")
            #expect(invocation["arguments"] == #"{"text":"pizza"}"#)
            let result = try await caller.waitFor { $0["response_type"] == "tool_call_result" }
            #expect(result["tool_call_id"] == invocation["tool_call_id"])
            #expect(result["successful"] == true)
            let followUp = try #require(llm.requests.last)
            #expect(followUp.messages.suffix(2).first == .assistant(AssistantTurn(text: "", toolCalls: [ToolCall(id: "scripted-1", name: "add_note", arguments: ["text": "pizza"])])))
            let rows = try await runtime.database.sql.select().column("text").from("test_notes").all()
            #expect(rows.count == 1)
        }
    }

    @Test func aToolReissuedAfterAnInterruptionRunsOnce() async throws {
        let llm = ScriptedLLM([
            .init(.userSays("note"), toolCalls: [("add_note", ["text": "pizza"])]),
            .init(.toolResult("add_note"), say: Array(repeating: "slowly ", count: 50), delay: .milliseconds(20)),
        ])
        try await withCall(llm) { caller, runtime in
            try await caller.sendCallDetails(callID: "call_1")
            try await caller.ask(1, "note a pizza")
            try await caller.waitFor { $0["response_type"] == "tool_call_result" }
            try await caller.ask(2)  // Retell asks again for the same caller turn
            _ = try await caller.response(2, timeout: .seconds(60))
            let rows = try await runtime.database.sql.select().column("text").from("test_notes").all()
            #expect(rows.count == 1)
            let second = try #require(llm.requests.first { request in request.messages.contains { if case .toolResult = $0 { return true } else { return false } } })
            #expect(second.messages.contains { if case .toolResult(let result) = $0 { return result.name == "add_note" } else { return false } })
        }
    }

    @Test func llmFailureSpeaksTheFallbackAndAsksForACallback() async throws {
        try await withCall { caller, runtime in
            try await caller.sendCallDetails(callID: "call_1", from: "+14155550199")
            try await caller.ask(1, "break it")
            let answer = try await caller.response(1)
            #expect(answer.text == " I'm sorry, I'm having technical trouble right now. We'll call you back as soon as we can.")
            let row = try await runtime.database.sql.select().columns("phone", "status").from("callback_requests").first()
            #expect(try row?.decode(column: "phone", as: String.self) == "+14155550199")
        }
    }

    @Test func tooManyToolRoundsEndInTheFallback() async throws {
        let yaml = Fixtures.yaml.replacingOccurrences(of: "tool_timeout: 10s", with: "tool_timeout: 10s\n    max_tool_rounds: 2")
        try await withCall(yaml: yaml) { caller, _ in
            try await caller.sendCallDetails(callID: "call_1")
            try await caller.ask(1, "loop forever")
            #expect(try await caller.response(1).text.contains("technical trouble"))
        }
    }

    @Test func endsAndTransfersCalls() async throws {
        try await withCall { caller, _ in
            try await caller.sendCallDetails(callID: "call_1")
            try await caller.ask(1, "bye now")
            let goodbye = try await caller.response(1)
            #expect(goodbye.final == ["response_type": "response", "response_id": 1, "content": "Goodbye!", "content_complete": true, "end_call": true])
            try await caller.ask(2, "a human please")
            let transfer = try await caller.response(2)
            #expect(transfer.final["transfer_number"] == "+14155550100")
            #expect(transfer.text == "Connecting you now.")
        }
    }

    @Test func aDegradedAgentAnswersWithItsFallbackLine() async throws {
        let yaml = Fixtures.yaml.replacingOccurrences(of: "model: script-1", with: "model: ${SWITCHBOARD_TEST_UNSET}")
        try await withCall(yaml: yaml) { caller, _ in
            try await caller.sendCallDetails(callID: "call_1")
            try await caller.ask(1, "hello")
            #expect(try await caller.response(1).text.contains("technical trouble"))
        }
    }

    /// Read off the wire with a raw socket: the close frame follows the `101` response at once, and a
    /// client library may lose bytes that arrive together with it.
    @Test func refusesAnUnknownAgent() async throws {
        let runtime = try await TestFixtures.runtime(yaml: Fixtures.yaml, files: Fixtures.files, plugins: Fixtures.plugins(Self.script()))
        try await LiveServer.run(runtime) { port in
            let close = try await RawWebSocket.onThread {
                var socket = try RawWebSocket(port: port, path: "/llm-websocket/nobody/call_9")
                defer { socket.close() }
                return try socket.readFrame()
            }
            #expect(close.opcode == 0x8)
            #expect(close.payload.prefix(2) == [0x03, 0xF0])  // 1008 policy violation
            #expect(String(decoding: close.payload.dropFirst(2), as: UTF8.self) == "unknown agent 'nobody'")
        }
        await runtime.shutdown()
    }

    @Test func findsTheAgentFromCallDetailsOnTheSeedPath() async throws {
        let yaml = Fixtures.yaml.replacingOccurrences(of: "    language: en-US", with: "    language: en-US\n    retell_agent_id: agent_abc")
        try await withCall(yaml: yaml, path: "/api/retell/chat/call_7") { caller, _ in
            try await caller.sendCallDetails(callID: "call_7", retellAgentID: "agent_abc")
            #expect(try await caller.response(0).text == "Hello from Acme Notes!")
        }
    }

    @Test func aReconnectResumesTheCallWithoutGreetingAgain() async throws {
        let llm = Self.script()
        let runtime = try await TestFixtures.runtime(yaml: Fixtures.yaml, files: Fixtures.files, plugins: Fixtures.plugins(llm))
        try await LiveServer.run(runtime) { port in
            let url = "ws://127.0.0.1:\(port)/llm-websocket/notes-desk/call_r"
            try await FakeRetellCaller.call(url) { caller in
                try await caller.sendCallDetails(callID: "call_r")
                _ = try await caller.response(0)
                try await caller.ask(1, "note this")
                _ = try await caller.response(1)
            }
            try await FakeRetellCaller.call(url) { caller in
                try await caller.waitFor { $0["response_type"] == "config" }
                try await caller.sendCallDetails(callID: "call_r")
                caller.transcript.append(role: "user", "note this")
                caller.transcript.append(role: "agent", "Noted your pizza.")
                try await caller.ask(3, "hello")
                _ = try await caller.response(3)
                #expect(!caller.frames.contains { $0["response_id"] == 0 })
                let request = try #require(llm.requests.last)
                #expect(request.messages.contains { if case .toolResult(let result) = $0 { return result.name == "add_note" } else { return false } })
            }
        }
        await runtime.shutdown()
    }
}
