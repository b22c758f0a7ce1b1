import Foundation
import Hummingbird
import Logging
import NIOCore
import PluginAPI

/// Reads a Retell request's body (at most ``maxBodyBytes``) and checks its `X-Retell-Signature`, before
/// anything is decoded: the digest is over the exact bytes received.
struct SignedRequestReader: Sendable {
    /// Webhook and custom-function bodies may be this large (long calls carry long transcripts).
    static let maxBodyBytes = 16 * 1024 * 1024

    /// The Retell API key (also the signing key); `nil` when not configured.
    let apiKey: String?
    /// `server.verify_signatures`.
    let verifySignatures: Bool
    let clock: WallClock
    let logger: Logger

    init(runtime: SwitchboardRuntime) {
        apiKey = runtime.catalog.config.retell.apiKey
        verifySignatures = runtime.catalog.config.server.verifySignatures
        clock = runtime.clock
        logger = runtime.logger
    }

    /// What came of reading a request.
    enum Outcome {
        /// The raw body, signature verified (or verification off).
        case body(ByteBuffer)
        /// The answer to send instead (413, 401).
        case reject(Response)
    }

    /// Collects the body and verifies it. Rejections are logged with their reason, never with the key.
    func read(_ request: Request) async throws -> Outcome {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > Self.maxBodyBytes {
            return .reject(tooLarge(request, size: length))
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: Self.maxBodyBytes)
        } catch is NIOTooManyBytesError {
            return .reject(tooLarge(request, size: nil))
        }
        guard verifySignatures else { return .body(body) }
        guard let apiKey else {
            logger.warning("rejected a Retell request: retell.api_key is not set", metadata: ["path": "\(request.uri.path)"])
            return .reject(.jsonError(
                "retell.api_key is not set, so Retell signatures cannot be verified (set RETELL_API_KEY)", status: .unauthorized))
        }
        do {
            try RetellSignature.verify(
                body: body.readableBytesView, header: Self.signatureHeader(request), apiKey: apiKey, now: clock.now())
        } catch {
            logger.warning("rejected a Retell request: bad signature", metadata: [
                "path": "\(request.uri.path)", "reason": "\(error.description)",
            ])
            return .reject(.jsonError("invalid X-Retell-Signature: \(error.description)", status: .unauthorized))
        }
        return .body(body)
    }

    /// `X-Retell-Signature` (header names are case-insensitive).
    static func signatureHeader(_ request: Request) -> String? {
        request.headers.first { $0.name.canonicalName == "x-retell-signature" }?.value
    }

    private func tooLarge(_ request: Request, size: Int?) -> Response {
        logger.warning("rejected a Retell request: body too large", metadata: [
            "path": "\(request.uri.path)", "bytes": "\(size.map(String.init) ?? "more than \(Self.maxBodyBytes)")",
        ])
        return .jsonError("request body is larger than \(Self.maxBodyBytes) bytes (16 MiB)", status: .contentTooLarge)
    }
}

/// A JSON request body: raw bytes checked to be UTF-8 and parsed.
enum JSONBody {
    /// The parsed body, or a 400 answer explaining what is wrong.
    static func parse(_ body: ByteBuffer) -> Result<(json: JSONValue, text: String), RejectedBody> {
        let bytes = body.readableBytesView
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return .failure(RejectedBody(message: "request body is not valid UTF-8"))
        }
        do {
            return .success((try JSONValue(parsing: Data(bytes)), text))
        } catch {
            return .failure(RejectedBody(message: "request body is not valid JSON: \(error)"))
        }
    }
}

/// A body that could not be used; answered with 400.
struct RejectedBody: Error {
    var message: String
    var response: Response { .jsonError(message, status: .badRequest) }
}
