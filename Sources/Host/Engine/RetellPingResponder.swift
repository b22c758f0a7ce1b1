import NIOCore
import NIOWebSocket

/// Answers Retell's `ping_pong` frames on the connection's event loop, before they reach the call's read
/// loop: a ping never waits for a task to be scheduled, nor behind a frame the read loop is still handling.
///
/// Sits right after the WebSocket frame decoder (and the ``WebSocketUnmasker``). Only whole, uncompressed
/// text frames small enough to be a ping are looked at; everything else passes through untouched (the read loop still answers a ping that
/// arrives before this handler is in place).
final class RetellPingResponder: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias InboundOut = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    /// Longest frame taken for a ping: `{"interaction_type":"ping_pong","timestamp":1754400012345}` is 59 bytes.
    static let largestPing = 160

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        guard frame.fin, frame.opcode == .text, !frame.rsv1, frame.length <= Self.largestPing,
            let timestamp = Self.pingTimestamp(frame.unmaskedData)
        else {
            context.fireChannelRead(data)
            return
        }
        let pong = context.channel.allocator.buffer(string: RetellOutbound.pingPong(timestamp: timestamp))
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .text, data: pong)), promise: nil)
    }

    /// The timestamp of a `ping_pong` frame, or nil for any other frame (including malformed ones, which the
    /// read loop reports).
    static func pingTimestamp(_ payload: ByteBuffer) -> Int64? {
        payload.withUnsafeReadableBytes { bytes in
            var memo = TranscriptMemo()
            guard case .pingPong(let timestamp)? = try? RetellInbound.decode(bytes, memo: &memo) else { return nil }
            return timestamp
        }
    }
}
