import Foundation

/// When and how long to wait before trying a Retell request again.
///
/// Only requests that are safe to repeat are retried (reads, and updates or deletes that set a state):
/// a `POST` that creates something is never repeated, since a lost response may hide a success.
public struct RetellRetryPolicy: Sendable {
    /// Retries after the first attempt.
    public var maxRetries: Int
    /// The wait before the first retry; doubled for each further one.
    public var initialBackoff: Duration
    /// The longest wait between attempts.
    public var maxBackoff: Duration

    public init(maxRetries: Int = 2, initialBackoff: Duration = .milliseconds(500), maxBackoff: Duration = .seconds(8)) {
        self.maxRetries = maxRetries
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
    }

    /// Statuses worth repeating an idempotent request for: timeout, conflict, rate limit, server errors.
    public static func isRetryable(status: Int) -> Bool {
        status == 408 || status == 409 || status == 429 || status >= 500
    }

    /// The wait before retry number `retry` (1-based): the server's `retry-after-ms` / `retry-after` when it
    /// gave a sensible one, else exponential backoff with up to 25 % jitter subtracted.
    public func delay(retry: Int, retryAfterMilliseconds: Int?) -> Duration {
        if let retryAfterMilliseconds, retryAfterMilliseconds >= 0, retryAfterMilliseconds <= 60_000 {
            return .milliseconds(retryAfterMilliseconds)
        }
        let base = initialBackoff * (1 << min(max(retry - 1, 0), 16))
        let capped = min(base, maxBackoff)
        return capped * (1 - 0.25 * Double.random(in: 0...1))
    }

    /// Parses `retry-after-ms` (milliseconds) or `retry-after` (seconds, or an HTTP date) into milliseconds.
    static func retryAfterMilliseconds(retryAfterMs: String?, retryAfter: String?, now: Date) -> Int? {
        if let retryAfterMs, let value = Double(retryAfterMs.trimmingCharacters(in: .whitespaces)) {
            return Int(value)
        }
        guard let retryAfter = retryAfter?.trimmingCharacters(in: .whitespaces), !retryAfter.isEmpty else { return nil }
        if let seconds = Double(retryAfter) { return Int(seconds * 1000) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: retryAfter) else { return nil }
        return max(0, Int(date.timeIntervalSince(now) * 1000))
    }
}
