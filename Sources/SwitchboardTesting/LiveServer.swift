import Host
import Hummingbird
import Logging
import ServiceLifecycle

/// Runs the real Switchboard server (HTTP and WebSocket) on a free loopback port for the duration of `body`.
public enum LiveServer {
    public static func run<T: Sendable>(
        _ runtime: SwitchboardRuntime, _ body: @escaping @Sendable (_ port: Int) async throws -> T
    ) async throws -> T {
        let (ports, portSignal) = AsyncStream.makeStream(of: Int.self)
        let app = SwitchboardServer.makeApplication(runtime: runtime, host: "127.0.0.1", port: 0) { channel in
            portSignal.yield(channel.localAddress?.port ?? 0)
        }
        return try await ServiceGroup(configuration: .init(services: [app], logger: runtime.logger)).serving(port: ports, body)
    }
}
