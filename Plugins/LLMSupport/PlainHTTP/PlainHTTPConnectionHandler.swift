import NIOCore
import NIOHTTP1

/// The last handler of a ``PlainHTTPClient`` connection: writes one exchange's request at a time, hands
/// the response parts to the exchange's consumer and gives the connection back to its pool when the
/// response ended with keep-alive.
final class PlainHTTPConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    let target: PlainHTTPRequest.Target
    private let release: (PlainHTTPConnectionHandler) -> Void
    private var context: ChannelHandlerContext?
    private var exchange: PlainHTTPExchange?
    private var reused = false
    private var responseStarted = false
    private var keepAlive = true

    /// A handler for a connection to `target`; `release` takes it back when an exchange ended cleanly.
    init(target: PlainHTTPRequest.Target, release: @escaping (PlainHTTPConnectionHandler) -> Void) {
        self.target = target
        self.release = release
    }

    /// Whether the connection can carry a request now.
    var isIdleAndOpen: Bool { exchange == nil && context?.channel.isActive == true }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    /// Sends `exchange`'s request on this connection (`reused`: it carried an earlier one).
    func start(_ exchange: PlainHTTPExchange, reused: Bool) {
        exchange.attach(self)
        self.exchange = exchange
        self.reused = reused
        responseStarted = false
        keepAlive = true
        guard let context, context.channel.isActive else {
            connectionEnded(PlainHTTPConnectionLost(afterResponseStarted: false))
            return
        }
        context.write(wrapOutboundOut(.head(exchange.request.head)), promise: nil)
        if exchange.request.body.readableBytes > 0 {
            context.write(wrapOutboundOut(.body(.byteBuffer(exchange.request.body))), promise: nil)
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    /// Closes the connection under the exchange (it was cancelled or timed out).
    func abort() {
        exchange = nil
        context?.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let exchange else { return }  // bytes after an aborted exchange: the connection is closing
        do {
            switch unwrapInboundIn(data) {
            case .head(let head):
                responseStarted = true
                keepAlive = head.isKeepAlive
                exchange.consumer.receiveHead(head)
            case .body(let buffer):
                try exchange.consumer.receiveBody(buffer)
            case .end:
                self.exchange = nil
                let result = Result { try exchange.consumer.receiveEnd() }
                if keepAlive, context.channel.isActive { release(self) } else { context.close(promise: nil) }
                exchange.finish(result)
            }
        } catch {
            self.exchange = nil
            exchange.finish(.failure(error))
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        connectionEnded(PlainHTTPConnectionLost(afterResponseStarted: responseStarted))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        connectionEnded(error)
        context.close(promise: nil)
    }

    private func connectionEnded(_ error: any Error) {
        guard let exchange else { return }
        self.exchange = nil
        exchange.connectionFailed(error, reused: reused, responseStarted: responseStarted)
    }
}
