import Foundation
import PluginAPI

/// A fake of an OpenAI-compatible `/v1/chat/completions` endpoint on 127.0.0.1, scripted per test.
///
/// It answers 404 for other paths, 400 when `stream` is not true, and 401 when it was given a key and the
/// request's bearer token differs (with no key it accepts anything, like Ollama); otherwise it plays the
/// queued ``FakeReply``s in order, one per request.
public struct FakeOpenAIServer: Sendable {
    /// `http://127.0.0.1:<port>/v1` (what `base_url` takes).
    public let baseURL: String
    /// The key required as `Authorization: Bearer …`, or `nil` for none.
    public let apiKey: String?
    private let server: FakeStreamingServer

    /// Starts the fake on a free port, runs `body` and stops the fake.
    public static func run<Result: Sendable>(
        apiKey: String? = "sk-test-openai", _ body: @Sendable (FakeOpenAIServer) async throws -> Result
    ) async throws -> Result {
        let server = FakeStreamingServer(
            unscripted: error(status: 500, message: "the fake has no scripted reply", type: "server_error"),
            check: { request in check(request, apiKey: apiKey) })
        return try await server.serve(name: "fake-openai") { root in
            try await body(FakeOpenAIServer(baseURL: root + "/v1", apiKey: apiKey, server: server))
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

    private static func check(_ request: RecordedRequest, apiKey: String?) -> FakeReply? {
        if request.method == "GET", request.uri == "/v1/models" {  // the model list, as OpenAI answers it
            return FakeReply(steps: [.send(#"{"object":"list","data":[{"id":"gpt-4o-mini","object":"model"},{"id":"llama3.2","object":"model"}]}"#)])
        }
        guard request.method == "POST", request.uri == "/v1/chat/completions" else {
            return error(status: 404, message: "Unknown request URL: \(request.method) \(request.uri)", type: "invalid_request_error")
        }
        if let apiKey, request.headers["authorization"] != "Bearer \(apiKey)" {
            return error(status: 401, message: "Incorrect API key provided.", type: "invalid_request_error", code: "invalid_api_key")
        }
        guard request.bodyFlag("stream") else {
            return error(status: 400, message: "the fake only streams (stream: true)", type: "invalid_request_error")
        }
        return nil
    }

    // MARK: - Replies

    /// A streamed text answer: one chunk per element, a `stop` chunk, the usage chunk and `[DONE]`.
    public static func text(_ chunks: [String], framing: SSEFraming = .lf) -> FakeReply {
        var steps: [FakeReply.Step] = [.send(framing.event(chunk(delta: ["role": "assistant", "content": ""])))]
        steps += chunks.map { .send(framing.event(chunk(delta: ["content": .string($0)]))) }
        steps.append(.send(framing.event(chunk(delta: [:], finishReason: "stop"))))
        steps.append(.send(framing.event(usageChunk())))
        steps.append(.send(framing.event("[DONE]")))
        return .stream(steps)
    }

    /// A streamed tool-call answer as OpenAI sends it: each call's id and name first, then its arguments in
    /// fragments of `fragmentSize` characters, then `finishReason`, usage and `[DONE]`.
    public static func toolCalls(
        _ calls: [(id: String, name: String, arguments: JSONValue)], text: String? = nil, fragmentSize: Int = 5,
        finishReason: String = "tool_calls", framing: SSEFraming = .lf
    ) -> FakeReply {
        var steps: [FakeReply.Step] = []
        if let text { steps.append(.send(framing.event(chunk(delta: ["role": "assistant", "content": .string(text)])))) }
        for (index, call) in calls.enumerated() {
            steps.append(.send(framing.event(chunk(delta: ["tool_calls": [[
                "index": .int(index), "id": .string(call.id), "type": "function",
                "function": ["name": .string(call.name), "arguments": ""],
            ]]]))))
            let arguments = Array(call.arguments.canonicalJSON)
            for start in stride(from: 0, to: arguments.count, by: max(1, fragmentSize)) {
                let piece = String(arguments[start..<min(start + fragmentSize, arguments.count)])
                steps.append(.send(framing.event(chunk(delta: ["tool_calls": [["index": .int(index), "function": ["arguments": .string(piece)]]]]))))
            }
        }
        steps.append(.send(framing.event(chunk(delta: [:], finishReason: finishReason))))
        steps.append(.send(framing.event(usageChunk())))
        steps.append(.send(framing.event("[DONE]")))
        return .stream(steps)
    }

    /// An HTTP error with OpenAI's error body.
    public static func error(status: Int, message: String, type: String, code: String? = nil, headers: [String: String] = [:]) -> FakeReply {
        .error(status: status, body: errorBody(message: message, type: type, code: code), headers: headers)
    }

    /// 429 for a temporary rate limit, asking for a retry after `retryAfterMilliseconds`.
    public static func rateLimited(retryAfterMilliseconds: Int) -> FakeReply {
        error(status: 429, message: "Rate limit reached for requests", type: "requests", code: "rate_limit_exceeded",
              headers: ["retry-after-ms": String(retryAfterMilliseconds)])
    }

    /// 429 because billing ran out (never worth retrying).
    public static func insufficientQuota() -> FakeReply {
        error(status: 429, message: "You exceeded your current quota, please check your plan and billing details.",
              type: "insufficient_quota", code: "insufficient_quota")
    }

    // MARK: - Wire pieces

    /// The JSON of a `chat.completion.chunk` with one choice.
    public static func chunk(delta: JSONValue, finishReason: String? = nil) -> String {
        JSONValue.object([
            "id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 1_767_000_000, "model": "gpt-4o-mini",
            "choices": [["index": 0, "delta": delta, "finish_reason": finishReason.map(JSONValue.string) ?? .null]],
            "usage": .null,
        ]).canonicalJSON
    }

    /// The JSON of the usage chunk (`choices: []`).
    public static func usageChunk(prompt: Int = 71, completion: Int = 16) -> String {
        JSONValue.object([
            "id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 1_767_000_000, "model": "gpt-4o-mini", "choices": [],
            "usage": ["prompt_tokens": .int(prompt), "completion_tokens": .int(completion), "total_tokens": .int(prompt + completion)],
        ]).canonicalJSON
    }

    /// OpenAI's error object as JSON.
    public static func errorBody(message: String, type: String, code: String? = nil) -> String {
        JSONValue.object(["error": [
            "message": .string(message), "type": .string(type), "param": .null, "code": code.map(JSONValue.string) ?? .null,
        ]]).canonicalJSON
    }
}
