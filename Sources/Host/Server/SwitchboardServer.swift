import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import PluginAPI
import ServiceLifecycle

/// The HTTP server: Hummingbird routes over a ``SwitchboardRuntime``, run with the job worker in one
/// service group that shuts down gracefully on SIGINT/SIGTERM.
public enum SwitchboardServer {
    /// Every route of the server.
    public static func makeRouter(runtime: SwitchboardRuntime) -> Router<BasicRequestContext> {
        let router = Router()
        router.middlewares.add(RequestLoggerMiddleware(logger: runtime.logger))
        HealthRoutes.register(on: router, runtime: runtime)
        WebhookRoutes.register(on: router, runtime: runtime)
        FunctionRoutes.register(on: router, runtime: runtime)
        ReadAPIRoutes.register(on: router, runtime: runtime)
        return router
    }

    /// The WebSocket routes (the custom-LLM socket), served by a router of their own.
    public static func makeWebSocketRouter(runtime: SwitchboardRuntime) -> Router<SocketRequestContext> {
        let router = Router(context: SocketRequestContext.self)
        LLMSocketRoutes.register(on: router, runtime: runtime)
        return router
    }

    /// The application (not yet running) listening on `host:port`, with the job worker as a service.
    public static func makeApplication(
        runtime: SwitchboardRuntime, host: String, port: Int,
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: makeRouter(runtime: runtime),
            server: .http1WebSocketUpgrade(
                webSocketRouter: makeWebSocketRouter(runtime: runtime),
                configuration: .init(ws: .init(maxFrameSize: LLMSocketRoutes.maxMessageSize, autoPing: .disabled))),
            // Calls can arrive by the hundred at once (an outbound campaign): room in the accept queue for them
            // (the kernel caps it at net.core.somaxconn).
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "switchboard", backlog: 4096),
            services: [runtime.makeJobWorker(), RetellDirectoryRefresher(runtime: runtime)],
            onServerRunning: onServerRunning,
            logger: runtime.logger)
    }
}

/// Logs each request's method, path, status and duration at debug level (info for server errors).
struct RequestLoggerMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            let level: Logger.Level = response.status.code >= 500 ? .info : .debug
            logger.log(level: level, "\(request.method) \(request.uri.path) \(response.status.code)", metadata: [
                "ms": "\((ContinuousClock.now - started).milliseconds)",
            ])
            return response
        } catch {
            logger.info("\(request.method) \(request.uri.path) failed", metadata: ["error": "\(error)"])
            throw error
        }
    }
}
