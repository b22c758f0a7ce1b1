import NIOCore
import NIOHTTP1

/// One request for a ``PlainHTTPClient``: where it goes, its head and its whole body.
struct PlainHTTPRequest: Sendable {
    /// The server, as connected to and as pooled.
    struct Target: Hashable, Sendable {
        var host: String
        var port: Int
    }

    var target: Target
    var head: HTTPRequestHead
    var body: ByteBuffer
}

/// What a ``PlainHTTPClient`` hands a response to: called on the connection's event loop, one method at a
/// time, in order (a head, body parts, then the end). A thrown error fails the request.
protocol PlainHTTPResponseConsumer: AnyObject, Sendable {
    func receiveHead(_ head: HTTPResponseHead)
    func receiveBody(_ buffer: ByteBuffer) throws
    func receiveEnd() throws
}

/// Why a ``PlainHTTPClient`` request failed on its connection.
struct PlainHTTPConnectionLost: Error, CustomStringConvertible {
    /// Whether any of the response had arrived.
    var afterResponseStarted: Bool

    var description: String {
        afterResponseStarted ? "the connection closed before the response ended" : "the connection closed before a response"
    }
}
