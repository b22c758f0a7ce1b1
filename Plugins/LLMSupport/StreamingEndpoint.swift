import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1
import PluginAPI
import Synchronization

/// Sends streaming requests to one provider with the shared rules: three separate timeouts, retries with
/// backoff only while nothing has gone downstream, and cancellation that closes the HTTP connection.
public struct StreamingEndpoint: Sendable {
    /// Maps a non-2xx response (status, headers, body up to 1 MiB) to a failure.
    public typealias ErrorMapper = @Sendable (_ status: Int, _ headers: HTTPHeaders, _ body: ByteBuffer) -> ProviderFailure

    public var client: HTTPClient
    public var timeouts: StreamTimeouts
    public var retry: RetryPolicy
    public var logger: Logger
    /// What the HTTP client logs to: ours when debugging, otherwise nowhere (it attaches metadata per
    /// request, which costs even when nothing is printed).
    private var httpLogger: Logger { logger.logLevel <= .debug ? logger : Self.silent }
    private static let silent = Logger(label: "switchboard.llm-http", factory: { _ in SwiftLogNoOpLogHandler() })
    /// Text that must never appear in an error message (the API key).
    public var secret: String
    public var mapError: ErrorMapper

    public init(
        client: HTTPClient, timeouts: StreamTimeouts, retry: RetryPolicy, logger: Logger, secret: String,
        mapError: @escaping ErrorMapper
    ) {
        self.client = client
        self.timeouts = timeouts
        self.retry = retry
        self.logger = logger
        self.secret = secret
        self.mapError = mapError
    }

    /// Streams the answer to `request`, decoding it with a fresh decoder from `makeDecoder` per attempt.
    ///
    /// Cancelling the task that iterates the stream cancels the request and closes its connection.
    ///
    /// Each attempt is one task, watched by a timer on an event loop rather than by a second task: the
    /// watchdog task, its task group and its sleep cost more than the rest of the request's scheduling.
    public func stream<Decoder: LLMStreamDecoder>(
        _ request: HTTPClientRequest, decoder makeDecoder: @escaping @Sendable () -> Decoder
    ) -> AsyncThrowingStream<LLMEvent, any Error> {
        AsyncThrowingStream { continuation in
            let control = AttemptControl()
            continuation.onTermination = { _ in control.stop() }
            startAttempt(request, makeDecoder, retries: 0, delay: nil, control, continuation)
        }
    }

    /// Starts attempt number `retries` (after `delay`); it retries by starting the next one.
    private func startAttempt<Decoder: LLMStreamDecoder>(
        _ request: HTTPClientRequest, _ makeDecoder: @escaping @Sendable () -> Decoder, retries: Int, delay: Duration?,
        _ control: AttemptControl, _ continuation: AsyncThrowingStream<LLMEvent, any Error>.Continuation
    ) {
        let started = control.start(attempt: retries) {
            if let delay {
                do { try await Task.sleep(for: delay) } catch {
                    continuation.finish(throwing: CancellationError())
                    return
                }
            }
            let progress = AttemptProgress()
            let watchdog = Watchdog(progress: progress, timeouts: timeouts, loop: client.eventLoopGroup.any()) { budget in
                control.timeOut(attempt: retries, budget)
            }
            defer { watchdog.cancel() }
            do {
                try await exchange(request, makeDecoder(), progress, continuation)
                continuation.finish()
            } catch {
                if control.isStopped {
                    continuation.finish(throwing: CancellationError())
                    return
                }
                let failure = control.timeout(attempt: retries).map { ProviderFailure(LLMError(.timeout, message: $0), retryable: true) }
                    ?? classify(error)
                if !progress.hasEmitted, failure.isRetryable,
                    let next = retry.delay(beforeRetry: retries, requested: failure.retryAfter, jitter: Double.random(in: 0..<1))
                {
                    logger.debug("retrying LLM request", metadata: ["error": "\(failure)", "delay": "\(next)", "retry": "\(retries + 1)"])
                    startAttempt(request, makeDecoder, retries: retries + 1, delay: next, control, continuation)
                    return
                }
                continuation.finish(throwing: failure.error)
            }
        }
        if !started { continuation.finish(throwing: CancellationError()) }
    }

    private func exchange<Decoder: LLMStreamDecoder>(
        _ request: HTTPClientRequest, _ decoder: Decoder, _ progress: AttemptProgress,
        _ continuation: AsyncThrowingStream<LLMEvent, any Error>.Continuation
    ) async throws {
        var decoder = decoder
        // AHC's deadline only covers the wait for the headers; the watchdog enforces the real budgets.
        let response = try await client.execute(request, timeout: .hours(1), logger: httpLogger)
        progress.headersArrived()
        guard (200..<300).contains(response.status.code) else {
            let body = (try? await response.body.collect(upTo: 1 << 20)) ?? ByteBuffer()
            throw redacted(mapError(Int(response.status.code), response.headers, body))
        }
        var parser = SSEParser()
        var emitted = false
        // Text decoded from one body part goes downstream as one delta: one hop to the consumer and one
        // frame to Retell instead of one per provider event, at no cost in latency. (The HTTP client hands
        // the body over per HTTP chunk, so this merges the events a provider packs into one chunk.)
        var pendingText = ""
        let emit: (LLMEvent) -> Void = { event in
            if !emitted {
                emitted = true
                progress.emitted()
            }
            if case .textDelta(let text) = event {
                pendingText += text
                return
            }
            if !pendingText.isEmpty {
                continuation.yield(.textDelta(pendingText))
                pendingText = ""
            }
            continuation.yield(event)
        }
        let flush = {
            if !pendingText.isEmpty {
                continuation.yield(.textDelta(pendingText))
                pendingText = ""
            }
        }
        defer { flush() }  // text read before a failure still goes out ahead of the error
        var open = true
        for try await buffer in response.body {
            progress.chunkArrived()
            try parser.feed(buffer) { event in
                if open { open = try decoder.consume(event, emit: emit) }
            }
            flush()
            if !open { break }
        }
        if open { try parser.finish { event in if open { open = try decoder.consume(event, emit: emit) } } }
        try decoder.finish(emit: emit)
    }

    private func classify(_ error: any Error) -> ProviderFailure {
        switch error {
        case let failure as ProviderFailure: return redacted(failure)
        case let error as LLMError: return redacted(ProviderFailure(error, retryable: false))
        default:
            return redacted(ProviderFailure(LLMError(.unavailable, message: "connection failed: \(error)"), retryable: true))
        }
    }

    private func redacted(_ failure: ProviderFailure) -> ProviderFailure {
        var copy = failure
        copy.error.message = failure.error.message.redacting(secret)
        return copy
    }
}

/// What one attempt has achieved so far, shared between the exchange and its watchdog.
final class AttemptProgress: Sendable {
    private struct State {
        var start = ContinuousClock.now
        var headers: ContinuousClock.Instant?
        var lastChunk: ContinuousClock.Instant?
        var emitted = false
    }

    private let state = Mutex(State())

    func headersArrived() { state.withLock { $0.headers = .now } }
    func chunkArrived() { state.withLock { $0.lastChunk = .now } }
    func emitted() { state.withLock { $0.emitted = true } }
    var hasEmitted: Bool { state.withLock { $0.emitted } }

    /// When the current budget runs out, and what a timeout then means.
    func deadline(_ timeouts: StreamTimeouts) -> (ContinuousClock.Instant, String) {
        state.withLock { state in
            if let last = state.lastChunk {
                return (last + timeouts.idle, "no data from the provider for \(timeouts.idle) (idle timeout)")
            }
            let firstChunk = (state.start + timeouts.firstChunk, "no answer from the provider within \(timeouts.firstChunk) (first-chunk timeout)")
            if state.headers == nil, timeouts.connect < timeouts.firstChunk {
                return (state.start + timeouts.connect, "no response from the provider within \(timeouts.connect) (connect timeout)")
            }
            return firstChunk
        }
    }
}

/// The task of a stream's current attempt, and why it was stopped: the consumer went away (no more
/// attempts) or the attempt ran out of time (retried when nothing went downstream yet).
final class AttemptControl: Sendable {
    private struct State {
        var task: Task<Void, Never>?
        var attempt = 0
        var stopped = false
        var timeout: String?
    }

    private let state = Mutex(State())

    /// Runs `operation` as attempt `attempt` in a new task, unless the consumer has gone.
    func start(attempt: Int, _ operation: @escaping @Sendable () async -> Void) -> Bool {
        state.withLock { state in
            guard !state.stopped else { return false }
            state.attempt = attempt
            state.timeout = nil
            state.task = Task(operation: operation)
            return true
        }
    }

    /// The consumer stopped listening: cancel the current attempt and start no other.
    func stop() {
        state.withLock { state in
            state.stopped = true
            return state.task
        }?.cancel()
    }

    /// Attempt `attempt` ran out of `budget`: cancel it (a later attempt is left alone).
    func timeOut(attempt: Int, _ budget: String) {
        state.withLock { state -> Task<Void, Never>? in
            guard state.attempt == attempt, state.timeout == nil else { return nil }
            state.timeout = budget
            return state.task
        }?.cancel()
    }

    var isStopped: Bool { state.withLock { $0.stopped } }

    /// The budget attempt `attempt` ran out of, if it did.
    func timeout(attempt: Int) -> String? {
        state.withLock { $0.attempt == attempt ? $0.timeout : nil }
    }
}

/// A timer on an event loop that calls `onTimeout` once the attempt's current budget has run out; it
/// re-arms itself while chunks keep arriving.
final class Watchdog: Sendable {
    private let progress: AttemptProgress
    private let timeouts: StreamTimeouts
    private let loop: any EventLoop
    private let onTimeout: @Sendable (String) -> Void
    private let scheduled = Mutex<(timer: Scheduled<Void>?, cancelled: Bool)>((nil, false))

    init(progress: AttemptProgress, timeouts: StreamTimeouts, loop: any EventLoop, onTimeout: @escaping @Sendable (String) -> Void) {
        self.progress = progress
        self.timeouts = timeouts
        self.loop = loop
        self.onTimeout = onTimeout
        arm()
    }

    func cancel() {
        scheduled.withLock { state in
            state.cancelled = true
            return state.timer
        }?.cancel()
    }

    private func arm() {
        let (deadline, budget) = progress.deadline(timeouts)
        let remaining = ContinuousClock.now.duration(to: deadline)
        if remaining <= .zero {
            onTimeout(budget)
            return
        }
        let nanoseconds = remaining.components.seconds * 1_000_000_000 + remaining.components.attoseconds / 1_000_000_000
        scheduled.withLock { state in
            guard !state.cancelled else { return }
            state.timer = loop.scheduleTask(in: .nanoseconds(nanoseconds + 1)) { [self] in arm() }
        }
    }
}
