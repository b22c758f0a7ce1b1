import LLMSupport
import PluginAPI

/// Writes the chat-completions request body for an ``LLMRequest``, straight into JSON bytes: it is sent
/// once per LLM round, and building a value tree first cost more than the writing itself.
public enum OpenAIRequest {
    /// The JSON body for `request` under `config`; `encodedTools` is ``tools(_:)`` of `request.tools`;
    /// `messages` keeps each conversation's messages encoded between requests.
    public static func body(
        _ request: LLMRequest, config: OpenAIConfig, encodedTools: [UInt8]? = nil, messages cache: EncodedMessagesCache? = nil
    ) -> [UInt8] {
        var json = JSONOutput(capacity: 512 + request.systemPrompt.utf8.count + request.messages.count * 96)
        json.beginObject()
        json.key("model")
        json.string(config.model)
        json.key("stream")
        json.bool(true)
        if config.quirks.streamUsage {
            json.key("stream_options")
            json.beginObject()
            json.key("include_usage")
            json.bool(true)
            json.endObject()
        }
        json.key("messages")
        json.beginArray()
        if !request.systemPrompt.isEmpty {
            json.element()
            json.beginObject()
            json.key("role")
            json.raw(#""system""#)
            json.key("content")
            json.string(request.systemPrompt)
            json.endObject()
        }
        if let cache {
            let elements = cache.elements(of: request.messages, conversation: request.conversationID) { message, json in
                write(message, quirks: config.quirks, to: &json)
            }
            if !elements.isEmpty {
                json.element()
                json.encoded(elements)
            }
        } else {
            for message in request.messages {
                json.element()
                write(message, quirks: config.quirks, to: &json)
            }
        }
        json.endArray()
        if !request.tools.isEmpty {
            json.key("tools")
            json.encoded(encodedTools ?? tools(request.tools))
        }
        if let temperature = request.settings.temperature ?? config.temperature {
            json.key("temperature")
            json.double(temperature)
        }
        if let topP = request.settings.topP ?? config.topP {
            json.key("top_p")
            json.double(topP)
        }
        if let tokens = request.settings.maxOutputTokens ?? config.maxOutputTokens {
            json.key(config.quirks.maxTokensField)
            json.int(tokens)
        }
        json.endObject()
        return json.bytes
    }

    /// The `tools` array: one `function` entry per tool.
    public static func tools(_ tools: [ToolDefinition]) -> [UInt8] {
        var json = JSONOutput()
        json.beginArray()
        for tool in tools {
            json.element()
            json.beginObject()
            json.key("type")
            json.raw(#""function""#)
            json.key("function")
            json.beginObject()
            json.key("name")
            json.string(tool.name)
            json.key("description")
            json.string(tool.description)
            json.key("parameters")
            json.value(tool.parameters.json)
            json.endObject()
            json.endObject()
        }
        json.endArray()
        return json.bytes
    }

    /// One entry of `messages`.
    static func write(_ message: ChatMessage, quirks: OpenAIConfig.Quirks, to json: inout JSONOutput) {
        json.beginObject()
        switch message {
        case .user(let text):
            json.key("role")
            json.raw(#""user""#)
            json.key("content")
            json.string(text)
        case .assistant(let turn):
            json.key("role")
            json.raw(#""assistant""#)
            json.key("content")
            if turn.text.isEmpty { json.null() } else { json.string(turn.text) }
            if !turn.toolCalls.isEmpty {
                json.key("tool_calls")
                json.beginArray()
                for call in turn.toolCalls {
                    json.element()
                    json.beginObject()
                    json.key("id")
                    json.string(call.id)
                    json.key("type")
                    json.raw(#""function""#)
                    json.key("function")
                    json.beginObject()
                    json.key("name")
                    json.string(call.name)
                    json.key("arguments")
                    json.string(call.arguments.canonicalJSON)
                    json.endObject()
                    json.endObject()
                }
                json.endArray()
            }
        case .toolResult(let result):
            json.key("role")
            json.raw(#""tool""#)
            json.key("tool_call_id")
            json.string(result.callID)
            json.key("content")
            if case .string(let text) = result.content { json.string(text) } else { json.string(result.content.canonicalJSON) }
            if quirks.toolMessageName {
                json.key("name")
                json.string(result.name)
            }
        }
        json.endObject()
    }
}
