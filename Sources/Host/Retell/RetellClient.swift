import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// A typed client for Retell's REST management API (agents, phone numbers, calls, SMS chats).
///
/// Requests carry `Authorization: Bearer <api key>` and JSON bodies; error bodies become
/// ``RetellAPIError``s. Idempotent requests are retried on 408/409/429/5xx and connection failures
/// (``RetellRetryPolicy``); creating requests never are.
public struct RetellClient: Sendable {
    /// The base URL without a trailing slash, e.g. `https://api.retellai.com`.
    public let baseURL: String
    let apiKey: String
    let http: HTTPClient
    public var retry: RetellRetryPolicy
    /// Timeout of one attempt.
    public var timeout: Duration
    /// Timeout of one attempt of `/v3/list-calls` (Retell's SDKs allow it longer).
    public var listCallsTimeout: Duration
    let logger: Logger

    public init(
        apiKey: String, baseURL: String = "https://api.retellai.com", httpClient: HTTPClient,
        retry: RetellRetryPolicy = RetellRetryPolicy(), timeout: Duration = .seconds(60),
        listCallsTimeout: Duration = .seconds(300), logger: Logger = Logger(label: "switchboard.retell")
    ) {
        self.apiKey = apiKey
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.http = httpClient
        self.retry = retry
        self.timeout = timeout
        self.listCallsTimeout = listCallsTimeout
        self.logger = logger
    }

    /// A client for agents.yaml's `retell` section; throws ``RetellError/notConfigured(_:)`` without an API key.
    public init(config: RetellConfig, httpClient: HTTPClient, logger: Logger = Logger(label: "switchboard.retell")) throws(RetellError) {
        guard let key = config.apiKey, !key.isEmpty else {
            throw .notConfigured("no Retell API key: set RETELL_API_KEY (agents.yaml retell.api_key)")
        }
        self.init(apiKey: key, baseURL: config.baseURL, httpClient: httpClient, logger: logger)
    }

    // MARK: - Requests

    /// Whether a request may be sent again after a failure.
    enum Safety {
        /// Reads, and updates/deletes that set a state: repeating them changes nothing.
        case idempotent
        /// Creates something (or triggers an effect): never repeated.
        case once
    }

    /// A response: status, headers and the body bytes.
    struct RawResponse {
        var status: Int
        var headers: HTTPHeaders
        var body: ByteBuffer
    }

    /// Sends a request and decodes the JSON response as `Response`.
    func send<Response: Decodable>(
        _ method: HTTPMethod, _ path: String, query: [(String, String?)] = [], body: (any Encodable)? = nil,
        safety: Safety, timeout: Duration? = nil, as type: Response.Type = Response.self
    ) async throws(RetellError) -> Response {
        let label = "\(method.rawValue) \(path)"
        let response = try await perform(method, path, query: query, body: body, safety: safety, timeout: timeout)
        do {
            return try Self.decoder.decode(Response.self, from: response.body)
        } catch {
            throw .invalidResponse(request: label, message: "\(error)")
        }
    }

    /// Sends a request whose response body is not needed (`204`, or an empty `200`).
    func sendIgnoringBody(
        _ method: HTTPMethod, _ path: String, query: [(String, String?)] = [], body: (any Encodable)? = nil, safety: Safety
    ) async throws(RetellError) {
        _ = try await perform(method, path, query: query, body: body, safety: safety, timeout: nil)
    }

    /// Sends a request with retries where ``Safety`` allows; returns a 2xx response or throws.
    func perform(
        _ method: HTTPMethod, _ path: String, query: [(String, String?)], body: (any Encodable)?, safety: Safety,
        timeout: Duration?
    ) async throws(RetellError) -> RawResponse {
        let label = "\(method.rawValue) \(path)"
        var request = HTTPClientRequest(url: baseURL + path + Self.queryString(query))
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(apiKey)")
        request.headers.add(name: "Accept", value: "application/json")
        if let body {
            do {
                request.body = .bytes(ByteBuffer(data: try Self.encoder.encode(body)))
            } catch {
                throw .invalidResponse(request: label, message: "could not encode the request: \(error)")
            }
            request.headers.add(name: "Content-Type", value: "application/json")
        }
        let attemptTimeout = timeout ?? self.timeout
        var attempt = 0
        while true {
            attempt += 1
            let outcome = await attemptOnce(request, label: label, timeout: attemptTimeout)
            let canRetry = safety == .idempotent && attempt <= retry.maxRetries
            switch outcome {
            case .success(let response) where (200..<300).contains(response.status):
                return response
            case .success(let response):
                let error = Self.apiError(response, request: label)
                let shouldRetry = response.headers.first(name: "x-should-retry").map { $0 == "true" }
                    ?? RetellRetryPolicy.isRetryable(status: response.status)
                guard canRetry, shouldRetry else { throw .api(error) }
                let after = RetellRetryPolicy.retryAfterMilliseconds(
                    retryAfterMs: response.headers.first(name: "retry-after-ms"),
                    retryAfter: response.headers.first(name: "retry-after"), now: Date())
                await wait(retry: attempt, retryAfterMilliseconds: after, label: label, reason: "\(response.status)")
            case .failure(let error):
                guard canRetry else { throw error }
                await wait(retry: attempt, retryAfterMilliseconds: nil, label: label, reason: error.description)
            }
        }
    }

    private func wait(retry number: Int, retryAfterMilliseconds: Int?, label: String, reason: String) async {
        let delay = retry.delay(retry: number, retryAfterMilliseconds: retryAfterMilliseconds)
        logger.info("retrying Retell request", metadata: ["request": "\(label)", "reason": "\(reason)", "retry": "\(number)"])
        try? await Task.sleep(for: delay)
    }

    private func attemptOnce(_ request: HTTPClientRequest, label: String, timeout: Duration) async -> Result<RawResponse, RetellError> {
        do {
            let response = try await http.execute(request, timeout: .milliseconds(Int64(timeout / .milliseconds(1))), logger: logger)
            let body = try await response.body.collect(upTo: 64 << 20)
            return .success(RawResponse(status: Int(response.status.code), headers: response.headers, body: body))
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            return .failure(.timedOut(request: label))
        } catch {
            return .failure(.transport(request: label, message: "\(error)"))
        }
    }

    /// Retell's `{"status":"error","message":"…"}`, or the raw text when the body has another shape.
    static func apiError(_ response: RawResponse, request: String) -> RetellAPIError {
        struct Body: Decodable { var message: String? }
        let text = String(buffer: response.body)
        let message = (try? decoder.decode(Body.self, from: response.body))?.message
            ?? (text.isEmpty ? HTTPResponseStatus(statusCode: response.status).reasonPhrase : String(text.prefix(500)))
        return RetellAPIError(status: response.status, message: message, request: request)
    }

    // MARK: - Encoding

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static let decoder = JSONDecoder()

    /// A path segment with everything but unreserved characters percent-encoded (`+` → `%2B`).
    static func segment(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// `?a=1&b=2` from the pairs with a value; empty when none has one.
    static func queryString(_ query: [(String, String?)]) -> String {
        let pairs = query.compactMap { key, value in value.map { "\(segment(key))=\(segment($0))" } }
        return pairs.isEmpty ? "" : "?" + pairs.joined(separator: "&")
    }
}
