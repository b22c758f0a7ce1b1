import NIOCore
import NIOWebSocket

/// Unmasks each inbound frame eight bytes at a time and passes it on without its mask, so that nothing
/// after it unmasks again.
///
/// Purpose-built because NIO unmasks one byte at a time (with a modulo per byte): under engine-bench's long
/// calls, whose request frames carry a transcript of 10–20 KB, that loop was the largest single symbol in
/// the server's profile (3.5 % of its CPU). Frames carrying extension data are passed on untouched.
final class WebSocketUnmasker: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias InboundOut = WebSocketFrame

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var frame = unwrapInboundIn(data)
        guard let key = frame.maskKey, frame.extensionData == nil else {
            context.fireChannelRead(data)
            return
        }
        var payload = frame.data
        Self.unmask(&payload, with: key)
        frame.data = payload
        frame.maskKey = nil
        context.fireChannelRead(wrapInboundOut(frame))
    }

    /// XORs `buffer`'s readable bytes with `key` (masking and unmasking are the same operation).
    static func unmask(_ buffer: inout ByteBuffer, with key: WebSocketMaskingKey) {
        let word = withUnsafeBytes(of: (key[0], key[1], key[2], key[3], key[0], key[1], key[2], key[3])) {
            $0.loadUnaligned(as: UInt64.self)
        }
        buffer.withUnsafeMutableReadableBytes { bytes in
            var index = 0
            while index + 8 <= bytes.count {
                let masked = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                bytes.storeBytes(of: masked ^ word, toByteOffset: index, as: UInt64.self)
                index += 8
            }
            while index < bytes.count {
                bytes[index] ^= key[index % 4]
                index += 1
            }
        }
    }
}
