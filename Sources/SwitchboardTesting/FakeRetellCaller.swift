import Foundation
import HummingbirdWSClient
import Logging
import NIOCore
import PluginAPI
import Synchronization

/// Plays Retell on the custom-LLM socket: sends `call_details`, pings, `update_only`,
/// `response_required` and reminders, and collects what the server answers, per response id.
///
/// ```swift
/// try await FakeRetellCaller.call("ws://127.0.0.1:\(port)/llm-websocket/desk/call_1") { caller in
///     try await caller.sendCallDetails(from: "+14155550123")
///     let greeting = try await caller.response(0)
///     try await caller.ask(1, "I'd like two pizzas")
///     #expect(try await caller.response(1).text == "…")
/// }
/// ```
public struct FakeRetellCaller: Sendable {
    /// One finished response: everything spoken for an id and its final frame.
    public struct Response: Sendable {
        public var text: String
        public var frames: [JSONValue]
        public var final: JSONValue
    }

    let outbound: WebSocketOutboundWriter
    let inbox: Inbox
    /// The transcript this caller has built so far (utterances as Retell would send them).
    public let transcript = TranscriptLog()

    /// Connects to `url`, runs `body`, then hangs up (a normal close, as Retell does at the end of a call).
    public static func call<T: Sendable>(_ url: String, _ body: @escaping @Sendable (FakeRetellCaller) async throws -> T) async throws -> T {
        let inbox = Inbox()
        let (callers, callerSignal) = AsyncStream.makeStream(of: FakeRetellCaller.self)
        let logger = TestFixtures.quietLogger
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                defer {
                    inbox.finish()
                    callerSignal.finish()  // also when the connection failed: nobody waits forever
                }
                let close = try await WebSocketClient.connect(
                    url: url, configuration: .init(maxFrameSize: 16 << 20, autoPing: .disabled), logger: logger
                ) { inbound, outbound, _ in
                    callerSignal.yield(FakeRetellCaller(outbound: outbound, inbox: inbox))
                    for try await message in inbound.messages(maxSize: 16 << 20) {
                        if case .text(let text) = message { inbox.append(text) }
                    }
                }
                inbox.closed(reason: close?.reason)
                return nil
            }
            var iterator = callers.makeAsyncIterator()
            guard let caller = await iterator.next() else {
                try await group.waitForAll()
                throw FakeCallerError.closed(reason: inbox.closeReason)
            }
            let result = try await body(caller)
            try? await caller.outbound.close(.normalClosure, reason: nil)
            try await group.waitForAll()
            return result
        }
    }

    // MARK: Sending

    /// Sends raw text (e.g. malformed JSON).
    public func sendRaw(_ text: String) async throws {
        try await outbound.write(.text(text))
    }

    /// Sends a JSON frame.
    public func send(_ frame: JSONValue) async throws {
        try await sendRaw(frame.canonicalJSON)
    }

    public func sendCallDetails(
        callID: String = "call_test", retellAgentID: String? = nil, from: String? = "+14155550123", to: String? = "+14155550000",
        dynamicVariables: [String: String] = [:]
    ) async throws {
        var call: [String: JSONValue] = ["call_id": .string(callID), "call_type": "phone_call", "call_status": "registered", "direction": "inbound"]
        if let retellAgentID { call["agent_id"] = .string(retellAgentID) }
        if let from { call["from_number"] = .string(from) }
        if let to { call["to_number"] = .string(to) }
        if !dynamicVariables.isEmpty { call["retell_llm_dynamic_variables"] = .object(dynamicVariables.mapValues(JSONValue.string)) }
        try await send(["interaction_type": "call_details", "call": .object(call)])
    }

    public func ping(_ timestamp: Int) async throws {
        try await send(["interaction_type": "ping_pong", "timestamp": .int(timestamp)])
    }

    /// Sends a ping with `timestamp` (unique within this call) and waits for the server's echo of it.
    ///
    /// Returns the round trip up to the moment the echo was read off the socket, not the moment this
    /// waiter resumed, so the load generator's own scheduling does not blur the measurement; other frames
    /// (a response being streamed meanwhile) are not scanned.
    public func pingRoundTrip(_ timestamp: Int, timeout: Duration = .seconds(30)) async throws -> Duration {
        let sent = ContinuousClock.now
        try await ping(timestamp)
        return try await inbox.echo(of: timestamp, timeout: timeout) - sent
    }

    /// Records what the caller said and sends `update_only`.
    public func say(_ text: String) async throws {
        transcript.append(role: "user", text)
        try await send(["interaction_type": "update_only", "transcript": transcript.json])
    }

    /// Records what the caller said (optional) and asks for response `id`.
    public func ask(_ id: Int, _ text: String? = nil, reminder: Bool = false) async throws {
        if let text { transcript.append(role: "user", text) }
        try await send([
            "interaction_type": .string(reminder ? "reminder_required" : "response_required"), "response_id": .int(id),
            "transcript": transcript.json,
        ])
    }

    // MARK: Receiving

    /// Every frame received so far.
    public var frames: [JSONValue] { inbox.frames }

    /// Waits for the first frame (from index `after`) matching `predicate`.
    @discardableResult
    public func waitFor(after: Int = 0, timeout: Duration = .seconds(30), _ predicate: @escaping @Sendable (JSONValue) -> Bool) async throws -> JSONValue {
        try await inbox.wait(after: after, timeout: timeout, predicate)
    }

    /// Waits for response `id` to complete; records the agent's words in the transcript.
    public func response(_ id: Int, timeout: Duration = .seconds(30)) async throws -> Response {
        let final = try await waitFor(timeout: timeout) {
            $0["response_type"] == "response" && $0["response_id"] == .int(id) && $0["content_complete"] == true
        }
        let frames = inbox.frames.filter { $0["response_type"] == "response" && $0["response_id"] == .int(id) }
        let text = frames.compactMap { $0["content"]?.stringValue }.joined()
        if !text.isEmpty { transcript.append(role: "agent", text) }
        return Response(text: text, frames: frames, final: final)
    }

    /// The reason the server gave when it closed the socket (after the call returned or failed).
    public var closeReason: String? { inbox.closeReason }
}

/// A caller's transcript as Retell sends it.
public final class TranscriptLog: Sendable {
    private let utterances = Mutex<[JSONValue]>([])

    public func append(role: String, _ text: String) {
        utterances.withLock { $0.append(["role": .string(role), "content": .string(text), "words": []]) }
    }

    public var json: JSONValue { .array(utterances.withLock { $0 }) }
}

/// What the fake caller received, and who is waiting for what. A waiter is resumed by the frame it waits
/// for, when it arrives: no polling, so hundreds of callers in one load generator do not steal the CPU of
/// the server they measure.
final class Inbox: Sendable {
    /// What a waiter waits for.
    private enum Awaited {
        /// The first frame from index `after` on that matches.
        case frame(after: Int, predicate: @Sendable (JSONValue) -> Bool)
        /// The echo of the ping with this timestamp.
        case echo(Int)
    }

    private enum Found: Sendable {
        case frame(JSONValue)
        case echo(ContinuousClock.Instant)
    }

    private struct Waiter {
        var id: Int
        var awaited: Awaited
        var continuation: CheckedContinuation<Found, any Error>
    }

    private struct State {
        var frames: [JSONValue] = []
        var finished = false
        var closeReason: String?
        /// When each `ping_pong` echo arrived, by its timestamp.
        var echoes: [Int: ContinuousClock.Instant] = [:]
        var waiters: [Waiter] = []
        var nextWaiter = 0

        /// What `awaited` finds among the frames from index `from` on (all of them when registering).
        func search(_ awaited: Awaited, from: Int = 0) -> Found? {
            switch awaited {
            case .frame(let after, let predicate):
                let start = max(after, from)
                guard start < frames.count else { return nil }
                return frames[start...].first(where: predicate).map(Found.frame)
            case .echo(let timestamp):
                return echoes[timestamp].map(Found.echo)
            }
        }
    }

    private let state = Mutex(State())

    func append(_ text: String) {
        let arrived = ContinuousClock.now
        let frame = (try? JSONValue(parsing: text)) ?? ["unparsable": .string(text)]
        let echo = frame["response_type"] == "ping_pong" ? frame["timestamp"]?.intValue : nil
        let satisfied = state.withLock { state -> [(CheckedContinuation<Found, any Error>, Found)] in
            state.frames.append(frame)
            if let echo { state.echoes[echo] = arrived }
            var satisfied: [(CheckedContinuation<Found, any Error>, Found)] = []
            var waiting = state.waiters
            waiting.removeAll { waiter in
                guard let found = state.search(waiter.awaited, from: state.frames.count - 1) else { return false }
                satisfied.append((waiter.continuation, found))
                return true
            }
            state.waiters = waiting
            return satisfied
        }
        for (continuation, found) in satisfied { continuation.resume(returning: found) }
    }

    func closed(reason: String?) { state.withLock { $0.closeReason = reason } }

    /// The socket is gone: every waiter fails.
    func finish() {
        let (waiters, reason) = state.withLock { state in
            state.finished = true
            defer { state.waiters = [] }
            return (state.waiters, state.closeReason)
        }
        for waiter in waiters { waiter.continuation.resume(throwing: FakeCallerError.closed(reason: reason)) }
    }

    var frames: [JSONValue] { state.withLock { $0.frames } }
    var closeReason: String? { state.withLock { $0.closeReason } }

    func wait(after: Int, timeout: Duration, _ predicate: @escaping @Sendable (JSONValue) -> Bool) async throws -> JSONValue {
        guard case .frame(let frame) = try await wait(for: .frame(after: after, predicate: predicate), timeout: timeout) else {
            preconditionFailure("a frame waiter is resumed with a frame")
        }
        return frame
    }

    /// When the echo of the ping with `timestamp` arrived (waits for it).
    func echo(of timestamp: Int, timeout: Duration) async throws -> ContinuousClock.Instant {
        guard case .echo(let arrived) = try await wait(for: .echo(timestamp), timeout: timeout) else {
            preconditionFailure("an echo waiter is resumed with an echo")
        }
        return arrived
    }

    /// Waits until `awaited` is found, the socket closes, or `timeout` passes.
    private func wait(for awaited: Awaited, timeout: Duration) async throws -> Found {
        let id = state.withLock { state in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        return try await withThrowingTaskGroup(of: Found?.self) { group in
            group.addTask {
                try await withCheckedThrowingContinuation { continuation in
                    let ready = self.state.withLock { state -> Result<Found, any Error>? in
                        if let found = state.search(awaited) { return .success(found) }
                        if state.finished { return .failure(FakeCallerError.closed(reason: state.closeReason)) }
                        state.waiters.append(Waiter(id: id, awaited: awaited, continuation: continuation))
                        return nil
                    }
                    if let ready { continuation.resume(with: ready) }
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                self.expire(id)
                return nil
            }
            while let result = try await group.next() {
                if let found = result {
                    group.cancelAll()
                    return found
                }
            }
            preconditionFailure("the waiting task returns a result or throws")
        }
    }

    /// Fails waiter `id` with a timeout, if it is still waiting.
    private func expire(_ id: Int) {
        let expired = state.withLock { state -> (Waiter, [JSONValue])? in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return (state.waiters.remove(at: index), state.frames)
        }
        if let (waiter, frames) = expired { waiter.continuation.resume(throwing: FakeCallerError.timeout(received: frames)) }
    }
}

/// The fake caller did not get what it waited for.
public enum FakeCallerError: Error, CustomStringConvertible {
    case timeout(received: [JSONValue])
    case closed(reason: String?)

    public var description: String {
        switch self {
        case .timeout(let frames): return "timed out; frames so far: \(frames.map(\.canonicalJSON).joined(separator: "\n"))"
        case .closed(let reason): return "the server closed the socket" + (reason.map { ": \($0)" } ?? "")
        }
    }
}
