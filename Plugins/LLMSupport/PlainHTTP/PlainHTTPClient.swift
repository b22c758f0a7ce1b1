import NIOCore
import NIOHTTP1
import NIOPosix

/// An HTTP/1.1 client for plain `http://` LLM endpoints (a model server beside Switchboard: vLLM, Ollama,
/// llama.cpp, a LiteLLM proxy) whose connections are pooled per event loop: a request made on an event
/// loop thread (a call's turn runs on its socket's loop) is written, and its response read and decoded, on
/// that same thread, and the events it yields go to the call's socket without a thread hop.
///
/// Why not AsyncHTTPClient here (it still serves `https://`, where it negotiates HTTP/2): on engine-bench's
/// plain-HTTP fake, AsyncHTTPClient's per-request machinery (request bag, pool state machine, generic
/// delegate dispatch) was ~30 % of the server's CPU per turn, and asking it for the caller's event loop
/// made a turn cost more, not less (0.73–0.85 ms instead of 0.47–0.51 ms). Figures in the README.
final class PlainHTTPClient: Sendable {
    /// The client the LLM plugins share, on the event loops the server runs on.
    static let shared = PlainHTTPClient(group: MultiThreadedEventLoopGroup.singleton)

    /// Idle connections kept per event loop and server.
    static let maxIdlePerTarget = 1024

    private let group: MultiThreadedEventLoopGroup
    private let connectTimeout: TimeAmount
    private let pools: [ObjectIdentifier: IdleConnections]

    init(group: MultiThreadedEventLoopGroup, connectTimeout: TimeAmount = .seconds(5), idleTimeout: TimeAmount = .seconds(60)) {
        self.group = group
        self.connectTimeout = connectTimeout
        var pools: [ObjectIdentifier: IdleConnections] = [:]
        for loop in group.makeIterator() { pools[ObjectIdentifier(loop)] = IdleConnections(eventLoop: loop, idleTimeout: idleTimeout) }
        self.pools = pools
    }

    /// Sends `request`, handing the response to `consumer` on the connection's event loop: the calling
    /// thread's loop when it is one of the group's, otherwise the next one.
    func execute(_ request: PlainHTTPRequest, consumer: any PlainHTTPResponseConsumer) -> PlainHTTPExchange {
        let current = MultiThreadedEventLoopGroup.currentEventLoop
        let loop = current.flatMap { pools[ObjectIdentifier($0)] != nil ? $0 : nil } ?? group.next()
        let exchange = PlainHTTPExchange(eventLoop: loop, request: request, consumer: consumer) { [self] in start($0) }
        if loop.inEventLoop {
            start(exchange)
        } else {
            loop.execute { self.start(exchange) }
        }
        return exchange
    }

    /// On the exchange's loop: an idle connection to its server, or a new one.
    private func start(_ exchange: PlainHTTPExchange) {
        guard exchange.isWaiting, let pool = pools[ObjectIdentifier(exchange.eventLoop)] else { return }
        if let connection = pool.take(exchange.request.target) {
            connection.start(exchange, reused: true)
            return
        }
        connect(to: exchange.request.target, on: exchange.eventLoop, pool: pool).assumeIsolated().whenComplete { result in
            do {
                let channel = try result.get()
                let connection = try channel.pipeline.syncOperations.handler(type: PlainHTTPConnectionHandler.self)
                channel.closeFuture.assumeIsolated().whenComplete { _ in pool.remove(connection) }
                if exchange.isWaiting { connection.start(exchange, reused: false) } else { pool.put(connection) }
            } catch {
                exchange.finish(.failure(error))
            }
        }
    }

    private func connect(to target: PlainHTTPRequest.Target, on loop: any EventLoop, pool: IdleConnections) -> EventLoopFuture<any Channel> {
        let bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(connectTimeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let operations = channel.pipeline.syncOperations
                    try operations.addHTTPClientHandlers()
                    try operations.addHandler(PlainHTTPConnectionHandler(target: target) { pool.put($0) })
                }
            }
        // An address needs no resolver (NIO's runs `getaddrinfo` on a Dispatch thread per connection and hops
        // back; the first burst round of engine-bench did not measurably change without it, 5 runs each).
        if let address = try? SocketAddress(ipAddress: target.host, port: target.port) {
            return bootstrap.connect(to: address)
        }
        return bootstrap.connect(host: target.host, port: target.port)
    }
}

/// The idle connections of one event loop, by server; used on that loop only. A connection idle for longer
/// than the timeout is closed when the pool next takes or returns a connection to its server (a timer per
/// connection, NIO's `IdleStateHandler`, cost 1.5 % of a turn's CPU on its per-read bookkeeping).
private final class IdleConnections: Sendable {
    private struct Idle {
        var connection: PlainHTTPConnectionHandler
        var since: NIODeadline
    }

    /// Per server, oldest first.
    private let idle: NIOLoopBoundBox<[PlainHTTPRequest.Target: [Idle]]>
    private let idleTimeout: TimeAmount

    init(eventLoop: any EventLoop, idleTimeout: TimeAmount) {
        idle = .makeBoxSendingValue([:], eventLoop: eventLoop)
        self.idleTimeout = idleTimeout
    }

    /// The most recently used open connection to `target`, if any.
    func take(_ target: PlainHTTPRequest.Target) -> PlainHTTPConnectionHandler? {
        closeStale(target, now: .now())
        while let entry = idle.value[target]?.popLast() {
            if entry.connection.isIdleAndOpen { return entry.connection }
        }
        return nil
    }

    func put(_ connection: PlainHTTPConnectionHandler) {
        let now = NIODeadline.now()
        closeStale(connection.target, now: now)
        guard (idle.value[connection.target]?.count ?? 0) < PlainHTTPClient.maxIdlePerTarget else {
            connection.abort()
            return
        }
        idle.value[connection.target, default: []].append(Idle(connection: connection, since: now))
    }

    /// Forgets a connection that closed.
    func remove(_ connection: PlainHTTPConnectionHandler) {
        idle.value[connection.target]?.removeAll { $0.connection === connection }
    }

    /// Closes the connections to `target` idle for longer than the timeout (they are at the front).
    private func closeStale(_ target: PlainHTTPRequest.Target, now: NIODeadline) {
        guard let first = idle.value[target]?.first, now - first.since > idleTimeout else { return }
        let stale = idle.value[target]?.prefix { now - $0.since > idleTimeout } ?? []
        idle.value[target]?.removeFirst(stale.count)
        for entry in stale { entry.connection.abort() }
    }
}
