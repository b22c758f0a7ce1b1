import Foundation
import Host
import PluginAPI
import SwitchboardTesting
import Testing

@Suite("CallStore: monotonic call records and transcripts")
struct CallStoreTests {
    static let noAgents = """
        server: { database: unused.sqlite }
        agents: {}
        """

    @Test("a late call_started never moves an ended call back, and never blanks fields", arguments: try TestFixtures.databases())
    func statusOnlyMovesForward(database: String?) async throws {
        let runtime = try await TestFixtures.runtime(yaml: Self.noAgents, plugins: [], database: database)
        defer { Task { await runtime.shutdown() } }
        let store = CallStore(storage: runtime.database, clock: .fixed(Date(timeIntervalSince1970: 1_754_400_100)))
        let id = "call_store_\(UUID().uuidString)"
        try await store.upsert(CallRecordUpdate(
            callID: id, status: "ended", fromNumber: "+14155550142", endedAt: 1_754_400_095_500,
            disconnectionReason: "user_hangup"))
        try await store.upsert(CallRecordUpdate(
            callID: id, status: "ongoing", direction: "inbound", fromNumber: "+19999999999", startedAt: 1_754_400_010_000,
            disconnectionReason: "should not win"))
        let call = try #require(try await store.call(id))
        #expect(call["status"] == "ended")
        #expect(call["from_number"] == "+14155550142")
        #expect(call["disconnection_reason"] == "user_hangup")
        #expect(call["direction"] == "inbound")  // filled by the late event
        #expect(call["started_at"] == .int(1_754_400_010_000))

        try await store.upsert(CallRecordUpdate(callID: id, status: "analyzed", summary: "moved to Friday", successful: true))
        let analyzed = try #require(try await store.call(id))
        #expect(analyzed["status"] == "analyzed")
        #expect(analyzed["successful"] == true)
        #expect(analyzed["ended_at"] == .int(1_754_400_095_500))
    }

    @Test("a WebSocket transcript never replaces Retell's webhook transcript", arguments: try TestFixtures.databases())
    func webhookTranscriptWins(database: String?) async throws {
        let runtime = try await TestFixtures.runtime(yaml: Self.noAgents, plugins: [], database: database)
        defer { Task { await runtime.shutdown() } }
        let store = CallStore(storage: runtime.database, clock: .system)
        let id = "call_store_\(UUID().uuidString)"
        try await store.upsert(CallRecordUpdate(callID: id, status: "ongoing"))
        try await store.saveTranscript(callID: id, text: "Agent: Hi\n", transcriptObject: [["role": "agent", "content": "Hi"]], source: "websocket")
        try await store.saveTranscript(callID: id, text: "Agent: Hi there\nUser: Hello\n", transcriptObject: nil, source: "webhook")
        try await store.saveTranscript(callID: id, text: "Agent: Hi (socket)\n", transcriptObject: nil, source: "websocket")
        let transcript = try #require(try await store.call(id)?["transcript"])
        #expect(transcript["source"] == "webhook")
        #expect(transcript["text"] == "Agent: Hi there\nUser: Hello\n")
        #expect(transcript["transcript_object"] == [["role": "agent", "content": "Hi"]])
        let listed = try await store.list(limit: 10)
        #expect(listed.contains { $0["call_id"] == .string(id) })
    }
}
