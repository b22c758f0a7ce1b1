import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1
import PluginAPI
import Synchronization

/// Sends streaming requests to one provider URL with the shared rules: three separate timeouts, retries
/// with backoff only while nothing has gone downstream, and cancellation that closes the HTTP connection.
public struct StreamingEndpoint: Sendable {
    /// Maps a non-2xx response (status, headers, body up to 1 MiB) to a failure.
    public typealias ErrorMapper = @Sendable (_ status: Int, _ headers: HTTPHeaders, _ body: ByteBuffer) -> ProviderFailure

    /// Where every request goes.
    public let url: String
    private let transport: StreamingTransport?
    public var timeouts: StreamTimeouts
    public var retry: RetryPolicy
    public var logger: Logger
    private static let silent = Logger(label: "switchboard.llm-http", factory: { _ in SwiftLogNoOpLogHandler() })
    /// Text that must never appear in an error message (the API key).
    public var secret: String
    public var mapError: ErrorMapper

    /// An endpoint POSTing JSON to `url` with `headers` (besides the content type and `Accept`). `client`
    /// carries `https://` requests, and `http://` ones when `transport` says so.
    public init(
        url: String, headers: [(String, String)], client: HTTPClient, transport: TransportConfig, logger: Logger, secret: String,
        mapError: @escaping ErrorMapper
    ) {
        self.url = url
        // AsyncHTTPClient logs to ours when debugging, otherwise nowhere (it attaches metadata per request,
        // which costs even when nothing is printed).
        let httpLogger = logger.logLevel <= .debug ? logger : Self.silent
        self.transport = StreamingTransport(url: url, headers: headers, client: client, choice: transport.httpClient, httpLogger: httpLogger)
        self.timeouts = transport.timeouts
        self.retry = transport.retry
        self.logger = logger
        self.secret = secret
        self.mapError = mapError
    }

    /// Sends `body` and decodes the answer with a fresh decoder from `makeDecoder` per attempt, handing
    /// its events to `onEvent`; returns when the answer is complete.
    ///
    /// The response is decoded where it arrives, on the connection's event loop (``SSEResponseReader``), and
    /// the events go from there to `onEvent`: no task per attempt, no stream between the HTTP body and the
    /// consumer. Timeouts are a timer on that event loop (``Watchdog``); cancelling the calling task cancels
    /// the request and closes its connection.
    public func generate<Decoder: LLMStreamDecoder>(
        body: [UInt8], decoder makeDecoder: () -> Decoder, onEvent: @escaping LLMEventSink
    ) async throws {
        guard let transport else { throw LLMError(.invalidRequest, message: "not a usable URL: \(url)") }
        var retries = 0
        while true {
            let progress = AttemptProgress()
            let reader = SSEResponseReader(decoder: makeDecoder(), progress: progress, onEvent: onEvent, mapError: mapError)
            let attempt = transport.start(body: body, reader: reader)
            let watchdog = Watchdog(progress: progress, timeouts: timeouts, loop: attempt.eventLoop) { timedOut in
                attempt.fail(reason: timedOut)
            }
            do {
                try await withTaskCancellationHandler {
                    try await attempt.futureResult.get()
                } onCancel: {
                    attempt.cancel()
                }
                watchdog.cancel()
                return
            } catch {
                watchdog.cancel()
                if Task.isCancelled { throw CancellationError() }
                let failure = classify(error)
                guard !progress.hasEmitted, failure.isRetryable,
                    let delay = retry.delay(beforeRetry: retries, requested: failure.retryAfter, jitter: Double.random(in: 0..<1))
                else { throw failure.error }
                retries += 1
                logger.debug("retrying LLM request", metadata: ["error": "\(failure)", "delay": "\(delay)", "retry": "\(retries)"])
                try await Task.sleep(for: delay)
            }
        }
    }

    private func classify(_ error: any Error) -> ProviderFailure {
        switch error {
        case let timeout as AttemptTimedOut: return ProviderFailure(LLMError(.timeout, message: timeout.description), retryable: true)
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

/// What one attempt has achieved so far, shared between its response delegate and its watchdog.
final class AttemptProgress: Sendable {
    private struct State {
        var start = ContinuousClock.now
        var headers: ContinuousClock.Instant?
        var lastChunk: ContinuousClock.Instant?
        var emitted = false
        var onFirstChunk: (@Sendable () -> Void)?
    }

    private let state = Mutex(State())

    func headersArrived() { state.withLock { $0.headers = .now } }

    /// Notes a chunk; the first one runs the observer (its deadline, the idle one, may be the nearest yet).
    func chunkArrived() {
        let observer = state.withLock { state -> (@Sendable () -> Void)? in
            defer { state.lastChunk = .now }
            return state.lastChunk == nil ? state.onFirstChunk : nil
        }
        observer?()
    }

    /// Runs `observer` when the first chunk arrives.
    func observeFirstChunk(_ observer: @escaping @Sendable () -> Void) { state.withLock { $0.onFirstChunk = observer } }
    func emitted() { state.withLock { $0.emitted = true } }
    var hasEmitted: Bool { state.withLock { $0.emitted } }

    /// When the current budget runs out, and which budget it is.
    func deadline(_ timeouts: StreamTimeouts) -> (ContinuousClock.Instant, AttemptTimedOut.Budget) {
        state.withLock { state in
            if let last = state.lastChunk { return (last + timeouts.idle, .idle) }
            if state.headers == nil, timeouts.connect < timeouts.firstChunk { return (state.start + timeouts.connect, .connect) }
            return (state.start + timeouts.firstChunk, .firstChunk)
        }
    }
}

/// Why the watchdog failed an attempt: it ran out of this budget.
struct AttemptTimedOut: Error, CustomStringConvertible {
    enum Budget {
        case connect, firstChunk, idle
    }

    var budget: Budget
    var timeouts: StreamTimeouts

    /// Made only when an attempt timed out: formatting durations on every chunk cost ~2 % of a turn's CPU.
    var description: String {
        switch budget {
        case .connect: "no response from the provider within \(timeouts.connect) (connect timeout)"
        case .firstChunk: "no answer from the provider within \(timeouts.firstChunk) (first-chunk timeout)"
        case .idle: "no data from the provider for \(timeouts.idle) (idle timeout)"
        }
    }
}

/// A timer on an event loop that calls `onTimeout` once the attempt's current budget has run out. It fires
/// at the nearest deadline known when it was armed and re-arms itself while chunks keep arriving; the first
/// chunk re-arms it early only when its idle deadline comes before the one the timer waits for.
final class Watchdog: Sendable {
    private struct Armed {
        var timer: Scheduled<Void>?
        var deadline: ContinuousClock.Instant?
        var cancelled = false
    }

    private let progress: AttemptProgress
    private let timeouts: StreamTimeouts
    private let loop: any EventLoop
    private let onTimeout: @Sendable (AttemptTimedOut) -> Void
    private let armed = Mutex(Armed())

    init(progress: AttemptProgress, timeouts: StreamTimeouts, loop: any EventLoop, onTimeout: @escaping @Sendable (AttemptTimedOut) -> Void) {
        self.progress = progress
        self.timeouts = timeouts
        self.loop = loop
        self.onTimeout = onTimeout
        progress.observeFirstChunk { [weak self] in self?.arm(onlyIfSooner: true) }  // before arming: no first chunk slips between
        arm(onlyIfSooner: false)
    }

    func cancel() {
        armed.withLock { armed in
            armed.cancelled = true
            return armed.timer
        }?.cancel()
    }

    private func arm(onlyIfSooner: Bool) {
        let (deadline, budget) = progress.deadline(timeouts)
        let remaining = ContinuousClock.now.duration(to: deadline)
        if remaining <= .zero {
            onTimeout(AttemptTimedOut(budget: budget, timeouts: timeouts))
            return
        }
        let nanoseconds = remaining.components.seconds * 1_000_000_000 + remaining.components.attoseconds / 1_000_000_000
        let replaced = armed.withLock { armed -> Scheduled<Void>? in
            guard !armed.cancelled else { return nil }
            if onlyIfSooner, let current = armed.deadline, current <= deadline { return nil }
            defer {
                armed.deadline = deadline
                armed.timer = loop.scheduleTask(in: .nanoseconds(nanoseconds + 1)) { [self] in arm(onlyIfSooner: false) }
            }
            return armed.timer
        }
        replaced?.cancel()
    }
}
