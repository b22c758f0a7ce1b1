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
    public func stream<Decoder: LLMStreamDecoder>(
        _ request: HTTPClientRequest, decoder makeDecoder: @escaping @Sendable () -> Decoder
    ) -> AsyncThrowingStream<LLMEvent, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task { await run(request, makeDecoder, continuation) }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Runs attempts until one succeeds, one fails for good, or something already went downstream.
    func run<Decoder: LLMStreamDecoder>(
        _ request: HTTPClientRequest, _ makeDecoder: @escaping @Sendable () -> Decoder,
        _ continuation: AsyncThrowingStream<LLMEvent, any Error>.Continuation
    ) async {
        var retries = 0
        while true {
            let progress = AttemptProgress()
            do {
                try await attempt(request, makeDecoder, progress, continuation)
                continuation.finish()
                return
            } catch {
                if Task.isCancelled {
                    continuation.finish(throwing: CancellationError())
                    return
                }
                let failure = classify(error)
                if !progress.hasEmitted, failure.isRetryable,
                    let delay = retry.delay(beforeRetry: retries, requested: failure.retryAfter, jitter: Double.random(in: 0..<1))
                {
                    logger.debug("retrying LLM request", metadata: ["error": "\(failure)", "delay": "\(delay)", "retry": "\(retries + 1)"])
                    retries += 1
                    do { try await Task.sleep(for: delay) } catch {
                        continuation.finish(throwing: CancellationError())
                        return
                    }
                    continue
                }
                continuation.finish(throwing: failure.error)
                return
            }
        }
    }

    /// One request: the exchange races a watchdog that enforces the time budgets.
    private func attempt<Decoder: LLMStreamDecoder>(
        _ request: HTTPClientRequest, _ makeDecoder: @escaping @Sendable () -> Decoder, _ progress: AttemptProgress,
        _ continuation: AsyncThrowingStream<LLMEvent, any Error>.Continuation
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await exchange(request, makeDecoder(), progress, continuation) }
            group.addTask { try await watch(progress) }
            try await group.next()
            group.cancelAll()
        }
    }

    private func exchange<Decoder: LLMStreamDecoder>(
        _ request: HTTPClientRequest, _ decoder: Decoder, _ progress: AttemptProgress,
        _ continuation: AsyncThrowingStream<LLMEvent, any Error>.Continuation
    ) async throws {
        var decoder = decoder
        // AHC's deadline only covers the wait for the headers; the watchdog enforces the real budgets.
        let response = try await client.execute(request, timeout: .hours(1), logger: logger)
        progress.headersArrived()
        guard (200..<300).contains(response.status.code) else {
            let body = (try? await response.body.collect(upTo: 1 << 20)) ?? ByteBuffer()
            throw redacted(mapError(Int(response.status.code), response.headers, body))
        }
        var parser = SSEParser()
        var emitted = false
        // Text that arrived in one network read goes downstream as one delta: one hop to the consumer
        // and one frame to Retell instead of one per provider chunk, at no cost in latency.
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

    /// Throws a timeout as soon as the current budget runs out; runs until cancelled.
    private func watch(_ progress: AttemptProgress) async throws {
        let clock = ContinuousClock()
        while true {
            let (deadline, budget) = progress.deadline(timeouts)
            if clock.now >= deadline {
                throw ProviderFailure(LLMError(.timeout, message: budget), retryable: true)
            }
            try await Task.sleep(until: deadline, clock: clock)
        }
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
