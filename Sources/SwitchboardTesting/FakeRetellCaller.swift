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
    /// waiter noticed it, so the inbox's polling does not blur the measurement; other frames (a response
    /// being streamed meanwhile) are not scanned.
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

/// What the fake caller received.
final class Inbox: Sendable {
    private struct State {
        var frames: [JSONValue] = []
        var finished = false
        var closeReason: String?
        /// When each `ping_pong` echo arrived, by its timestamp.
        var echoes: [Int: ContinuousClock.Instant] = [:]
    }

    private let state = Mutex(State())

    func append(_ text: String) {
        let arrived = ContinuousClock.now
        let frame = (try? JSONValue(parsing: text)) ?? ["unparsable": .string(text)]
        let echo = frame["response_type"] == "ping_pong" ? frame["timestamp"]?.intValue : nil
        state.withLock {
            $0.frames.append(frame)
            if let echo { $0.echoes[echo] = arrived }
        }
    }

    func closed(reason: String?) { state.withLock { $0.closeReason = reason } }
    func finish() { state.withLock { $0.finished = true } }
    var frames: [JSONValue] { state.withLock { $0.frames } }
    var closeReason: String? { state.withLock { $0.closeReason } }

    func wait(after: Int, timeout: Duration, _ predicate: (JSONValue) -> Bool) async throws -> JSONValue {
        let deadline = ContinuousClock.now + timeout
        while true {
            let (frames, finished) = state.withLock { ($0.frames, $0.finished) }
            if let found = frames.dropFirst(after).first(where: predicate) { return found }
            if finished { throw FakeCallerError.closed(reason: closeReason) }
            if ContinuousClock.now > deadline { throw FakeCallerError.timeout(received: frames) }
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    /// When the echo of the ping with `timestamp` arrived (waits for it).
    func echo(of timestamp: Int, timeout: Duration) async throws -> ContinuousClock.Instant {
        let deadline = ContinuousClock.now + timeout
        while true {
            let (arrived, finished) = state.withLock { ($0.echoes[timestamp], $0.finished) }
            if let arrived { return arrived }
            if finished { throw FakeCallerError.closed(reason: closeReason) }
            if ContinuousClock.now > deadline { throw FakeCallerError.timeout(received: frames) }
            try await Task.sleep(for: .milliseconds(2))
        }
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
