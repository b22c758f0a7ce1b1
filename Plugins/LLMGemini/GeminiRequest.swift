import PluginAPI

/// Builds the `GenerateContentRequest` body for an ``LLMRequest``.
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

    /// The JSON body for `request` under `config`.
    public static func body(_ request: LLMRequest, config: GeminiConfig) -> JSONValue {
        var body: [String: JSONValue] = ["contents": .array(contents(request.messages))]
        if !request.systemPrompt.isEmpty {
            body["systemInstruction"] = ["parts": [["text": .string(request.systemPrompt)]]]
        }
        if !request.tools.isEmpty {
            body["tools"] = [["functionDeclarations": .array(request.tools.map(declaration))]]
        }
        if !config.safetySettings.isEmpty { body["safetySettings"] = .array(config.safetySettings) }
        var generation: [String: JSONValue] = [:]
        if let temperature = request.settings.temperature ?? config.temperature { generation["temperature"] = .double(temperature) }
        if let topP = request.settings.topP ?? config.topP { generation["topP"] = .double(topP) }
        if let tokens = request.settings.maxOutputTokens ?? config.maxOutputTokens { generation["maxOutputTokens"] = .int(tokens) }
        switch config.thinking {
        case .budget(let budget)?: generation["thinkingConfig"] = ["thinkingBudget": .int(budget)]
        case .level(let level)?: generation["thinkingConfig"] = ["thinkingLevel": .string(level)]
        case nil: break
        }
        if !generation.isEmpty { body["generationConfig"] = .object(generation) }
        return .object(body)
    }

    /// One `functionDeclarations` entry.
    static func declaration(_ tool: ToolDefinition) -> JSONValue {
        var declaration: [String: JSONValue] = ["name": .string(tool.name), "description": .string(tool.description)]
        if let parameters = GeminiSchema.parameters(for: tool.parameters.json) { declaration["parameters"] = parameters }
        return .object(declaration)
    }

    private enum Turn {
        case user([JSONValue])
        case model([JSONValue])
        case toolResults([ToolResultMessage])
    }

    /// The `contents` array for a conversation.
    public static func contents(_ messages: [ChatMessage]) -> [JSONValue] {
        var turns: [Turn] = []
        var calls: [String: ToolCall] = [:]
        var callOrder: [String: Int] = [:]
        for message in messages {
            switch message {
            case .user(let text):
                guard !text.isEmpty else { continue }
                let part: JSONValue = ["text": .string(text)]
                if case .user(let parts)? = turns.last { turns[turns.count - 1] = .user(parts + [part]) } else { turns.append(.user([part])) }
            case .assistant(let turn):
                let parts = modelParts(turn)
                for (offset, call) in turn.toolCalls.enumerated() {
                    calls[call.id] = call
                    callOrder[call.id] = offset
                }
                guard !parts.isEmpty else { continue }
                if case .model(let earlier)? = turns.last { turns[turns.count - 1] = .model(earlier + parts) } else { turns.append(.model(parts)) }
            case .toolResult(let result):
                if case .toolResults(let earlier)? = turns.last {
                    turns[turns.count - 1] = .toolResults(earlier + [result])
                } else {
                    turns.append(.toolResults([result]))
                }
            }
        }
        var contents: [JSONValue] = turns.map { turn in
            switch turn {
            case .user(let parts): return ["role": "user", "parts": .array(parts)]
            case .model(let parts): return ["role": "model", "parts": .array(parts)]
            case .toolResults(let results):
                // Same order as the calls they answer (results may have finished in any order).
                let ordered = results.enumerated().sorted {
                    (callOrder[$0.element.callID] ?? Int.max, $0.offset) < (callOrder[$1.element.callID] ?? Int.max, $1.offset)
                }
                return ["role": "user", "parts": .array(ordered.map { functionResponse($0.element, call: calls[$0.element.callID]) })]
            }
        }
        if contents.last?["role"] != "user" {
            // Gemini generates only after a user turn (the agent may be asked to speak first).
            contents.append(["role": "user", "parts": [["text": "."]]])
        }
        return contents
    }

    /// The parts of a model turn: its text, then one `functionCall` part per call, each with its signature.
    static func modelParts(_ turn: AssistantTurn) -> [JSONValue] {
        var parts: [JSONValue] = []
        if !turn.text.isEmpty {
            var part: [String: JSONValue] = ["text": .string(turn.text)]
            if let signature = turn.providerMetadata[signatureKey] { part["thoughtSignature"] = signature }
            parts.append(.object(part))
        }
        let anySigned = turn.toolCalls.contains { $0.providerMetadata[signatureKey] != nil }
        for (offset, call) in turn.toolCalls.enumerated() {
            var functionCall: [String: JSONValue] = ["name": .string(call.name), "args": arguments(call.arguments)]
            if let id = call.providerMetadata[callIDKey] { functionCall["id"] = id }
            var part: [String: JSONValue] = ["functionCall": .object(functionCall)]
            if let signature = call.providerMetadata[signatureKey] {
                part["thoughtSignature"] = signature
            } else if !anySigned, offset == 0 {
                // A call Gemini did not make (or made without a signature): the first call of the step needs one.
                part["thoughtSignature"] = .string(signatureSentinel)
            }
            parts.append(.object(part))
        }
        return parts
    }

    /// A `functionResponse` part; `response` must be an object, so other values go under `output`.
    static func functionResponse(_ result: ToolResultMessage, call: ToolCall?) -> JSONValue {
        let response: JSONValue
        if case .object = result.content { response = result.content } else { response = ["output": result.content] }
        var body: [String: JSONValue] = ["name": .string(call?.name ?? result.name), "response": response]
        if let id = call?.providerMetadata[callIDKey] { body["id"] = id }
        return ["functionResponse": .object(body)]
    }

    private static func arguments(_ value: JSONValue) -> JSONValue {
        if case .object = value { return value }
        return .object([:])
    }
}
