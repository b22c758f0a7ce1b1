import NIOCore

/// One request in flight on a ``PlainHTTPClient``: its result, and the way to stop it from any thread.
/// Its state lives on its event loop.
final class PlainHTTPExchange: Sendable {
    private enum State {
        /// Waiting for a connection; `restarted` once a reused connection failed before a response.
        case waiting(restarted: Bool)
        case running(PlainHTTPConnectionHandler, restarted: Bool)
        case finished
    }

    let eventLoop: any EventLoop
    let request: PlainHTTPRequest
    let consumer: any PlainHTTPResponseConsumer
    /// Succeeds when the response has ended and the consumer accepted it.
    var futureResult: EventLoopFuture<Void> { promise.futureResult }
    private let promise: EventLoopPromise<Void>
    private let state: NIOLoopBoundBox<State>
    /// Starts the exchange again on a fresh connection (a reused one had been closed by the server).
    private let restart: @Sendable (PlainHTTPExchange) -> Void

    init(
        eventLoop: any EventLoop, request: PlainHTTPRequest, consumer: any PlainHTTPResponseConsumer,
        restart: @escaping @Sendable (PlainHTTPExchange) -> Void
    ) {
        self.eventLoop = eventLoop
        self.request = request
        self.consumer = consumer
        self.restart = restart
        promise = eventLoop.makePromise()
        state = .makeBoxSendingValue(.waiting(restarted: false), eventLoop: eventLoop)
    }

    /// Stops the request: its connection is closed (the server sees the cancel) and the result fails.
    func cancel() {
        fail(reason: CancellationError())
    }

    /// Stops the request with `error`, closing its connection.
    func fail(reason error: any Error) {
        onLoop {
            switch self.state.value {
            case .waiting:
                self.finish(.failure(error))
            case .running(let handler, _):
                self.finish(.failure(error))
                handler.abort()
            case .finished:
                break
            }
        }
    }

    // MARK: Called by the client and the connection, on the event loop

    /// Whether the exchange still wants a connection.
    var isWaiting: Bool {
        if case .waiting = state.value { return true }
        return false
    }

    func attach(_ handler: PlainHTTPConnectionHandler) {
        guard case .waiting(let restarted) = state.value else { return }
        state.value = .running(handler, restarted: restarted)
    }

    /// The connection carrying the exchange failed. A reused connection that the server had closed before
    /// any of the response came is replaced once by a fresh one.
    func connectionFailed(_ error: any Error, reused: Bool, responseStarted: Bool) {
        guard case .running(_, let restarted) = state.value else { return }
        if reused, !responseStarted, !restarted {
            state.value = .waiting(restarted: true)
            restart(self)
        } else {
            finish(.failure(error))
        }
    }

    func finish(_ result: Result<Void, any Error>) {
        if case .finished = state.value { return }
        state.value = .finished
        promise.completeWith(result)
    }

    private func onLoop(_ body: @escaping @Sendable () -> Void) {
        if eventLoop.inEventLoop { body() } else { eventLoop.execute(body) }
    }
}
