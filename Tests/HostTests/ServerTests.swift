import AsyncHTTPClient
import Foundation
import Host
import Hummingbird
import HummingbirdTesting
import Logging
import PluginAPI
import ServiceLifecycle
import SwitchboardTesting
import Testing

@Suite struct ServerTests {
    func runtime(_ yaml: String = Fixtures.yaml) async throws -> SwitchboardRuntime {
        try await TestFixtures.runtime(yaml: yaml, files: Fixtures.files, plugins: Fixtures.plugins())
    }

    @Test func healthAndReadiness() async throws {
        let runtime = try await runtime(Fixtures.yaml.replacingOccurrences(of: "model: script-1", with: "model: ${UNSET_KEY}"))
        let app = Application(router: SwitchboardServer.makeRouter(runtime: runtime))
        try await app.test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"status":"ok"}"#)
            }
            try await client.execute(uri: "/ready", method: .get) { response in
                #expect(response.status == .ok)
                let body = try JSONValue(parsing: String(buffer: response.body))
                #expect(body["status"] == "ready")
                #expect(body["database"] == "sqlite")
                #expect(body["agents"] == [["id": "notes-desk", "status": "degraded", "reasons": ["LLM 'test' needs UNSET_KEY (not set)"]]])
            }
        }
        await runtime.shutdown()
    }

    @Test func readinessFailsWhenTheDatabaseIsGone() async throws {
        let runtime = try await runtime()
        try await runtime.database.shutdown()
        let app = Application(router: SwitchboardServer.makeRouter(runtime: runtime))
        try await app.test(.router) { client in
            try await client.execute(uri: "/ready", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
            }
        }
        try? await runtime.httpClient.shutdown()
    }

    @Test func shutsDownGracefully() async throws {
        let runtime = try await runtime()
        let (ready, readySignal) = AsyncStream.makeStream(of: Int.self)
        let app = SwitchboardServer.makeApplication(runtime: runtime, host: "127.0.0.1", port: 0) { channel in
            readySignal.yield(channel.localAddress?.port ?? 0)
        }
        let group = ServiceGroup(configuration: .init(services: [app], logger: TestFixtures.quietLogger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var ports = ready.makeAsyncIterator()
            let port = try #require(await ports.next())
            let response = try await runtime.httpClient.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/health"), timeout: .seconds(5))
            #expect(response.status == .ok)
            #expect(String(buffer: try await response.body.collect(upTo: 1024)) == #"{"status":"ok"}"#)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()  // run() returned: the server and the job worker stopped
        }
        await runtime.shutdown()
    }
}
