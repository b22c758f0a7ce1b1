import NIOCore
import NIOWebSocket
import PluginAPI
import Synchronization

/// The ordered writer of one socket's frames, and the gate that keeps stale responses off the wire.
///
/// Frames are queued without waiting (turns never block on the socket) and written on the connection's
/// event loop, in order, by a drain the first queued frame schedules: no writer task to wake, and frames
/// queued before the drain runs go out with one flush. The latest `response_id` is raised by the read loop
/// the moment a newer request is read; a frame for an older id is dropped both when queued and right
/// before it is written, so once a request has been read nothing for an earlier id follows it. Response
/// text queued together is sent as one frame.
///
/// Writes do not wait for the socket to become writable: a call's frames are a few hundred bytes each,
/// paced by the LLM, so what NIO buffers for a slow peer stays small.
final class Outbox: Sendable {
    enum Frame: Sendable {
        /// Written as is (config, pongs, tool call frames); `responseID` makes it droppable when stale.
        case raw(String, responseID: Int?)
        /// Response text for `id`; consecutive pieces merge.
        case text(id: Int, content: String)
        /// The last frame of a response.
        case complete(id: Int, content: String, endCall: Bool, transferNumber: String?)
        /// Close the socket with this reason (after what is queued before it).
        case close(reason: String)
    }

    private struct State {
        var latest = Int.min
        var pending: [Frame] = []
        var drainScheduled = false
        var finished = false
    }

    private let state = Mutex(State())
    private let channel: any Channel
    private let closeRequest: AsyncStream<String>.Continuation
    /// The reason of a `.close` frame once the frames before it are written; the socket's owner closes the
    /// WebSocket with it (the close handshake is asynchronous).
    let closeRequests: AsyncStream<String>

    /// An outbox writing text frames to `channel`, a WebSocket channel.
    init(channel: any Channel) {
        self.channel = channel
        (closeRequests, closeRequest) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Marks `id` as the current response; frames for older ids are dropped from now on.
    func advance(to id: Int) {
        state.withLock { $0.latest = max($0.latest, id) }
    }

    /// Queues `frame` (dropped if it belongs to a superseded response or the outbox is finished).
    func send(_ frame: Frame) {
        let scheduleDrain = state.withLock { state -> Bool in
            guard !state.finished, !Self.isStale(frame, latest: state.latest) else { return false }
            state.pending.append(frame)
            if case .close = frame { state.finished = true }
            defer { state.drainScheduled = true }
            return !state.drainScheduled
        }
        if scheduleDrain { channel.eventLoop.execute { self.drain() } }
    }

    /// Stops accepting frames (what is queued is still written).
    func finish() {
        state.withLock { $0.finished = true }
        closeRequest.finish()
    }

    /// On the event loop: writes what is queued, one flush for all of it.
    private func drain() {
        let (batch, latest) = state.withLock { state in
            defer {
                state.pending.removeAll(keepingCapacity: true)
                state.drainScheduled = false
            }
            return (state.pending, state.latest)
        }
        for frame in Self.coalesce(batch) where !Self.isStale(frame, latest: latest) {
            if case .close(let reason) = frame {
                closeRequest.yield(reason)
                closeRequest.finish()
                break
            }
            let text = Self.encode(frame, allocator: channel.allocator)
            channel.write(WebSocketFrame(fin: true, opcode: .text, data: text), promise: nil)
        }
        channel.flush()
    }

    private static func isStale(_ frame: Frame, latest: Int) -> Bool {
        switch frame {
        case .raw(_, let id): return id.map { $0 < latest } ?? false
        case .close: return false
        case .text(let id, _), .complete(let id, _, _, _): return id < latest
        }
    }

    /// Merges consecutive text pieces of one response (and a final piece into its completion).
    static func coalesce(_ frames: [Frame]) -> [Frame] {
        var result: [Frame] = []
        result.reserveCapacity(frames.count)
        for frame in frames {
            switch (result.last, frame) {
            case (.text(let id, let head)?, .text(let next, let tail)) where next == id:
                result[result.count - 1] = .text(id: id, content: head + tail)
            case (.text(let id, let head)?, .complete(let next, let tail, let endCall, let transfer)) where next == id:
                result[result.count - 1] = .complete(id: id, content: head + tail, endCall: endCall, transferNumber: transfer)
            default:
                result.append(frame)
            }
        }
        return result
    }

    /// The frame's text in a buffer: response frames go from their JSON bytes straight into it.
    private static func encode(_ frame: Frame, allocator: ByteBufferAllocator) -> ByteBuffer {
        switch frame {
        case .raw(let text, _): return allocator.buffer(string: text)
        case .close: return allocator.buffer(capacity: 0)
        case .text(let id, let content): return allocator.buffer(bytes: RetellOutbound.response(id: id, content: content, complete: false))
        case .complete(let id, let content, let endCall, let transfer):
            return allocator.buffer(bytes: RetellOutbound.response(id: id, content: content, complete: true, endCall: endCall, transferNumber: transfer))
        }
    }
}
