import PluginAPI

/// Builds the chat-completions request body for an ``LLMRequest``.
public enum OpenAIRequest {
    /// The JSON body for `request` under `config`.
    public static func body(_ request: LLMRequest, config: OpenAIConfig) -> JSONValue {
        var messages: [JSONValue] = []
        if !request.systemPrompt.isEmpty { messages.append(["role": "system", "content": .string(request.systemPrompt)]) }
        for message in request.messages { messages.append(self.message(message, quirks: config.quirks)) }
        var body: [String: JSONValue] = ["model": .string(config.model), "stream": true, "messages": .array(messages)]
        if config.quirks.streamUsage { body["stream_options"] = ["include_usage": true] }
        if !request.tools.isEmpty {
            body["tools"] = .array(request.tools.map { tool in
                ["type": "function", "function": [
                    "name": .string(tool.name), "description": .string(tool.description), "parameters": tool.parameters.json,
                ]]
            })
        }
        if let temperature = request.settings.temperature ?? config.temperature { body["temperature"] = .double(temperature) }
        if let topP = request.settings.topP ?? config.topP { body["top_p"] = .double(topP) }
        if let tokens = request.settings.maxOutputTokens ?? config.maxOutputTokens { body[config.quirks.maxTokensField] = .int(tokens) }
        return .object(body)
    }

    /// One entry of `messages`.
    static func message(_ message: ChatMessage, quirks: OpenAIConfig.Quirks) -> JSONValue {
        switch message {
        case .user(let text):
            return ["role": "user", "content": .string(text)]
        case .assistant(let turn):
            var entry: [String: JSONValue] = ["role": "assistant", "content": turn.text.isEmpty ? .null : .string(turn.text)]
            if !turn.toolCalls.isEmpty {
                entry["tool_calls"] = .array(turn.toolCalls.map { call in
                    ["id": .string(call.id), "type": "function", "function": [
                        "name": .string(call.name), "arguments": .string(call.arguments.canonicalJSON),
                    ]]
                })
            }
            return .object(entry)
        case .toolResult(let result):
            let content: String = if case .string(let text) = result.content { text } else { result.content.canonicalJSON }
            var entry: [String: JSONValue] = ["role": "tool", "tool_call_id": .string(result.callID), "content": .string(content)]
            if quirks.toolMessageName { entry["name"] = .string(result.name) }
            return .object(entry)
        }
    }
}
