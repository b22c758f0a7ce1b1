import PluginAPI
import Synchronization

/// The ordered writer of one socket's frames (pings excepted: the read loop answers those itself), and the
/// gate that keeps stale responses off the wire.
///
/// Frames are queued without waiting (turns never block on the socket) and written by one task in
/// order. The latest `response_id` is raised by the read loop the moment a newer request is read;
/// a frame for an older id is dropped both when queued and right before it is written, so once a
/// request has been read nothing for an earlier id follows it. Response text queued together is sent
/// as one frame (one socket write instead of several).
final class Outbox: Sendable {
    enum Frame: Sendable {
        /// Written as is (config, tool call frames); `responseID` makes it droppable when stale.
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
        var finished = false
    }

    private let state = Mutex(State())
    private let wakeUp: AsyncStream<Void>.Continuation
    private let wakeUps: AsyncStream<Void>

    init() {
        (wakeUps, wakeUp) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Marks `id` as the current response; frames for older ids are dropped from now on.
    func advance(to id: Int) {
        state.withLock { $0.latest = max($0.latest, id) }
    }

    /// Whether `id` is still the current response.
    func isCurrent(_ id: Int) -> Bool { state.withLock { $0.latest == id } }

    /// Queues `frame` (dropped if it belongs to a superseded response).
    func send(_ frame: Frame) {
        let queued = state.withLock { state -> Bool in
            guard !state.finished, !Self.isStale(frame, latest: state.latest) else { return false }
            state.pending.append(frame)
            return true
        }
        if queued { wakeUp.yield() }
    }

    /// Stops accepting frames; the writer drains what is queued and returns.
    func finish() {
        state.withLock { $0.finished = true }
        wakeUp.finish()
    }

    /// Writes queued frames with `write` until ``finish()``; a `.close` frame is handed to `close`.
    func runWriter(write: (String) async throws -> Void, close: (String) async throws -> Void) async throws {
        for await _ in wakeUps {
            try await drain(write, close)
        }
        try await drain(write, close)
    }

    private func drain(_ write: (String) async throws -> Void, _ close: (String) async throws -> Void) async throws {
        while true {
            let batch = state.withLock { state -> [Frame] in
                defer { state.pending.removeAll(keepingCapacity: true) }
                return state.pending
            }
            if batch.isEmpty { return }
            for frame in Self.coalesce(batch) {
                if case .close(let reason) = frame {
                    try await close(reason)
                    continue
                }
                // Checked again at the last moment: a newer request may have been read meanwhile.
                if let text = state.withLock({ Self.isStale(frame, latest: $0.latest) ? nil : Self.encode(frame) }) {
                    try await write(text)
                }
            }
        }
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

    private static func encode(_ frame: Frame) -> String {
        switch frame {
        case .raw(let text, _): return text
        case .close: return ""
        case .text(let id, let content): return RetellOutbound.response(id: id, content: content, complete: false)
        case .complete(let id, let content, let endCall, let transfer):
            return RetellOutbound.response(id: id, content: content, complete: true, endCall: endCall, transferNumber: transfer)
        }
    }
}
