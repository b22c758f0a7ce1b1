@testable import Host
import NIOCore
import NIOEmbedded
import NIOWebSocket
import Testing

@Suite struct WebSocketUnmaskerTests {
    @Test func unmasksLikeNIOForEveryLengthAndLeavesNoMask() throws {
        let key: WebSocketMaskingKey = [0xA1, 0x07, 0x5C, 0xEE]
        for length in 0..<41 {
            let text = String((0..<length).map { Character(UnicodeScalar(UInt8(32 + ($0 * 7) % 90))) })
            var masked = ByteBuffer(string: text)
            masked.webSocketMask(key)
            let channel = EmbeddedChannel(handler: WebSocketUnmasker())
            try channel.writeInbound(WebSocketFrame(fin: true, opcode: .text, maskKey: key, data: masked))
            let frame = try #require(try channel.readInbound(as: WebSocketFrame.self))
            #expect(frame.maskKey == nil)
            #expect(String(buffer: frame.data) == text, "length \(length)")
        }
    }

    @Test func passesAnUnmaskedFrameOnAsItIs() throws {
        let channel = EmbeddedChannel(handler: WebSocketUnmasker())
        let frame = WebSocketFrame(fin: true, opcode: .binary, data: ByteBuffer(bytes: [1, 2, 3]))
        try channel.writeInbound(frame)
        #expect(try channel.readInbound(as: WebSocketFrame.self) == frame)
    }
}
