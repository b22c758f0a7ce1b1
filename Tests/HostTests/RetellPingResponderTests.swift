@testable import Host
import NIOCore
import NIOEmbedded
import NIOWebSocket
import Testing

/// The event-loop ping responder, on an embedded channel: frames go in as Retell masks them.
@Suite struct RetellPingResponderTests {
    private func frame(_ text: String, fin: Bool = true, opcode: WebSocketOpcode = .text, on channel: EmbeddedChannel) -> WebSocketFrame {
        let mask: WebSocketMaskingKey = [0x1F, 0x2E, 0x3D, 0x4C]
        var payload = channel.allocator.buffer(string: text)
        payload.webSocketMask(mask)
        return WebSocketFrame(fin: fin, opcode: opcode, maskKey: mask, data: payload)
    }

    @Test func answersAPingItselfAndKeepsItFromTheReadLoop() throws {
        let channel = EmbeddedChannel(handler: RetellPingResponder())
        try channel.writeInbound(frame(#"{"interaction_type":"ping_pong","timestamp":1754400012345}"#, on: channel))
        #expect(try channel.readInbound(as: WebSocketFrame.self) == nil)
        let pong = try #require(try channel.readOutbound(as: WebSocketFrame.self))
        #expect(pong.fin && pong.opcode == .text && pong.maskKey == nil)
        #expect(String(buffer: pong.data) == #"{"response_type":"ping_pong","timestamp":1754400012345}"#)
    }

    @Test(arguments: [
        (#"{"interaction_type":"response_required","response_id":3,"transcript":[]}"#, true, WebSocketOpcode.text),
        (#"{"interaction_type":"ping_pong","timestamp":1}"#, false, .text),  // first fragment of a message
        (#"{"interaction_type":"ping_pong","timestamp":1}"#, true, .binary),
        (#"{"interaction_type":"ping_pong","timestamp":"#, true, .text),  // malformed: the read loop reports it
        (#"{"interaction_type":"ping_pong","timestamp":1,"pad":"\#(String(repeating: "x", count: 200))"}"#, true, .text),
    ])
    func passesEveryOtherFrameThroughUntouched(text: String, fin: Bool, opcode: WebSocketOpcode) throws {
        let channel = EmbeddedChannel(handler: RetellPingResponder())
        let sent = frame(text, fin: fin, opcode: opcode, on: channel)
        try channel.writeInbound(sent)
        #expect(try channel.readInbound(as: WebSocketFrame.self) == sent)
        #expect(try channel.readOutbound(as: WebSocketFrame.self) == nil)
    }
}
