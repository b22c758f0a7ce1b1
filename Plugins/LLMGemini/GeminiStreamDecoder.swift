import Foundation
import LLMSupport
import PluginAPI

/// Decodes a `streamGenerateContent?alt=sse` stream into ``LLMEvent``s.
///
/// Text parts go downstream as they arrive (thought parts never do). Function calls arrive whole and are
/// collected until the stream ends, then emitted together, so a turn that ends as
/// `MALFORMED_FUNCTION_CALL` runs none of them. Whether tools run is decided from the parts, not from
/// `finishReason` (which is `STOP` on tool-call turns). Usage is the last one reported.
///
/// Each chunk is read with a byte scan (``GeminiChunk``) that pulls only these members and skips the rest.
public struct GeminiStreamDecoder: LLMStreamDecoder {
    private var calls: [ToolCall] = []
    private var sawText = false
    private var textSignature: String?
    private var finishReason: String?
    private var finishMessage: String?
    private var usage: TokenUsage?
    private let makeCallID: @Sendable (Int) -> String

    /// `makeCallID` names calls Gemini sent without an id (given the call's number within the answer).
    public init(makeCallID: @escaping @Sendable (Int) -> String = { _ in "fc_" + UUID().uuidString.prefix(8).lowercased() }) {
        self.makeCallID = makeCallID
    }

    public mutating func consume(_ event: SSEEvent, emit: (LLMEvent) -> Void) throws -> Bool {
        guard let first = event.data.first(where: { !$0.isJSONWhitespace }) else { return true }
        if first == UInt8(ascii: "[") {
            // Some proxies wrap a response (usually an error) in a one-element array.
            for chunk in try read(event.data, GeminiChunk.readArray) { try handle(chunk, emit: emit) }
        } else {
            try handle(try read(event.data, GeminiChunk.read), emit: emit)
        }
        return true
    }

    public mutating func finish(emit: (LLMEvent) -> Void) throws {
        guard let reason = finishReason else {
            throw ProviderFailure(LLMError(.unavailable, message: "the stream ended without a finish reason (cut off)"), retryable: true)
        }
        switch reason {
        case "STOP", "MAX_TOKENS", "FINISH_REASON_UNSPECIFIED", "OTHER":
            guard sawText || !calls.isEmpty else {
                let detail = finishMessage.map { ": \($0)" } ?? ""
                throw ProviderFailure(LLMError(.malformedResponse, message: "empty answer (finishReason \(reason))\(detail)"), retryable: true)
            }
        default:
            throw ProviderFailure(LLMError(.malformedResponse, message: "finishReason \(reason)"), retryable: false)
        }
        for call in calls { emit(.toolCall(call)) }
        var metadata: [String: JSONValue] = [:]
        if let textSignature { metadata[GeminiRequest.signatureKey] = .string(textSignature) }
        let finish: LLMFinish.Reason = !calls.isEmpty ? .toolCalls : reason == "MAX_TOKENS" ? .maxTokens : .stop
        emit(.finished(LLMFinish(reason: finish, usage: usage, providerMetadata: metadata)))
    }

    /// Reads a whole event before any of it is handled, so an unreadable chunk emits nothing.
    private func read<Result>(_ data: [UInt8], _ body: (UnsafeRawBufferPointer) throws -> Result) throws -> Result {
        do {
            return try data.withUnsafeBytes(body)
        } catch {
            let sample = String(decoding: data.prefix(200), as: UTF8.self)
            throw ProviderFailure(LLMError(.malformedResponse, message: "unreadable stream chunk: \(sample)"), retryable: false)
        }
    }

    private mutating func handle(_ chunk: GeminiChunk, emit: (LLMEvent) -> Void) throws {
        if let error = chunk.error { throw GeminiErrors.failure(error, status: error.code, headers: [:]) }
        if let blocked = chunk.promptFeedback?.blockReason {
            throw ProviderFailure(LLMError(.blocked, message: "the prompt was blocked (\(blocked))"), retryable: false)
        }
        if let metadata = chunk.usageMetadata {
            usage = TokenUsage(
                inputTokens: metadata.promptTokenCount ?? 0,
                outputTokens: (metadata.candidatesTokenCount ?? 0) + (metadata.thoughtsTokenCount ?? 0))
        }
        guard let candidate = chunk.candidate else { return }
        for part in candidate.parts {
            if part.thought == true { continue }
            if let call = part.functionCall {
                var metadata: [String: JSONValue] = [:]
                if let signature = part.thoughtSignature { metadata[GeminiRequest.signatureKey] = .string(signature) }
                if let id = call.id { metadata[GeminiRequest.callIDKey] = .string(id) }
                let arguments: JSONValue = if case .object = call.args { call.args! } else { .object([:]) }
                calls.append(ToolCall(id: call.id ?? makeCallID(calls.count + 1), name: call.name, arguments: arguments, providerMetadata: metadata))
                continue
            }
            if let signature = part.thoughtSignature { textSignature = signature }
            if let text = part.text, !text.isEmpty {
                sawText = true
                emit(.textDelta(text))
            }
        }
        if let reason = candidate.finishReason {
            finishReason = reason
            finishMessage = candidate.finishMessage
            switch reason {
            case "SAFETY", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "RECITATION", "IMAGE_SAFETY", "IMAGE_PROHIBITED_CONTENT",
                "IMAGE_RECITATION", "MODEL_ARMOR":
                throw ProviderFailure(LLMError(.blocked, message: "the answer was blocked (finishReason \(reason))"), retryable: false)
            case "MALFORMED_FUNCTION_CALL", "UNEXPECTED_TOOL_CALL":
                // No call of this turn runs; one more attempt often succeeds (only if nothing was spoken yet).
                let detail = candidate.finishMessage.map { ": \($0)" } ?? ""
                throw ProviderFailure(LLMError(.malformedResponse, message: "finishReason \(reason)\(detail)"), retryable: true)
            default: break
            }
        }
    }
}

extension UInt8 {
    fileprivate var isJSONWhitespace: Bool { self == 0x20 || self == 0x0A || self == 0x0D || self == 0x09 }
}

