import Foundation
import PluginAPI

/// A fake of Gemini's `streamGenerateContent?alt=sse` endpoint on 127.0.0.1, scripted per test.
///
/// It checks what the real API checks first (path, `alt=sse`, `x-goog-api-key`) and answers with Gemini's
/// error bodies when those are wrong; otherwise it plays the queued ``FakeReply``s in order, one per request.
///
/// ```swift
/// try await FakeGeminiServer.run { gemini in
///     gemini.enqueue(FakeGeminiServer.text(["Hello", " there."]))
///     // point the gemini plugin at gemini.baseURL with api_key gemini.apiKey …
/// }
/// ```
public struct FakeGeminiServer: Sendable {
    /// `http://127.0.0.1:<port>` (the plugin appends `/v1beta/…`).
    public let baseURL: String
    /// The only key accepted.
    public let apiKey: String
    private let server: FakeStreamingServer

    /// Starts the fake on a free port, runs `body` and stops the fake.
    public static func run<Result: Sendable>(
        apiKey: String = "gemini-test-key", _ body: @Sendable (FakeGeminiServer) async throws -> Result
    ) async throws -> Result {
        let server = FakeStreamingServer(
            unscripted: error(code: 500, status: "INTERNAL", message: "the fake has no scripted reply"),
            check: { request in check(request, apiKey: apiKey) })
        return try await server.serve(name: "fake-gemini") { baseURL in
            try await body(FakeGeminiServer(baseURL: baseURL, apiKey: apiKey, server: server))
        }
    }

    /// Queues replies, answered in order, one per request.
    public func enqueue(_ replies: FakeReply...) { for reply in replies { server.enqueue(reply) } }
    /// Every request received so far.
    public var requests: [RecordedRequest] { server.requests }
    /// How many streams the client abandoned by closing the connection.
    public var disconnects: Int { server.disconnects }
    /// Waits (at most `limit`) until the client has closed `count` streams early.
    public func waitForDisconnects(_ count: Int = 1, limit: Duration = .seconds(5)) async -> Bool {
        await server.waitForDisconnects(count, limit: limit)
    }

    private static func check(_ request: RecordedRequest, apiKey: String) -> FakeReply? {
        let path = request.uri.split(separator: "?").first.map(String.init) ?? request.uri
        if request.method == "GET", path == "/v1beta/models" {  // the model list, as Gemini answers it
            guard request.headers["x-goog-api-key"] == apiKey else {
                return error(code: 400, status: "INVALID_ARGUMENT", message: "API key not valid. Please pass a valid API key.")
            }
            return FakeReply(steps: [.send(#"{"models":[{"name":"models/gemini-2.5-flash"},{"name":"models/gemini-2.5-pro"}]}"#)])
        }
        guard request.method == "POST", path.hasPrefix("/v1beta/models/"), path.hasSuffix(":streamGenerateContent") else {
            return error(code: 404, status: "NOT_FOUND", message: "Requested entity was not found.")
        }
        guard request.uri.contains("alt=sse") else {
            return error(code: 400, status: "INVALID_ARGUMENT", message: "the fake only streams with alt=sse")
        }
        guard request.headers["x-goog-api-key"] == apiKey else {
            return error(code: 400, status: "INVALID_ARGUMENT", message: "API key not valid. Please pass a valid API key.")
        }
        guard request.body?["contents"]?.arrayValue?.isEmpty == false else {
            return error(code: 400, status: "INVALID_ARGUMENT", message: "* GenerateContentRequest.contents: contents is not specified")
        }
        return nil
    }

    // MARK: - Replies

    /// A streamed text answer: one chunk per element, then a final chunk with `finishReason` and usage.
    public static func text(_ chunks: [String], framing: SSEFraming = .crlf, finishReason: String = "STOP") -> FakeReply {
        .stream(chunks.map { .send(framing.event(textChunk($0))) } + [.send(framing.event(finishChunk(finishReason)))])
    }

    /// A streamed answer with optional text first, then `calls` in one chunk (only the first signed, as
    /// Gemini 3 does) with `finishReason: STOP`.
    public static func functionCalls(
        _ calls: [(name: String, args: JSONValue)], text: String? = nil, signature: String? = "c2lnLTE=", framing: SSEFraming = .crlf
    ) -> FakeReply {
        var steps: [FakeReply.Step] = []
        if let text { steps.append(.send(framing.event(textChunk(text)))) }
        let parts: [JSONValue] = calls.enumerated().map { offset, call in
            var part: [String: JSONValue] = ["functionCall": ["name": .string(call.name), "args": call.args]]
            if offset == 0, let signature { part["thoughtSignature"] = .string(signature) }
            return .object(part)
        }
        steps.append(.send(framing.event(chunk(parts: parts, finishReason: "STOP"))))
        return .stream(steps)
    }

    /// An HTTP error with Gemini's error body.
    public static func error(code: Int, status: String, message: String, details: [JSONValue] = []) -> FakeReply {
        .error(status: code, body: errorBody(code: code, status: status, message: message, details: details))
    }

    /// 429 for a per-minute quota, asking for a retry after `retryDelay` (e.g. `"0.05s"`).
    public static func rateLimited(retryDelay: String) -> FakeReply {
        error(code: 429, status: "RESOURCE_EXHAUSTED", message: "Resource has been exhausted (e.g. check quota).", details: [
            ["@type": "type.googleapis.com/google.rpc.QuotaFailure",
             "violations": [["quotaMetric": "generativelanguage.googleapis.com/generate_content_free_tier_requests",
                             "quotaId": "GenerateRequestsPerMinutePerProjectPerModel-FreeTier"]]],
            ["@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": .string(retryDelay)],
        ])
    }

    /// 429 for the daily quota (which only resets tomorrow).
    public static func dailyQuotaExhausted() -> FakeReply {
        error(code: 429, status: "RESOURCE_EXHAUSTED", message: "You exceeded your current quota.", details: [
            ["@type": "type.googleapis.com/google.rpc.QuotaFailure",
             "violations": [["quotaMetric": "generativelanguage.googleapis.com/generate_content_free_tier_requests",
                             "quotaId": "GenerateRequestsPerDayPerProjectPerModel-FreeTier"]]],
            ["@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "0.01s"],
        ])
    }

    /// 503 "The model is overloaded."
    public static func overloaded() -> FakeReply {
        error(code: 503, status: "UNAVAILABLE", message: "The model is overloaded. Please try again later.")
    }

    // MARK: - Wire pieces

    /// The JSON of a chunk holding one text part (optionally carrying a thought signature).
    public static func textChunk(_ text: String, signature: String? = nil) -> String {
        var part: [String: JSONValue] = ["text": .string(text)]
        if let signature { part["thoughtSignature"] = .string(signature) }
        return chunk(parts: [.object(part)])
    }

    /// The JSON of a final chunk: no parts, a `finishReason` and usage.
    public static func finishChunk(_ reason: String = "STOP", promptTokens: Int = 12, outputTokens: Int = 7) -> String {
        JSONValue.object([
            "candidates": [["content": ["role": "model"], "finishReason": .string(reason), "index": 0]],
            "usageMetadata": usage(promptTokens, outputTokens), "modelVersion": "gemini-2.5-flash", "responseId": "fake-1",
        ]).canonicalJSON
    }

    /// The JSON of a chunk with `parts` (and optionally a `finishReason`).
    public static func chunk(parts: [JSONValue], finishReason: String? = nil) -> String {
        var candidate: [String: JSONValue] = ["content": ["role": "model", "parts": .array(parts)], "index": 0]
        if let finishReason { candidate["finishReason"] = .string(finishReason) }
        return JSONValue.object([
            "candidates": [.object(candidate)], "usageMetadata": usage(12, 3), "modelVersion": "gemini-2.5-flash", "responseId": "fake-1",
        ]).canonicalJSON
    }

    /// Gemini's error object as JSON.
    public static func errorBody(code: Int, status: String, message: String, details: [JSONValue] = []) -> String {
        var error: [String: JSONValue] = ["code": .int(code), "message": .string(message), "status": .string(status)]
        if !details.isEmpty { error["details"] = .array(details) }
        return JSONValue.object(["error": .object(error)]).canonicalJSON
    }

    private static func usage(_ prompt: Int, _ output: Int) -> JSONValue {
        ["promptTokenCount": .int(prompt), "candidatesTokenCount": .int(output), "totalTokenCount": .int(prompt + output)]
    }
}
