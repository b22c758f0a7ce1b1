import Foundation
import Host
import Hummingbird
import HummingbirdTesting
import NIOCore
import PluginAPI
import SQLKit
import SwitchboardTesting
import Testing

/// `POST /retell/webhook` through the real router: signed, stored durably once, out of order, large.
@Suite("Retell webhooks")
struct WebhookTests {
    static let key = RetellFixtures.apiKey

    static func event(_ name: String, call: String = "call_8c1e2f", _ fields: String = "") -> String {
        #"{"event":"\#(name)","call":{"call_id":"\#(call)","agent_id":"agent_4b7d","direction":"inbound","from_number":"+14155550142","to_number":"+16505550199""# + fields + "}}"
    }

    func post(_ client: some TestClientProtocol, _ body: String, path: String = "/retell/webhook", headers: HTTPFields? = nil) async throws -> TestResponse {
        try await client.execute(uri: path, method: .post, headers: headers ?? RetellFixtures.signed(body), body: ByteBuffer(string: body))
    }

    @Test("the spec's call_ended vector is stored: event, call row, hook", arguments: try TestFixtures.databases())
    func storesVectorOne(database: String?) async throws {
        let runtime = try await RetellFixtures.runtime(database: database)
        let app = Application(router: SwitchboardServer.makeRouter(runtime: runtime))
        try await app.test(.router) { client in
            let response = try await client.execute(
                uri: "/retell/webhook", method: .post,
                headers: [.contentType: "application/json", .init("x-retell-signature")!: "v=1754400000000,d=8a4cf48518b73f3bef988a9bb86be0c381e848adaca765f44a3909d46f1ee95e"],
                body: ByteBuffer(string: RetellSignatureTests.callEnded))
            #expect(response.status == .noContent)
        }
        let call = try #require(try await CallStore(storage: runtime.database, clock: .system).call("call_8c1e2f"))
        #expect(call["status"] == "ended")
        #expect(call["agent_id"] == "desk")
        #expect(call["retell_agent_id"] == "agent_4b7d")
        #expect(call["disconnection_reason"] == "user_hangup")
        let stored = try #require(try await runtime.database.sql.select().columns("event", "body").from("webhook_events").first())
        #expect(try stored.decode(column: "body", as: String.self) == RetellSignatureTests.callEnded)
        #expect(try await RetellFixtures.count(runtime, "desk_hooks", where: "hook", is: "ended") == 1)
        await runtime.shutdown()
    }

    @Test("refused signatures answer 401 JSON and change nothing")
    func refusesBadSignatures() async throws {
        let runtime = try await RetellFixtures.runtime()
        let app = Application(router: SwitchboardServer.makeRouter(runtime: runtime))
        let body = Self.event("call_started")
        let now = RetellFixtures.vectorTime
        var missing = HTTPFields()
        missing[.contentType] = "application/json"
        var malformed = missing
        malformed[.init("X-Retell-Signature")!] = "v=\(now),d=xyz"
        let cases: [(String, HTTPFields, String)] = [
            ("tampered", RetellFixtures.signed(Self.event("call_started", call: "call_other")), "does not match"),
            ("old", RetellFixtures.signed(body, timestamp: now - 300_001), "old"),
            ("future", RetellFixtures.signed(body, timestamp: now + 300_001), "future"),
            ("wrong key", RetellFixtures.signed(body, key: "key_of_someone_else"), "does not match"),
            ("malformed", malformed, "malformed"),
            ("missing", missing, "missing"),
        ]
        try await app.test(.router) { client in
            for (label, headers, reason) in cases {
                let response = try await post(client, body, headers: headers)
                #expect(response.status == .unauthorized, "\(label)")
                let error = try JSONValue(parsing: String(buffer: response.body))["error"]?.stringValue ?? ""
                #expect(error.contains(reason), "\(label): \(error)")
                #expect(!error.contains(Self.key))
            }
            // Exactly five minutes old is still accepted.
            let status = try await post(client, body, headers: RetellFixtures.signed(body, timestamp: now - 300_000)).status
            #expect(status == .noContent)
        }
        #expect(try await RetellFixtures.count(runtime, "webhook_events") == 1)
        await runtime.shutdown()
    }

    @Test("without retell.api_key every signed request is refused with a clear message; verify_signatures: false accepts unsigned")
    func keyMissingAndVerificationOff() async throws {
        let noKey = try await RetellFixtures.runtime(apiKey: nil)
        try await Application(router: SwitchboardServer.makeRouter(runtime: noKey)).test(.router) { client in
            let response = try await post(client, Self.event("call_started"))
            #expect(response.status == .unauthorized)
            #expect(String(buffer: response.body).contains("retell.api_key is not set"))
        }
        #expect(try await RetellFixtures.count(noKey, "webhook_events") == 0)
        await noKey.shutdown()

        let open = try await RetellFixtures.runtime(verify: false, apiKey: nil)
        try await Application(router: SwitchboardServer.makeRouter(runtime: open)).test(.router) { client in
            let status = try await post(client, Self.event("call_started"), headers: [.contentType: "application/json"]).status
            #expect(status == .noContent)
        }
        #expect(try await RetellFixtures.count(open, "webhook_events") == 1)
        await open.shutdown()
    }

    @Test("a redelivered event is stored once; a late call_started never reopens an ended call", arguments: try TestFixtures.databases())
    func duplicatesAndOutOfOrder(database: String?) async throws {
        let runtime = try await RetellFixtures.runtime(database: database)
        let ended = Self.event("call_ended", #","call_status":"ended","start_timestamp":1754399910000,"end_timestamp":1754399990000,"duration_ms":80000,"disconnection_reason":"agent_hangup","transcript":"Agent: Hi\nUser: Table for two\n","call_cost":{"combined_cost":12.5}"#)
        let started = Self.event("call_started", #","call_status":"ongoing","start_timestamp":1754399910000"#)
        let analyzed = Self.event("call_analyzed", #","call_status":"ended","call_analysis":{"call_summary":"Booked a table.","user_sentiment":"Positive","call_successful":true,"custom_analysis_data":{"party":2}}"#)
        try await Application(router: SwitchboardServer.makeRouter(runtime: runtime)).test(.router) { client in
            for body in [ended, ended, started, analyzed, started, analyzed] {
                let status = try await post(client, body, path: "/webhooks/retell/call-ended").status
                #expect(status == .noContent)
            }
        }
        #expect(try await RetellFixtures.count(runtime, "webhook_events") == 3)
        let call = try #require(try await CallStore(storage: runtime.database, clock: .system).call("call_8c1e2f"))
        #expect(call["status"] == "analyzed")
        #expect(call["started_at"] == .int(1_754_399_910_000))
        #expect(call["ended_at"] == .int(1_754_399_990_000))
        #expect(call["duration_ms"] == .int(80_000))
        #expect(call["disconnection_reason"] == "agent_hangup")
        #expect(call["cost"] == .double(12.5))
        #expect(call["summary"] == "Booked a table.")
        #expect(call["sentiment"] == "Positive")
        #expect(call["successful"] == true)
        #expect(call["analysis"]?["custom_analysis_data"] == ["party": 2])
        #expect(call["transcript"]?["text"] == "Agent: Hi\nUser: Table for two\n")
        #expect(call["transcript"]?["source"] == "webhook")
        // Hooks ran once per stored event; the analyzed hook's failure did not fail the webhook.
        #expect(try await RetellFixtures.count(runtime, "desk_hooks", where: "hook", is: "ended") == 1)
        #expect(try await RetellFixtures.count(runtime, "desk_hooks", where: "hook", is: "analyzed") == 1)
        await runtime.shutdown()
    }

    @Test("ten concurrent deliveries of one event: all acknowledged, stored once", arguments: try TestFixtures.databases())
    func concurrentRedeliveries(database: String?) async throws {
        let runtime = try await RetellFixtures.runtime(database: database)
        let body = Self.event("call_ended", #","call_status":"ended","disconnection_reason":"user_hangup""#)
        try await Application(router: SwitchboardServer.makeRouter(runtime: runtime)).test(.router) { client in
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<10 { group.addTask { try await post(client, body).status } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses == Array(repeating: .noContent, count: 10))
        }
        #expect(try await RetellFixtures.count(runtime, "webhook_events") == 1)
        #expect(try await RetellFixtures.count(runtime, "desk_hooks", where: "hook", is: "ended") == 1)
        await runtime.shutdown()
    }

    @Test("the deprecated data envelope, repeatable and unknown events are stored and acknowledged")
    func otherEvents() async throws {
        let runtime = try await RetellFixtures.runtime()
        try await Application(router: SwitchboardServer.makeRouter(runtime: runtime)).test(.router) { client in
            let legacy = #"{"event":"call_started","data":{"call_id":"call_legacy","agent_id":"agent_4b7d","call_status":"ongoing"}}"#
            let first = Self.event("transcript_updated", #","call_status":"ongoing","transcript":"Agent: Hi\n""#)
            let second = Self.event("transcript_updated", #","call_status":"ongoing","transcript":"Agent: Hi\nUser: Hello\n""#)
            let unknown = #"{"event":"agent_mood_changed","call":{"call_id":"call_8c1e2f"},"mood":"cheerful"}"#
            let chat = #"{"event":"chat_ended","chat":{"chat_id":"chat_1","chat_status":"ended"}}"#
            for (body, path) in [(legacy, "/api/retell/webhook"), (first, "/retell/webhook"), (second, "/retell/webhook"),
                                 (first, "/retell/webhook"), (unknown, "/retell/webhook"), (unknown, "/retell/webhook"), (chat, "/retell/webhook")] {
                let status = try await post(client, body, path: path).status
                #expect(status == .noContent, "\(body)")
            }
        }
        let calls = CallStore(storage: runtime.database, clock: .system)
        #expect(try await calls.call("call_legacy")?["status"] == "ongoing")
        #expect(try await calls.call("call_8c1e2f")?["transcript"]?["text"] == "Agent: Hi\nUser: Hello\n")
        #expect(try await RetellFixtures.count(runtime, "webhook_events", where: "event", is: "transcript_updated") == 2)
        #expect(try await RetellFixtures.count(runtime, "webhook_events", where: "event", is: "agent_mood_changed") == 1)
        #expect(try await RetellFixtures.count(runtime, "webhook_events", where: "event", is: "chat_ended") == 1)
        await runtime.shutdown()
    }

    @Test("call_inbound picks the agent by number and hands over the caller's name from the skill")
    func inboundRouting() async throws {
        let runtime = try await RetellFixtures.runtime()
        try await Application(router: SwitchboardServer.makeRouter(runtime: runtime)).test(.router) { client in
            let known = #"{"event":"call_inbound","call_inbound":{"from_number":"+14155550142","to_number":"+16505550199"}}"#
            let response = try await post(client, known)
            #expect(response.status == .ok)
            #expect(try JSONValue(parsing: String(buffer: response.body)) == [
                "call_inbound": [
                    "override_agent_id": "agent_4b7d",
                    "dynamic_variables": ["caller_number": "+14155550142", "called_number": "+16505550199", "caller_name": "Priya"],
                ],
            ])
            // An unknown number falls back to server.default_agent; an unknown caller has no name.
            let other = #"{"event":"call_inbound","call_inbound":{"from_number":"+12125550100","to_number":"+18005550000"}}"#
            let fallback = try JSONValue(parsing: String(buffer: try await post(client, other).body))
            #expect(fallback["call_inbound"]?["override_agent_id"] == "agent_4b7d")
            #expect(fallback["call_inbound"]?["dynamic_variables"] == ["caller_number": "+12125550100", "called_number": "+18005550000"])
            // An agent without retell_agent_id: the voice agent `switchboard retell apply` recorded.
            try await runtime.database.sql.insert(into: "retell_agents")
                .columns("agent_id", "role", "retell_id", "version", "config_hash", "updated_at")
                .values(SQLBind("annex"), SQLBind("voice"), SQLBind("agent_applied_9f"), SQLBind(1), SQLBind("h"), SQLBind(0)).run()
            let annex = #"{"event":"call_inbound","call_inbound":{"from_number":"+14155550142","to_number":"+16505550100"}}"#
            let applied = try JSONValue(parsing: String(buffer: try await post(client, annex).body))
            #expect(applied["call_inbound"]?["override_agent_id"] == "agent_applied_9f")
            #expect(applied["call_inbound"]?["dynamic_variables"]?["caller_name"] == "Priya")
        }
        #expect(try await RetellFixtures.count(runtime, "webhook_events", where: "event", is: "call_inbound") == 3)
        await runtime.shutdown()
    }

    @Test("bad bodies answer 400 JSON, a 20 MiB body 413, and the server keeps serving")
    func badBodies() async throws {
        let runtime = try await RetellFixtures.runtime()
        try await Application(router: SwitchboardServer.makeRouter(runtime: runtime)).test(.router) { client in
            let invalidUTF8: [UInt8] = Array(#"{"event":"call_started","call":{"call_id":"x"#.utf8) + [0xC3, 0x28, 0xFF] + Array(#""}}"#.utf8)
            let response = try await client.execute(
                uri: "/retell/webhook", method: .post, headers: RetellFixtures.signed(invalidUTF8), body: ByteBuffer(bytes: invalidUTF8))
            #expect(response.status == .badRequest)
            #expect(String(buffer: response.body).contains("UTF-8"))
            for body in [#"{"event":"call_started","#, "[1,2,3]", #"{"call":{}}"#, ""] {
                let answer = try await post(client, body)
                #expect(answer.status == .badRequest, "\(body)")
                #expect((try? JSONValue(parsing: String(buffer: answer.body)))?["error"] != nil)
            }
            let huge = [UInt8](repeating: UInt8(ascii: "a"), count: 20 * 1024 * 1024)
            let tooLarge = try await client.execute(
                uri: "/retell/webhook", method: .post, headers: RetellFixtures.signed(huge), body: ByteBuffer(bytes: huge))
            #expect(tooLarge.status == .contentTooLarge)
            #expect(String(buffer: tooLarge.body).contains("16 MiB"))
            let status = try await post(client, Self.event("call_started")).status
            #expect(status == .noContent)
        }
        #expect(try await RetellFixtures.count(runtime, "webhook_events") == 1)
        await runtime.shutdown()
    }

    @Test("a 12 MiB signed call_analyzed is stored with its transcript", arguments: try TestFixtures.databases())
    func largeEvent(database: String?) async throws {
        let runtime = try await RetellFixtures.runtime(database: database)
        let line = "User: Could I move my booking to Friday at nine, please? ¿Mañana? \n"
        let transcript = String(repeating: line, count: 12 * 1024 * 1024 / line.utf8.count + 1)
        let body = JSONValue.object([
            "event": "call_analyzed",
            "call": ["call_id": "call_long", "agent_id": "agent_4b7d", "call_status": "ended", "transcript": .string(transcript),
                     "call_analysis": ["call_summary": "A long call."]],
        ]).canonicalJSON
        #expect(body.utf8.count > 12 * 1024 * 1024 && body.utf8.count < 16 * 1024 * 1024)
        try await Application(router: SwitchboardServer.makeRouter(runtime: runtime)).test(.router) { client in
            let status = try await post(client, body).status
            #expect(status == .noContent)
        }
        let call = try #require(try await CallStore(storage: runtime.database, clock: .system).call("call_long"))
        #expect(call["summary"] == "A long call.")
        #expect(call["transcript"]?["text"]?.stringValue?.utf8.count == transcript.utf8.count)
        let stored = try #require(try await runtime.database.sql.select().column("body").from("webhook_events").first())
        #expect(try stored.decode(column: "body", as: String.self).utf8.count == body.utf8.count)
        await runtime.shutdown()
    }
}
