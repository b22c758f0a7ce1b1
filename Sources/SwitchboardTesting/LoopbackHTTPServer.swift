import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// Runs a fake peer's router on 127.0.0.1 (a free port) for the duration of a test.
enum LoopbackHTTPServer {
    /// Serves `router` while `body` runs, passing it `http://127.0.0.1:<port>`; stops serving when it returns.
    /// `channelHandlers` go into every connection's pipeline when it is set up.
    static func serve<Context: RequestContext, Result: Sendable>(
        name: String, router: Router<Context>, channelHandlers: @escaping @Sendable () -> [any RemovableChannelHandler] = { [] },
        _ body: @Sendable (String) async throws -> Result
    ) async throws -> Result where Context.Source == ApplicationRequestContextSource {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: name)
        logger.logLevel = .critical
        let app = Application(
            router: router, server: .http1(configuration: .init(additionalChannelHandlers: channelHandlers())),
            // A deep accept queue: the load benchmark opens hundreds of connections at once.
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: name, backlog: 4096),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        // The limit covers a fake that still holds a stalled response when the test ends.
        var configuration = ServiceGroupConfiguration(services: [app], logger: logger)
        configuration.maximumGracefulShutdownDuration = .seconds(5)
        return try await ServiceGroup(configuration: configuration).serving(port: ports) { port in
            try await body("http://127.0.0.1:\(port)")
        }
    }
}
