import LLMSupport
import PluginAPI

/// Writes the `GenerateContentRequest` body for an ``LLMRequest``, in one pass straight into JSON bytes.
///
/// History rules (spec §A6): only `user` and `model` roles; tool results go in their own `user` turn, one
/// `functionResponse` part per call in the order of the calls; adjacent entries of the same kind merge into
/// one turn; every `thoughtSignature` goes back on the part it came on; the history ends with a user turn.
public enum GeminiRequest {
    /// The sentinel Gemini accepts in place of a thought signature on calls it did not produce (history
    /// from another model or built by hand). [?] Sent as plain text; some clients base64-encode it.
    public static let signatureSentinel = "skip_thought_signature_validator"
    /// `ToolCall.providerMetadata` / `AssistantTurn.providerMetadata` key of the opaque signature.
    public static let signatureKey = "thoughtSignature"
    /// `ToolCall.providerMetadata` key set when Gemini gave the call its own id (which is then echoed).
    public static let callIDKey = "functionCallId"

    /// The JSON body (UTF-8) for `request` under `config`; `encodedTools` is ``tools(_:)`` of `request.tools`
    /// (the backend keeps it per tool list, so schemas are sanitised once, not on every request); `messages`
    /// keeps each conversation's finished turns encoded between requests.
    public static func body(
        _ request: LLMRequest, config: GeminiConfig, encodedTools: [UInt8]? = nil, messages cache: EncodedMessagesCache? = nil
    ) -> [UInt8] {
        var json = JSONOutput(capacity: 512 + request.systemPrompt.utf8.count + request.messages.count * 96)
        json.beginObject()
        json.key("contents")
        writeContents(request.messages, into: &json, cache: cache, conversation: request.conversationID)
        if !request.systemPrompt.isEmpty {
            json.key("systemInstruction")
            json.beginObject()
            json.key("parts")
            json.beginArray()
            writeTextPart(request.systemPrompt, into: &json)
            json.endArray()
            json.endObject()
        }
        if !request.tools.isEmpty {
            json.key("tools")
            json.encoded(encodedTools ?? tools(request.tools))
        }
        if !config.safetySettings.isEmpty {
            json.key("safetySettings")
            json.value(.array(config.safetySettings))
        }
        writeGenerationConfig(request.settings, config: config, into: &json)
        json.endObject()
        return json.bytes
    }

    /// `generationConfig`, left out when it would be empty.
    private static func writeGenerationConfig(_ settings: GenerationSettings, config: GeminiConfig, into json: inout JSONOutput) {
        let temperature = settings.temperature ?? config.temperature
        let topP = settings.topP ?? config.topP
        let maxOutputTokens = settings.maxOutputTokens ?? config.maxOutputTokens
        guard temperature != nil || topP != nil || maxOutputTokens != nil || config.thinking != nil else { return }
        json.key("generationConfig")
        json.beginObject()
        if let temperature {
            json.key("temperature")
            json.double(temperature)
        }
        if let topP {
            json.key("topP")
            json.double(topP)
        }
        if let maxOutputTokens {
            json.key("maxOutputTokens")
            json.int(maxOutputTokens)
        }
        switch config.thinking {
        case .budget(let budget)?:
            json.key("thinkingConfig")
            json.beginObject()
            json.key("thinkingBudget")
            json.int(budget)
            json.endObject()
        case .level(let level)?:
            json.key("thinkingConfig")
            json.beginObject()
            json.key("thinkingLevel")
            json.string(level)
            json.endObject()
        case nil:
            break
        }
        json.endObject()
    }

    /// The `tools` member's value: one tool holding a `functionDeclarations` entry per tool, with parameter
    /// schemas sanitised for Gemini.
    public static func tools(_ tools: [ToolDefinition]) -> [UInt8] {
        var json = JSONOutput()
        json.beginArray()
        json.element()
        json.beginObject()
        json.key("functionDeclarations")
        json.beginArray()
        for tool in tools { writeDeclaration(tool, into: &json) }
        json.endArray()
        json.endObject()
        json.endArray()
        return json.bytes
    }

    /// One `functionDeclarations` entry.
    private static func writeDeclaration(_ tool: ToolDefinition, into json: inout JSONOutput) {
        json.element()
        json.beginObject()
        json.key("name")
        json.string(tool.name)
        json.key("description")
        json.string(tool.description)
        if let parameters = GeminiSchema.parameters(for: tool.parameters.json) {
            json.key("parameters")
            json.value(parameters)
        }
        json.endObject()
    }

    /// Writes the `contents` array for a conversation. With a `cache`, the turns of `conversation` that the
    /// next messages can no longer change (all but the last) are kept encoded, and a later request writes
    /// only from the last of them on.
    static func writeContents(
        _ messages: [ChatMessage], into json: inout JSONOutput, cache: EncodedMessagesCache? = nil, conversation: String? = nil
    ) {
        // Tool results are matched to their calls (for the name, id and order) across the whole history.
        var calls: [String: ToolCall] = [:]
        var callOrder: [String: Int] = [:]
        var idsRepeat = false  // a later call would change how an earlier result is written: no reuse then
        for case .assistant(let turn) in messages {
            for (offset, call) in turn.toolCalls.enumerated() {
                idsRepeat = idsRepeat || calls[call.id] != nil
                calls[call.id] = call
                callOrder[call.id] = offset
            }
        }
        let cache = idsRepeat ? nil : cache
        let prefix = cache?.reusablePrefix(of: messages, conversation: conversation)
        var turns = TurnWriter(calls: calls, callOrder: callOrder)
        json.beginArray()
        let elementsStart = json.bytes.count
        if let prefix, !prefix.json.isEmpty {
            json.element()
            json.encoded(prefix.json)
        }
        for index in (prefix?.covered ?? 0)..<messages.count {
            switch messages[index] {
            case .user(let text):
                guard !text.isEmpty else { continue }
                turns.open(.user, at: index, in: &json)
                writeTextPart(text, into: &json)
            case .assistant(let turn):
                guard !turn.text.isEmpty || !turn.toolCalls.isEmpty else { continue }
                turns.open(.model, at: index, in: &json)
                writeModelParts(turn, into: &json)
            case .toolResult(let result):
                turns.open(.toolResults, at: index, in: &json)
                turns.results.append(result)
            }
        }
        if let cache, let conversation {
            // Everything before the open turn is final; the open one may merge with the next messages.
            let (end, covered) = turns.current == nil ? (json.bytes.count, messages.count) : (turns.openedAt.offset, turns.openedAt.message)
            cache.store(Array(json.bytes[elementsStart..<end]), covering: covered, of: messages, for: conversation)
        }
        let last = turns.current
        turns.close(in: &json)
        if last == nil || last == .model {
            // Gemini generates only after a user turn (the agent may be asked to speak first).
            turns.open(.user, at: messages.count, in: &json)
            writeTextPart(".", into: &json)
            turns.close(in: &json)
        }
        json.endArray()
    }

    /// Opens and closes `contents` turns as the messages go by: adjacent entries of one kind share a turn.
    private struct TurnWriter {
        enum Turn { case user, model, toolResults }

        let calls: [String: ToolCall]
        let callOrder: [String: Int]
        /// The turn being written, if any.
        private(set) var current: Turn?
        /// The message that opened the current turn, and the output's length before its element.
        private(set) var openedAt = (message: 0, offset: 0)
        /// The results of the open `toolResults` turn, written when it closes (they are reordered).
        var results: [ToolResultMessage] = []

        /// Continues the open turn when it is of `kind`, else closes it and starts one for message `index`.
        mutating func open(_ kind: Turn, at index: Int, in json: inout JSONOutput) {
            guard current != kind else { return }
            close(in: &json)
            current = kind
            openedAt = (index, json.bytes.count)
            json.element()
            json.beginObject()
            json.key("role")
            json.string(kind == .model ? "model" : "user")
            json.key("parts")
            json.beginArray()
        }

        /// Ends the open turn, if any.
        mutating func close(in json: inout JSONOutput) {
            guard let open = current else { return }
            if open == .toolResults {
                // Same order as the calls they answer (results may have finished in any order).
                let ordered = results.enumerated().sorted {
                    (callOrder[$0.element.callID] ?? Int.max, $0.offset) < (callOrder[$1.element.callID] ?? Int.max, $1.offset)
                }
                for (_, result) in ordered { writeFunctionResponse(result, call: calls[result.callID], into: &json) }
                results.removeAll(keepingCapacity: true)
            }
            json.endArray()
            json.endObject()
            current = nil
        }
    }

    /// A `{"text": …}` part.
    private static func writeTextPart(_ text: String, into json: inout JSONOutput) {
        json.element()
        json.beginObject()
        json.key("text")
        json.string(text)
        json.endObject()
    }

    /// The parts of a model turn: its text, then one `functionCall` part per call, each with its signature.
    private static func writeModelParts(_ turn: AssistantTurn, into json: inout JSONOutput) {
        if !turn.text.isEmpty {
            json.element()
            json.beginObject()
            json.key("text")
            json.string(turn.text)
            if let signature = turn.providerMetadata[signatureKey] {
                json.key("thoughtSignature")
                json.value(signature)
            }
            json.endObject()
        }
        let anySigned = turn.toolCalls.contains { $0.providerMetadata[signatureKey] != nil }
        for (offset, call) in turn.toolCalls.enumerated() {
            json.element()
            json.beginObject()
            json.key("functionCall")
            json.beginObject()
            json.key("name")
            json.string(call.name)
            json.key("args")
            if case .object = call.arguments { json.value(call.arguments) } else { json.value(.object([:])) }
            if let id = call.providerMetadata[callIDKey] {
                json.key("id")
                json.value(id)
            }
            json.endObject()
            if let signature = call.providerMetadata[signatureKey] {
                json.key("thoughtSignature")
                json.value(signature)
            } else if !anySigned, offset == 0 {
                // A call Gemini did not make (or made without a signature): the first call of the step needs one.
                json.key("thoughtSignature")
                json.string(signatureSentinel)
            }
            json.endObject()
        }
    }

    /// A `functionResponse` part; `response` must be an object, so other values go under `output`.
    private static func writeFunctionResponse(_ result: ToolResultMessage, call: ToolCall?, into json: inout JSONOutput) {
        json.element()
        json.beginObject()
        json.key("functionResponse")
        json.beginObject()
        json.key("name")
        json.string(call?.name ?? result.name)
        json.key("response")
        if case .object = result.content {
            json.value(result.content)
        } else {
            json.beginObject()
            json.key("output")
            json.value(result.content)
            json.endObject()
        }
        if let id = call?.providerMetadata[callIDKey] {
            json.key("id")
            json.value(id)
        }
        json.endObject()
        json.endObject()
    }
}
