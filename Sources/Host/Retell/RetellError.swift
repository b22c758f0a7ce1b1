import Foundation

/// Retell's error body (`{"status":"error","message":"…"}`) with the HTTP status it came with.
public struct RetellAPIError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What the status means, as Retell documents it.
    public enum Kind: Sendable, Hashable {
        case badRequest, unauthorized, paymentRequired, forbidden, notFound, unprocessable, rateLimited, serverError, other
    }

    public var status: Int
    /// Retell's `message` (or the raw body when it was not Retell's JSON shape).
    public var message: String
    /// The request that failed, e.g. `POST /create-agent`.
    public var request: String

    public init(status: Int, message: String, request: String) {
        self.status = status
        self.message = message
        self.request = request
    }

    public var kind: Kind {
        switch status {
        case 400: return .badRequest
        case 401: return .unauthorized
        case 402: return .paymentRequired
        case 403: return .forbidden
        case 404: return .notFound
        case 422: return .unprocessable
        case 429: return .rateLimited
        case 500...599: return .serverError
        default: return .other
        }
    }

    public var description: String {
        let hint: String
        switch kind {
        case .unauthorized: hint = " (check RETELL_API_KEY)"
        case .paymentRequired: hint = " (the Retell workspace needs a payment method)"
        case .unprocessable: hint = " (usually: the id is not known under this API key)"
        case .rateLimited: hint = " (rate-limited by Retell)"
        default: hint = ""
        }
        return "Retell \(request) failed with \(status): \(message)\(hint)"
    }
}

/// Everything that can go wrong talking to Retell's REST API.
public enum RetellError: Error, Sendable, CustomStringConvertible {
    /// No API key configured (`retell.api_key` / `RETELL_API_KEY`).
    case notConfigured(String)
    /// Retell answered with an error status.
    case api(RetellAPIError)
    /// The request did not finish within its timeout.
    case timedOut(request: String)
    /// The connection failed (DNS, refused, reset, TLS, …).
    case transport(request: String, message: String)
    /// A 2xx response whose body is not what the API documents.
    case invalidResponse(request: String, message: String)

    /// The API error, when Retell answered with an error status.
    public var apiError: RetellAPIError? {
        if case .api(let error) = self { return error }
        return nil
    }

    public var description: String {
        switch self {
        case .notConfigured(let message): return message
        case .api(let error): return error.description
        case .timedOut(let request): return "Retell \(request) timed out"
        case .transport(let request, let message): return "Retell \(request) could not be sent: \(message)"
        case .invalidResponse(let request, let message): return "Retell \(request) returned an unexpected body: \(message)"
        }
    }
}
