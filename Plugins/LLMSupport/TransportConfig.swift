import Foundation
import PluginAPI

/// The settings both LLM plugins read the same way: base URL, timeouts, retries and HTTP client.
public struct TransportConfig: Sendable, Hashable {
    /// Which HTTP client carries the streaming requests.
    public enum HTTPClientChoice: String, Sendable, Hashable, CaseIterable {
        /// `http://` URLs: Switchboard's own HTTP/1.1 client, connections pooled per event loop (a call's
        /// LLM stream is read on its socket's thread); `https://`: AsyncHTTPClient, HTTP/2 where offered.
        case automatic = "auto"
        /// AsyncHTTPClient for every URL.
        case asyncHTTPClient = "async-http-client"
    }

    public var timeouts: StreamTimeouts
    public var retry: RetryPolicy
    public var httpClient: HTTPClientChoice

    public init(timeouts: StreamTimeouts = StreamTimeouts(), retry: RetryPolicy = RetryPolicy(), httpClient: HTTPClientChoice = .automatic) {
        self.timeouts = timeouts
        self.retry = retry
        self.httpClient = httpClient
    }
}

extension ConfigReader {
    /// Reads `timeouts` (`connect`, `first_chunk`, `idle`), `max_retries`, `retry_delay`,
    /// `max_retry_delay` and `http_client`, reporting every problem.
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
        let choices = TransportConfig.HTTPClientChoice.allCases
        let client = choice("http_client", choices.map(\.rawValue), default: config.httpClient.rawValue)
        config.httpClient = TransportConfig.HTTPClientChoice(rawValue: client) ?? config.httpClient
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
