import Foundation
import Host
import Hummingbird
import HummingbirdTesting
import NIOCore
import PluginAPI
import SQLKit
import SwitchboardTesting
import Testing

/// `POST /retell/functions/…` through the real router and the shared tool router.
@Suite("Retell custom functions")
struct CustomFunctionTests {
    static func envelope(_ name: String, args: JSONValue, callerTurns: Int = 1, callID: String = "call_fn_1") -> String {
        var transcript: [JSONValue] = [["role": "agent", "content": "Hello!"]]
        for turn in 0..<callerTurns {
            transcript.append(["role": "user", "content": .string("turn \(turn)")])
            transcript.append(["role": "agent", "content": "Sure."])
        }
        return JSONValue.object([
            "name": .string(name), "args": args,
            "call": ["call_id": .string(callID), "agent_id": "agent_4b7d", "call_status": "ongoing", "direction": "inbound",
                     "from_number": "+14155550142", "to_number": "+16505550199", "transcript_object": .array(transcript)],
        ]).canonicalJSON
    }

    func post(_ client: some TestClientProtocol, _ path: String, _ body: String) async throws -> (status: HTTPResponse.Status, json: JSONValue?) {
        let response = try await client.execute(uri: path, method: .post, headers: RetellFixtures.signed(body), body: ByteBuffer(string: body))
        return (response.status, try? JSONValue(parsing: String(buffer: response.body)))
    }

    @Test("a booking runs through the router once per caller turn and writes its row", arguments: try TestFixtures.databases())
    func bookingThroughTheRouter(database: String?) async throws {
        let runtime = try await RetellFixtures.runtime(database: database)
        let booking = Self.envelope("book_table", args: ["name": "Priya", "party_size": 2])
        try await Application(router: SwitchboardServer.makeRouter(runtime: runtime)).test(.router) { client in
            let first = try await post(client, "/retell/functions/desk/book_table", booking)
            #expect(first.status == .ok)
            #expect(first.json == ["booked": true, "name": "Priya", "party_size": 2, "bookings_so_far": 1, "caller": "+14155550142"])
            // Retell retries the same request (same caller turn): the stored result, no second row.
            let retry = try await post(client, "/retell/functions/desk", booking)
            #expect(retry.status == .ok)
            #expect(retry.json == first.json)
            // The next caller turn books again.
            let later = try await post(client, "/retell/functions/desk/book_table", Self.envelope("book_table", args: ["name": "Priya", "party_size": 2], callerTurns: 2))
            #expect(later.json?["bookings_so_far"] == 2)
        }
        #expect(try await RetellFixtures.count(runtime, "desk_bookings") == 2)
        let invocations = try await runtime.database.sql.select().columns("source", "turn_index").from("tool_invocations").all()
        #expect(invocations.count == 2)
        #expect(try invocations.allSatisfy { try $0.decode(column: "source", as: String.self) == "function" })
        #expect(try await CallStore(storage: runtime.database, clock: .system).call("call_fn_1")?["agent_id"] == "desk")
        await runtime.shutdown()
    }

    @Test("arguments at the root are accepted only with the tool in the path")
    func argsAtRoot() async throws {
        let runtime = try await RetellFixtures.runtime()
        try await Application(router: SwitchboardServer.makeRouter(runtime: runtime)).test(.router) { client in
            let atRoot = try await post(client, "/retell/functions/desk/book_table", #"{"name":"Sam","party_size":4}"#)
            #expect(atRoot.status == .ok)
            #expect(atRoot.json?["name"] == "Sam")
            #expect(atRoot.json?["caller"] == .null)
            let noTool = try await post(client, "/retell/functions/desk", #"{"name":"Sam","party_size":4}"#)
            #expect(noTool.status == .badRequest)
            // A `name` with `args` but no `call` object is not the envelope: those are the arguments.
            let lookalike = try await post(client, "/retell/functions/desk/book_table", #"{"name":"book_table","args":{"party_size":2}}"#)
            #expect(lookalike.status == .unprocessableContent)
        }
        #expect(try await RetellFixtures.count(runtime, "desk_bookings") == 1)
        await runtime.shutdown()
    }

    @Test("unknown agents and tools answer 404, invalid arguments 422 listing every problem, unsigned 401")
    func errors() async throws {
        let runtime = try await RetellFixtures.runtime()
        try await Application(router: SwitchboardServer.makeRouter(runtime: runtime)).test(.router) { client in
            let noAgent = try await post(client, "/retell/functions/dsek/book_table", Self.envelope("book_table", args: [:]))
            #expect(noAgent.status == .notFound)
            #expect(noAgent.json?["error"]?.stringValue?.contains("desk") == true)  // "did you mean"
            let noTool = try await post(client, "/retell/functions/desk", Self.envelope("book_tabel", args: [:]))
            #expect(noTool.status == .notFound)
            let invalid = try await post(client, "/retell/functions/desk/book_table", Self.envelope("book_table", args: ["party_size": 40, "color": "red"]))
            #expect(invalid.status == .unprocessableContent)
            let paths = invalid.json?["details"]?.arrayValue?.compactMap { $0["path"]?.stringValue } ?? []
            #expect(Set(paths) == ["/name", "/party_size", "/color"])
            let unsigned = try await client.execute(
                uri: "/retell/functions/desk/book_table", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"name":"Sam","party_size":4}"#))
            #expect(unsigned.status == .unauthorized)
        }
        #expect(try await RetellFixtures.count(runtime, "desk_bookings") == 0)
        await runtime.shutdown()
    }

    @Test("a long result is cut to 15,000 characters of valid JSON, with markers")
    func longResult() async throws {
        let runtime = try await RetellFixtures.runtime()
        try await Application(router: SwitchboardServer.makeRouter(runtime: runtime)).test(.router) { client in
            let body = Self.envelope("big_answer", args: [:])
            let response = try await client.execute(
                uri: "/retell/functions/desk/big_answer", method: .post, headers: RetellFixtures.signed(body), body: ByteBuffer(string: body))
            #expect(response.status == .ok)
            let text = String(buffer: response.body)
            #expect(text.count <= 15_000)
            let json = try JSONValue(parsing: text)
            #expect(json["truncated"] == true)
            #expect(json["note"]?.stringValue?.hasSuffix("…[truncated]") == true)
            #expect(json["items"]?.arrayValue?.last?.stringValue?.contains("more items") == true)
            #expect(json["items"]?[0] == "slot number 0 is free")
        }
        await runtime.shutdown()
    }
}
