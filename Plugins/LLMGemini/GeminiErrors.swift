import Foundation
import LLMSupport
import NIOCore
import NIOHTTP1
import PluginAPI

/// Gemini's error object: `{"error": {"code", "message", "status", "details": [...]}}`.
struct GeminiErrorBody: Decodable {
    struct Detail: Decodable {
        struct Violation: Decodable {
            var quotaId: String?
            var quotaMetric: String?
        }

        var type: String?
        var retryDelay: String?
        var violations: [Violation]?

        enum CodingKeys: String, CodingKey {
            case type = "@type"
            case retryDelay, violations
        }
    }

    var code: Int?
    var message: String?
    var status: String?
    var details: [Detail]?
}

/// Maps Gemini's errors (HTTP status, or an error object inside the stream) to failures (spec §A7).
enum GeminiErrors {
    /// 408, 429 (per-minute limits), 500, 502, 503 and 504 may succeed on a second try.
    static let retryableStatuses: Set<Int> = [408, 429, 500, 502, 503, 504]

    /// The failure for a non-2xx response.
    static func failure(status: Int, headers: HTTPHeaders, body: ByteBuffer) -> ProviderFailure {
        let data = Data(body.readableBytesView)
        let decoder = JSONDecoder()
        struct Envelope: Decodable { var error: GeminiErrorBody }
        let parsed = (try? decoder.decode(Envelope.self, from: data))?.error
            ?? (try? decoder.decode([Envelope].self, from: data))?.first?.error
        guard let parsed else {
            let text = String(decoding: data.prefix(300), as: UTF8.self)
            var failure = ProviderFailure.forStatus(status, message: text.isEmpty ? "HTTP \(status)" : text, retryableStatuses: retryableStatuses)
            failure.retryAfter = retryAfterHeader(headers)
            return failure
        }
        return failure(parsed, status: status, headers: headers)
    }

    /// The failure for an error object (`status` is the HTTP status, or the object's `code` mid-stream).
    static func failure(_ error: GeminiErrorBody, status: Int?, headers: HTTPHeaders) -> ProviderFailure {
        let code = status ?? error.code ?? 500
        let message = [error.status, error.message].compactMap { $0 }.joined(separator: ": ")
        var failure = ProviderFailure.forStatus(code, message: message.isEmpty ? "HTTP \(code)" : message, retryableStatuses: retryableStatuses)
        let details = error.details ?? []
        if let delay = details.first(where: { $0.type?.hasSuffix("google.rpc.RetryInfo") == true })?.retryDelay {
            failure.retryAfter = parseDelay(delay)
        }
        if failure.retryAfter == nil { failure.retryAfter = retryAfterHeader(headers) }
        let quotas = details.flatMap { $0.violations ?? [] }.compactMap { $0.quotaId ?? $0.quotaMetric }
        if code == 429, quotas.contains(where: { $0.contains("PerDay") || $0.lowercased().contains("per_day") }) {
            // A daily quota only resets tomorrow: waiting a second will not help.
            failure.isRetryable = false
            failure.error.message += " (daily quota)"
        }
        return failure
    }

    private static func retryAfterHeader(_ headers: HTTPHeaders) -> Duration? {
        headers.first(name: "retry-after").flatMap(parseDelay)
    }
}
