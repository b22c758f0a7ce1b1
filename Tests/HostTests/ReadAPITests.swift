import Foundation
import Host
import Hummingbird
import HummingbirdTesting
import NIOCore
import PluginAPI
import SwitchboardTesting
import Testing

/// The read API behind the admin token: calls, one call with transcript and tools, plugin listings.
@Suite("Read API")
struct ReadAPITests {
    static let bearer: HTTPFields = [.authorization: "Bearer s3cret-admin"]

    @Test("lists calls and shows one with its transcript and tool invocations; plugin listings are mounted")
    func readsCalls() async throws {
        let runtime = try await RetellFixtures.runtime()
        let calls = CallStore(storage: runtime.database, clock: .system)
        try await calls.upsert(CallRecordUpdate(callID: "call_a", agentID: "desk", status: "ended", fromNumber: "+14155550142", startedAt: 1_000))
        try await calls.upsert(CallRecordUpdate(callID: "call_b", agentID: "desk", status: "ongoing", startedAt: 2_000))
        try await calls.upsert(CallRecordUpdate(callID: "call_c", agentID: "elsewhere", status: "ongoing", startedAt: 3_000))
        try await calls.saveTranscript(callID: "call_a", text: "Agent: Hi\n", transcriptObject: [["role": "agent", "content": "Hi"]], source: "webhook")
        let agent = try #require(runtime.catalog.agent("desk"))
        _ = try await runtime.tools.run(.init(
            agent: agent, call: CallInfo(callID: "call_a", agentID: "desk"),
            toolCall: ToolCall(id: "t1", name: "book_table", arguments: ["name": "Ada", "party_size": 3]), turnIndex: 1, source: "test", clock: .system))
        try await Application(router: SwitchboardServer.makeRouter(runtime: runtime)).test(.router) { client in
            let list = try await client.execute(uri: "/api/calls?agent=desk&since=1500&limit=10", method: .get, headers: Self.bearer)
            #expect(list.status == .ok)
            let listed = try JSONValue(parsing: String(buffer: list.body))["calls"]?.arrayValue ?? []
            #expect(listed.map { $0["call_id"] } == ["call_b"])
            let all = try JSONValue(parsing: String(buffer: try await client.execute(uri: "/api/calls?limit=2", method: .get, headers: Self.bearer).body))
            #expect(all["calls"]?.arrayValue?.map { $0["call_id"] } == ["call_c", "call_b"])

            let one = try await client.execute(uri: "/api/calls/call_a", method: .get, headers: Self.bearer)
            let call = try JSONValue(parsing: String(buffer: one.body))
            #expect(call["status"] == "ended")
            #expect(call["transcript"]?["text"] == "Agent: Hi\n")
            #expect(call["tool_invocations"]?[0]?["tool"] == "book_table")
            #expect(call["tool_invocations"]?[0]?["result"]?["value"]?["name"] == "Ada")

            #expect(try await client.execute(uri: "/api/calls/nope", method: .get, headers: Self.bearer).status == .notFound)
            #expect(try await client.execute(uri: "/api/calls?limit=zero", method: .get, headers: Self.bearer).status == .badRequest)

            let bookings = try await client.execute(uri: "/api/bookings?agent=desk", method: .get, headers: Self.bearer)
            let listing = try JSONValue(parsing: String(buffer: bookings.body))
            #expect(listing["bookings"] == [["call_id": "call_a", "name": "Ada"]])
            #expect(listing["query"] == ["agent": "desk"])
        }
        await runtime.shutdown()
    }

    @Test("a wrong or missing token is refused; without admin_token the API is off")
    func requiresTheToken() async throws {
        let runtime = try await RetellFixtures.runtime()
        try await Application(router: SwitchboardServer.makeRouter(runtime: runtime)).test(.router) { client in
            for headers: HTTPFields in [[:], [.authorization: "Bearer wrong"], [.authorization: "s3cret-admin"]] {
                let calls = try await client.execute(uri: "/api/calls", method: .get, headers: headers)
                #expect(calls.status == .unauthorized)
                let bookings = try await client.execute(uri: "/api/bookings", method: .get, headers: headers)
                #expect(bookings.status == .unauthorized)
            }
        }
        await runtime.shutdown()

        let off = try await RetellFixtures.runtime(adminToken: nil)
        try await Application(router: SwitchboardServer.makeRouter(runtime: off)).test(.router) { client in
            let response = try await client.execute(uri: "/api/calls", method: .get, headers: Self.bearer)
            #expect(response.status == .notFound)
            #expect(String(buffer: response.body).contains("read API is off"))
        }
        await off.shutdown()
    }
}
