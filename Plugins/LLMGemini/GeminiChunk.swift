import Foundation
import PluginAPI

/// What the stream decoder uses of one `GenerateContentResponse` chunk (or of an error object), pulled from
/// the chunk's bytes with a ``JSONReader``; everything else (safety ratings, citations, model version, other
/// candidates…) is skipped without being decoded.
///
/// Members may come in any order and may be `null` (read as absent). A value of the wrong type, a function
/// call without a name or a chunk that is not valid JSON is an error.
struct GeminiChunk {
    /// The first candidate.
    struct Candidate {
        var parts: [Part] = []
        var finishReason: String?
        var finishMessage: String?
    }

    struct Part {
        var text: String?
        var thought: Bool?
        var thoughtSignature: String?
        var functionCall: FunctionCall?
    }

    struct FunctionCall {
        var id: String?
        var name: String
        var args: JSONValue?
    }

    struct PromptFeedback {
        var blockReason: String?
    }

    struct Usage {
        var promptTokenCount: Int?
        var candidatesTokenCount: Int?
        var thoughtsTokenCount: Int?
    }

    var candidate: Candidate?
    var promptFeedback: PromptFeedback?
    var usageMetadata: Usage?
    var error: GeminiErrorBody?

    /// A member the chunk cannot do without is missing.
    struct MissingMember: Error {
        var name: String
    }

    /// Reads the chunk that is the whole of `bytes`.
    static func read(_ bytes: UnsafeRawBufferPointer) throws -> GeminiChunk {
        var reader = JSONReader(bytes)
        let chunk = try readChunk(&reader, in: bytes)
        try reader.expectEnd()
        return chunk
    }

    /// Reads an array of chunks that is the whole of `bytes`.
    static func readArray(_ bytes: UnsafeRawBufferPointer) throws -> [GeminiChunk] {
        var reader = JSONReader(bytes)
        var chunks: [GeminiChunk] = []
        try reader.enterArray()
        while try reader.nextElement() { chunks.append(try readChunk(&reader, in: bytes)) }
        try reader.expectEnd()
        return chunks
    }

    /// Reads one chunk object at the reader's position (`bytes` are the reader's, for the error object).
    private static func readChunk(_ reader: inout JSONReader, in bytes: UnsafeRawBufferPointer) throws -> GeminiChunk {
        var chunk = GeminiChunk()
        try reader.enterObject()
        while let key = try reader.nextKey() {
            switch key {
            case "candidates": chunk.candidate = reader.readNull() ? nil : try readFirstCandidate(&reader)
            case "promptFeedback": chunk.promptFeedback = reader.readNull() ? nil : try readPromptFeedback(&reader)
            case "usageMetadata": chunk.usageMetadata = reader.readNull() ? nil : try readUsage(&reader)
            case "error":
                // Rare (the stream is failing): decoded with Codable from the object's own bytes.
                if !reader.readNull() {
                    let start = reader.offset
                    try reader.skipValue()
                    let text = Data(UnsafeRawBufferPointer(rebasing: bytes[start..<reader.offset]))
                    chunk.error = try JSONDecoder().decode(GeminiErrorBody.self, from: text)
                }
            default:
                try reader.skipValue()
            }
        }
        return chunk
    }

    /// `candidates`: the first one is read, the others are skipped.
    private static func readFirstCandidate(_ reader: inout JSONReader) throws -> Candidate? {
        var first: Candidate?
        try reader.enterArray()
        while try reader.nextElement() {
            if first == nil {
                first = try readCandidate(&reader)
            } else {
                try reader.skipValue()
            }
        }
        return first
    }

    private static func readCandidate(_ reader: inout JSONReader) throws -> Candidate {
        var candidate = Candidate()
        try reader.enterObject()
        while let key = try reader.nextKey() {
            switch key {
            case "content": candidate.parts = reader.readNull() ? [] : try readParts(&reader)
            case "finishReason": candidate.finishReason = try reader.readOptionalString()
            case "finishMessage": candidate.finishMessage = try reader.readOptionalString()
            default: try reader.skipValue()
            }
        }
        return candidate
    }

    /// The `parts` of a candidate's `content`.
    private static func readParts(_ reader: inout JSONReader) throws -> [Part] {
        var parts: [Part] = []
        try reader.enterObject()
        while let key = try reader.nextKey() {
            guard key == "parts" else {
                try reader.skipValue()
                continue
            }
            if reader.readNull() { continue }
            try reader.enterArray()
            while try reader.nextElement() { parts.append(try readPart(&reader)) }
        }
        return parts
    }

    private static func readPart(_ reader: inout JSONReader) throws -> Part {
        var part = Part()
        try reader.enterObject()
        while let key = try reader.nextKey() {
            switch key {
            case "text": part.text = try reader.readOptionalString()
            case "thought": part.thought = reader.readNull() ? nil : try reader.readBool()
            case "thoughtSignature": part.thoughtSignature = try reader.readOptionalString()
            case "functionCall": part.functionCall = reader.readNull() ? nil : try readFunctionCall(&reader)
            default: try reader.skipValue()
            }
        }
        return part
    }

    private static func readFunctionCall(_ reader: inout JSONReader) throws -> FunctionCall {
        var id: String?
        var name: String?
        var args: JSONValue?
        try reader.enterObject()
        while let key = try reader.nextKey() {
            switch key {
            case "id": id = try reader.readOptionalString()
            case "name": name = try reader.readString()
            case "args": args = try reader.readValue()
            default: try reader.skipValue()
            }
        }
        guard let name else { throw MissingMember(name: "functionCall.name") }
        return FunctionCall(id: id, name: name, args: args)
    }

    private static func readPromptFeedback(_ reader: inout JSONReader) throws(JSONReadError) -> PromptFeedback {
        var feedback = PromptFeedback()
        try reader.enterObject()
        while let key = try reader.nextKey() {
            if key == "blockReason" { feedback.blockReason = try reader.readOptionalString() } else { try reader.skipValue() }
        }
        return feedback
    }

    private static func readUsage(_ reader: inout JSONReader) throws(JSONReadError) -> Usage {
        var usage = Usage()
        try reader.enterObject()
        while let key = try reader.nextKey() {
            switch key {
            case "promptTokenCount": usage.promptTokenCount = try readOptionalInt(&reader)
            case "candidatesTokenCount": usage.candidatesTokenCount = try readOptionalInt(&reader)
            case "thoughtsTokenCount": usage.thoughtsTokenCount = try readOptionalInt(&reader)
            default: try reader.skipValue()
            }
        }
        return usage
    }

    private static func readOptionalInt(_ reader: inout JSONReader) throws(JSONReadError) -> Int? {
        reader.readNull() ? nil : try reader.readInt()
    }
}
