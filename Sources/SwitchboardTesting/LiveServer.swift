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
        let group = ServiceGroup(configuration: .init(services: [app], logger: runtime.logger))
        return try await withThrowingTaskGroup(of: T?.self) { tasks in
            tasks.addTask {
                try await group.run()
                return nil
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw CancellationError() }
            do {
                let result = try await body(port)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return result
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }
}
