import Foundation
import LLMSupport
import PluginAPI

/// Decodes a chat-completions stream (`data: {chunk}` … `data: [DONE]`) into ``LLMEvent``s.
///
/// Text goes downstream as it arrives; tool calls are assembled from their fragments and emitted at the
/// end, whatever `finish_reason` says (servers send `stop` on tool turns too). Usage is the latest
/// non-null value. An `{"error": …}` event (or `event: error`) fails the stream.
public struct OpenAIStreamDecoder: LLMStreamDecoder {
    private var assembler = ToolCallAssembler()
    private var sawText = false
    private var finishReason: String?
    private var usage: TokenUsage?
    private var done = false
    private let makeCallID: @Sendable (Int) -> String

    /// `makeCallID` names calls the server sent without an id (given the call's number within the answer).
    public init(makeCallID: @escaping @Sendable (Int) -> String = { _ in "call_" + UUID().uuidString.prefix(8).lowercased() }) {
        self.makeCallID = makeCallID
    }

    public mutating func consume(_ event: SSEEvent, emit: (LLMEvent) -> Void) throws -> Bool {
        if event.data.starts(with: Self.doneMarker) {
            done = true
            return false
        }
        guard event.data.contains(where: { $0 > 0x20 }) else { return true }
        if event.event == "error" {
            if let error = (try? JSONDecoder().decode(OpenAIErrorEnvelope.self, from: Data(event.data)))?.error {
                throw OpenAIErrors.failure(error, status: nil, headers: [:])
            }
            throw ProviderFailure(LLMError(.unavailable, message: "error event: \(event.text.prefix(300))"), retryable: true)
        }
        let chunk: OpenAIChunk
        do {
            chunk = try event.data.withUnsafeBytes { try OpenAIChunk(reading: $0) }
        } catch {
            let sample = String(decoding: event.data.prefix(200), as: UTF8.self)
            throw ProviderFailure(LLMError(.malformedResponse, message: "unreadable stream chunk: \(sample)"), retryable: false)
        }
        if chunk.hasError {
            let error = (try? JSONDecoder().decode(OpenAIErrorEnvelope.self, from: Data(event.data)))?.error ?? OpenAIErrorBody(message: event.text)
            throw OpenAIErrors.failure(error, status: nil, headers: [:])
        }
        if let usage = chunk.usage { self.usage = usage }
        if let text = chunk.text, !text.isEmpty {
            sawText = true
            emit(.textDelta(text))
        }
        for fragment in chunk.toolCalls { assembler.add(fragment) }
        if let reason = chunk.finishReason {
            finishReason = reason
            if reason == "content_filter" {
                throw ProviderFailure(LLMError(.blocked, message: "the answer was filtered (finish_reason content_filter)"), retryable: false)
            }
        }
        return true
    }

    public mutating func finish(emit: (LLMEvent) -> Void) throws {
        guard done || finishReason != nil else {
            throw ProviderFailure(LLMError(.unavailable, message: "the stream ended before [DONE] (cut off)"), retryable: true)
        }
        let calls = try assembler.calls(makeID: makeCallID)
        guard sawText || !calls.isEmpty else {
            throw ProviderFailure(LLMError(.malformedResponse, message: "empty answer (finish_reason \(finishReason ?? "none"))"), retryable: true)
        }
        for call in calls { emit(.toolCall(call)) }
        let reason: LLMFinish.Reason = !calls.isEmpty ? .toolCalls : finishReason == "length" ? .maxTokens : .stop
        emit(.finished(LLMFinish(reason: reason, usage: usage)))
    }

    private static let doneMarker = Array("[DONE]".utf8)
}

/// `{"error": …}`, for the rare chunk that carries one.
struct OpenAIErrorEnvelope: Decodable {
    var error: OpenAIErrorBody?
}
