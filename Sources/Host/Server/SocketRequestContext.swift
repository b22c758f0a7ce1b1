import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// The request context of the WebSocket router: Hummingbird's basic WebSocket context plus the
/// connection's channel, which the call socket uses to answer pings on the event loop and to write its
/// frames without a writer task.
public struct SocketRequestContext: RequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let webSocket: WebSocketHandlerReference<Self>
    /// The connection; after the upgrade, its pipeline carries WebSocket frames.
    public let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
        channel = source.channel
    }
}
