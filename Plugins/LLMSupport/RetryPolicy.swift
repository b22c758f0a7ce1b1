/// When and how long to wait before trying a failed request again.
///
/// Exponential backoff with jitter: attempt *n* (0-based) waits `baseDelay × 2ⁿ + U(0, baseDelay)`, capped
/// at `maxDelay`. A delay the provider asked for wins; when it is longer than `maxDelay` the request is not
/// retried at all (a voice caller cannot wait; the engine's fallback is better).
public struct RetryPolicy: Sendable, Hashable {
    /// Retries after the first attempt (0 disables retrying).
    public var maxRetries: Int
    /// The first backoff step.
    public var baseDelay: Duration
    /// The longest wait before a retry.
    public var maxDelay: Duration

    public init(maxRetries: Int = 2, baseDelay: Duration = .milliseconds(250), maxDelay: Duration = .seconds(2)) {
        self.maxRetries = maxRetries
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// The wait before retry number `retry` (0 = the first retry), or `nil` when the request must not be
    /// retried. `jitter` is a number in `0..<1`.
    public func delay(beforeRetry retry: Int, requested: Duration?, jitter: Double) -> Duration? {
        guard retry < maxRetries else { return nil }
        if let requested {
            return requested <= maxDelay ? requested : nil
        }
        let exponential = baseDelay * Double(1 << min(retry, 20))
        let jittered = exponential + baseDelay * max(0, min(jitter, 1))
        return min(jittered, maxDelay)
    }
}
