import PluginAPI

/// A failed attempt at a provider request, with what the retry loop needs to know about it.
public struct ProviderFailure: Error, Sendable, CustomStringConvertible {
    /// The error the caller sees if the attempt is not retried.
    public var error: LLMError
    /// Whether another attempt may succeed (only ever used before anything went downstream).
    public var isRetryable: Bool
    /// How long the provider asked us to wait before trying again (RetryInfo, `Retry-After`).
    public var retryAfter: Duration?

    public init(_ error: LLMError, retryable: Bool, retryAfter: Duration? = nil) {
        self.error = error
        self.isRetryable = retryable
        self.retryAfter = retryAfter
    }

    public var description: String { error.description }

    /// The failure for an HTTP status that carries no more specific information.
    public static func forStatus(_ status: Int, message: String, retryableStatuses: Set<Int>) -> ProviderFailure {
        ProviderFailure(LLMError(kind(forStatus: status), status: status, message: message), retryable: retryableStatuses.contains(status))
    }

    /// The ``LLMError/Kind`` an HTTP status usually means.
    public static func kind(forStatus status: Int) -> LLMError.Kind {
        switch status {
        case 401, 403: return .authentication
        case 408, 504: return .timeout
        case 429: return .rateLimited
        case 500...599: return .unavailable
        default: return .invalidRequest
        }
    }
}

/// Parses a delay written as a protobuf Duration (`"12.77s"`) or as plain seconds (`"3"`).
public func parseDelay(_ text: String) -> Duration? {
    var trimmed = Substring(text.trimmingCharactersInSpace())
    if trimmed.hasSuffix("s") { trimmed = trimmed.dropLast() }
    guard let seconds = Double(trimmed), seconds >= 0, seconds.isFinite else { return nil }
    return .milliseconds(Int((seconds * 1000).rounded(.up)))
}

extension String {
    func trimmingCharactersInSpace() -> String {
        var view = Substring(self)
        while view.first?.isWhitespace == true { view = view.dropFirst() }
        while view.last?.isWhitespace == true { view = view.dropLast() }
        return String(view)
    }

    /// This text with every occurrence of `secret` replaced, so an API key never reaches an error message.
    public func redacting(_ secret: String) -> String {
        guard secret.count >= 4 else { return self }
        return replacingOccurrences(of: secret, with: "[redacted]")
    }
}
