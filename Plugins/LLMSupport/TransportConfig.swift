import Foundation
import PluginAPI

/// The settings both LLM plugins read the same way: base URL, timeouts and retries.
public struct TransportConfig: Sendable, Hashable {
    public var timeouts: StreamTimeouts
    public var retry: RetryPolicy

    public init(timeouts: StreamTimeouts = StreamTimeouts(), retry: RetryPolicy = RetryPolicy()) {
        self.timeouts = timeouts
        self.retry = retry
    }
}

extension ConfigReader {
    /// Reads `timeouts` (`connect`, `first_chunk`, `idle`), `max_retries`, `retry_delay` and
    /// `max_retry_delay`, reporting every problem.
    public mutating func transportConfig() -> TransportConfig {
        var config = TransportConfig()
        if let node = node("timeouts") {
            var nested = ConfigReader(node)
            config.timeouts.connect = nested.duration("connect", default: config.timeouts.connect)
            config.timeouts.firstChunk = nested.duration("first_chunk", default: config.timeouts.firstChunk)
            config.timeouts.idle = nested.duration("idle", default: config.timeouts.idle)
            nested.finish()
            absorb(nested.issues)
        }
        config.retry.maxRetries = int("max_retries", default: config.retry.maxRetries, in: 0...5) ?? config.retry.maxRetries
        config.retry.baseDelay = duration("retry_delay", default: config.retry.baseDelay)
        config.retry.maxDelay = duration("max_retry_delay", default: config.retry.maxDelay)
        return config
    }

    /// Reads an `http`/`https` base URL and returns it without a trailing slash.
    public mutating func baseURL(_ key: String, default fallback: String) -> String {
        let text = string(key, default: fallback) ?? fallback
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            url.host?.isEmpty == false
        else {
            report("expected an http or https URL, got '\(text)'", at: node[key])
            return fallback
        }
        var trimmed = text
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        return trimmed
    }
}
