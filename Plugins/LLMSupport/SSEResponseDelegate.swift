import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// Hands an AsyncHTTPClient response to an ``SSEResponseReader`` (AsyncHTTPClient calls a delegate on its
/// task's event loop, one method at a time, as the reader requires).
final class SSEResponseDelegate<Decoder: LLMStreamDecoder>: HTTPClientResponseDelegate, Sendable {
    typealias Response = Void

    private let reader: SSEResponseReader<Decoder>

    init(reader: SSEResponseReader<Decoder>) {
        self.reader = reader
    }

    func didReceiveHead(task: HTTPClient.Task<Void>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        reader.receiveHead(head)
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<Void>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        do {
            try reader.receiveBody(buffer)
        } catch {
            task.fail(reason: error)
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveError(task: HTTPClient.Task<Void>, _ error: any Error) {}

    func didFinishRequest(task: HTTPClient.Task<Void>) throws {
        try reader.receiveEnd()
    }
}
