import NIOCore
import NIOWebSocket

/// The handlers a call socket adds to its upgraded channel, right after the WebSocket frame decoder:
/// ``WebSocketUnmasker`` then ``RetellPingResponder``.
enum CallSocketPipeline {
    static func install(on channel: any Channel) async throws {
        try await channel.eventLoop.submit {
            let operations = channel.pipeline.syncOperations
            let decoder = try operations.handler(type: ByteToMessageHandler<WebSocketFrameDecoder>.self)
            let unmasker = WebSocketUnmasker()
            try operations.addHandler(unmasker, position: .after(decoder))
            try operations.addHandler(RetellPingResponder(), position: .after(unmasker))
        }.get()
    }
}
