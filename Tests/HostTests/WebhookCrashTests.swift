import AsyncHTTPClient
import Foundation
import Host
import NIOCore
import PluginAPI
import SQLKit
import SwitchboardTesting
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Durability: a webhook answered 2xx is on disk, even when the server is killed with SIGKILL right after.
///
/// Runs the real `switchboard` binary, which `swift build --build-tests` puts next to the test bundle;
/// the test builds nothing itself and fails with a clear message when the binary is missing.
@Suite("Webhook durability under kill -9", .serialized)
struct WebhookCrashTests {
    static let key = "key_crash_test_7c2d"

    @Test("every event that got a 2xx survives a SIGKILL mid-burst")
    func acknowledgedEventsSurviveSIGKILL() async throws {
        let folder = try TestFixtures.temporaryDirectory()
        let config = folder.appendingPathComponent("agents.yaml")
        try """
            server:
              log_level: info
            retell:
              api_key: \(Self.key)
            agents: {}
            """.write(to: config, atomically: true, encoding: .utf8)
        let database = folder.appendingPathComponent("crash.sqlite").path

        let first = try ServerProcess(config: config.path, database: database, log: folder.appendingPathComponent("first.log"))
        let port = try await first.waitUntilListening()
        let acknowledged = Acknowledged()
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                group.addTask {
                    let callID = "call_kill_\(index)"
                    let body = #"{"event":"call_ended","call":{"call_id":"\#(callID)","call_status":"ended","disconnection_reason":"user_hangup","transcript":"Agent: Goodbye \#(index)\n"}}"#
                    var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/retell/webhook")
                    request.method = .POST
                    request.headers.add(name: "Content-Type", value: "application/json")
                    let now = Int64(Date().timeIntervalSince1970 * 1000)
                    request.headers.add(name: "X-Retell-Signature", value: RetellSignature.sign(body: Array(body.utf8), apiKey: Self.key, timestamp: now))
                    request.body = .bytes(ByteBuffer(string: body))
                    guard let response = try? await client.execute(request, timeout: .seconds(30)),
                        (200..<300).contains(response.status.code)
                    else { return }
                    let count = acknowledged.add(callID)
                    if count == 40 { first.kill() }  // mid-burst: later requests die with the process
                }
            }
        }
        try await client.shutdown()
        first.kill()
        await first.waitUntilExit()
        let acked = acknowledged.ids
        #expect(acked.count >= 40)

        let second = try ServerProcess(config: config.path, database: database, log: folder.appendingPathComponent("second.log"))
        _ = try await second.waitUntilListening()
        let storage = try await SwitchboardDatabase.open(database, logger: TestFixtures.quietLogger)
        let rows = try await storage.sql.select().column("call_id").from("webhook_events").all()
        let stored = Set(try rows.map { try $0.decode(column: "call_id", as: String.self) })
        let calls = try await storage.sql.select().column("call_id").from("calls").all()
        try await storage.shutdown()
        second.terminate()
        await second.waitUntilExit()
        #expect(acked.subtracting(stored).isEmpty, "acknowledged but lost: \(acked.subtracting(stored).sorted())")
        #expect(calls.count == stored.count)  // the call row committed with its event
    }
}

/// The call ids whose webhook was answered 2xx.
private final class Acknowledged: Sendable {
    private let entries = Mutex<Set<String>>([])
    /// Adds `id`; returns how many there are now.
    func add(_ id: String) -> Int { entries.withLock { $0.insert(id); return $0.count } }
    var ids: Set<String> { entries.withLock { $0 } }
}
