import Foundation
import LLMSupport
import NIOCore
import NIOHTTP1
import PluginAPI

/// OpenAI's error object `{"error": {"message", "type", "param", "code"}}`; some compatible servers send
/// `{"error": "text"}` instead.
struct OpenAIErrorBody: Decodable {
    var message: String?
    var type: String?
    var code: String?
    /// A numeric `code`, as some compatible servers send.
    var status: Int?

    private enum Keys: String, CodingKey { case message, type, code }

    init(message: String) {
        self.message = message
    }

    init(from decoder: any Decoder) throws {
        if let text = try? decoder.singleValueContainer().decode(String.self) {
            message = text
            return
        }
        let container = try decoder.container(keyedBy: Keys.self)
        message = try? container.decode(String.self, forKey: .message)
        type = try? container.decode(String.self, forKey: .type)
        if let number = try? container.decode(Int.self, forKey: .code) {
            status = number
        } else {
            code = try? container.decode(String.self, forKey: .code)
        }
    }
}

/// Maps errors of OpenAI-compatible servers to failures (spec §B6).
enum OpenAIErrors {
    /// 429 codes that mean billing has run out: waiting will not help.
    static let fatalQuotaCodes: Set<String> = ["insufficient_quota", "credit_balance_exhausted", "billing_hard_limit_reached"]

    /// The failure for a non-2xx response.
    static func failure(status: Int, headers: HTTPHeaders, body: ByteBuffer) -> ProviderFailure {
        struct Envelope: Decodable { var error: OpenAIErrorBody }
        let data = Data(body.readableBytesView)
        guard let parsed = (try? JSONDecoder().decode(Envelope.self, from: data))?.error else {
            let text = String(decoding: data.prefix(300), as: UTF8.self)
            return applyRetryRules(ProviderFailure.forStatus(status, message: text.isEmpty ? "HTTP \(status)" : text, retryableStatuses: []), status: status, headers: headers)
        }
        return failure(parsed, status: status, headers: headers)
    }

    /// The failure for an error object (`status` is the HTTP status, `nil` inside a stream).
    static func failure(_ error: OpenAIErrorBody, status: Int?, headers: HTTPHeaders) -> ProviderFailure {
        let code = status ?? error.status ?? 500
        let message = [error.code ?? error.type, error.message].compactMap { $0 }.joined(separator: ": ")
        var failure = applyRetryRules(
            ProviderFailure.forStatus(code, message: message.isEmpty ? "HTTP \(code)" : message, retryableStatuses: []), status: code, headers: headers)
        let reasons = [error.code, error.type].compactMap { $0 }
        if code == 429, reasons.contains(where: { fatalQuotaCodes.contains($0) || $0.hasSuffix("_spend_limit_exceeded") }) {
            failure.isRetryable = false
        }
        return failure
    }

    /// Retries 408, 409, 429 and 5xx, honouring `retry-after-ms`, `retry-after` and `x-should-retry`.
    private static func applyRetryRules(_ failure: ProviderFailure, status: Int, headers: HTTPHeaders) -> ProviderFailure {
        var failure = failure
        failure.isRetryable = [408, 409, 429].contains(status) || (500...599).contains(status)
        switch headers.first(name: "x-should-retry")?.lowercased() {
        case "true": failure.isRetryable = true
        case "false": failure.isRetryable = false
        default: break
        }
        if let milliseconds = headers.first(name: "retry-after-ms").flatMap(Double.init), milliseconds >= 0 {
            failure.retryAfter = .milliseconds(Int(milliseconds.rounded(.up)))
        } else if let seconds = headers.first(name: "retry-after").flatMap(parseDelay) {
            failure.retryAfter = seconds
        }
        return failure
    }
}
