import PluginAPI

/// What the decoder needs from one `chat.completion.chunk`: the first choice's text, tool-call fragments
/// and finish reason, the usage, and whether the chunk is an error. Read with a byte scan (everything else,
/// `id`, `model`, `logprobs`…, is skipped undecoded): this runs for every streamed token.
struct OpenAIChunk {
    var text: String?
    var toolCalls: [ToolCallAssembler.Fragment] = []
    var finishReason: String?
    var usage: TokenUsage?
    /// The chunk has a non-null `error` member (decoded separately, it is rare).
    var hasError = false

    init(reading bytes: UnsafeRawBufferPointer) throws(JSONReadError) {
        var reader = JSONReader(bytes)
        try reader.enterObject()
        while let key = try reader.nextKey() {
            switch key {
            case "choices":
                if !reader.readNull() { try readChoices(&reader) }
            case "usage":
                if !reader.readNull() { usage = try Self.readUsage(&reader) }
            case "error":
                if !reader.readNull() {
                    hasError = true
                    try reader.skipValue()
                }
            default:
                try reader.skipValue()
            }
        }
        try reader.expectEnd()
    }

    /// Keeps the first choice with `index` 0 (or none).
    private mutating func readChoices(_ reader: inout JSONReader) throws(JSONReadError) {
        var found = false
        try reader.enterArray()
        while try reader.nextElement() {
            var index = 0
            var text: String?
            var toolCalls: [ToolCallAssembler.Fragment] = []
            var finishReason: String?
            try reader.enterObject()
            while let key = try reader.nextKey() {
                switch key {
                case "index": index = reader.readNull() ? 0 : try reader.readInt()
                case "finish_reason": finishReason = try reader.readOptionalString()
                case "delta":
                    if reader.readNull() { continue }
                    try reader.enterObject()
                    while let field = try reader.nextKey() {
                        switch field {
                        case "content": text = try reader.readOptionalString()
                        case "tool_calls": if !reader.readNull() { toolCalls = try Self.readToolCalls(&reader) }
                        default: try reader.skipValue()
                        }
                    }
                default: try reader.skipValue()
                }
            }
            if index == 0, !found {
                found = true
                self.text = text
                self.toolCalls = toolCalls
                self.finishReason = finishReason
            }
        }
    }

    private static func readToolCalls(_ reader: inout JSONReader) throws(JSONReadError) -> [ToolCallAssembler.Fragment] {
        var fragments: [ToolCallAssembler.Fragment] = []
        try reader.enterArray()
        while try reader.nextElement() {
            var fragment = ToolCallAssembler.Fragment(index: nil, id: nil, name: nil, arguments: nil)
            try reader.enterObject()
            while let key = try reader.nextKey() {
                switch key {
                case "index": fragment.index = reader.readNull() ? nil : try reader.readInt()
                case "id": fragment.id = try reader.readOptionalString()
                case "function":
                    if reader.readNull() { continue }
                    try reader.enterObject()
                    while let field = try reader.nextKey() {
                        switch field {
                        case "name": fragment.name = try reader.readOptionalString()
                        case "arguments":
                            // A string fragment, or (some servers) the whole arguments object.
                            if reader.readNull() { continue }
                            let value = try reader.readValue()
                            fragment.arguments = value.stringValue ?? value.canonicalJSON
                        default: try reader.skipValue()
                        }
                    }
                default: try reader.skipValue()
                }
            }
            fragments.append(fragment)
        }
        return fragments
    }

    private static func readUsage(_ reader: inout JSONReader) throws(JSONReadError) -> TokenUsage {
        var usage = TokenUsage(inputTokens: 0, outputTokens: 0)
        try reader.enterObject()
        while let key = try reader.nextKey() {
            switch key {
            case "prompt_tokens": usage.inputTokens = reader.readNull() ? 0 : try reader.readInt()
            case "completion_tokens": usage.outputTokens = reader.readNull() ? 0 : try reader.readInt()
            default: try reader.skipValue()
            }
        }
        return usage
    }
}
