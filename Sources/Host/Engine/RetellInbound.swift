import PluginAPI

/// One utterance of Retell's live transcript (`words` timings are not decoded).
public struct Utterance: Sendable, Hashable {
    /// `agent` or `user` (Retell may add others, e.g. `transfer_target`; they are kept but not spoken to the LLM).
    public var role: String
    public var content: String

    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }
}

/// A frame Retell sends on the custom-LLM socket (retell.md §1.3), decoded on `interaction_type`.
enum RetellInbound: Sendable {
    case pingPong(timestamp: Int64)
    case callDetails(call: JSONValue)
    case updateOnly(transcript: [Utterance])
    /// `response_required` (or `reminder_required` when `isReminder`).
    case responseRequired(id: Int, transcript: [Utterance], isReminder: Bool)
    /// An `interaction_type` this server does not know: ignored, as the spec asks.
    case unknown(String)

    /// Decodes one text frame; throws ``MalformedFrame`` with the reason.
    ///
    /// Read with a byte scan rather than `JSONDecoder`: Retell resends the whole transcript with every
    /// request, and the per-word timings it may carry (`words`) are skipped without being decoded.
    ///
    /// `memo` holds the transcript of the socket's last frame: utterances whose bytes did not change are taken
    /// from it instead of being parsed again, and it is updated with this frame's transcript.
    static func decode(_ text: String, memo: inout TranscriptMemo) throws(MalformedFrame) -> RetellInbound {
        var text = text
        do {
            return try text.withUTF8 { utf8 in try decode(UnsafeRawBufferPointer(utf8), memo: &memo) }
        } catch let error as MalformedFrame {
            throw error
        } catch {
            throw MalformedFrame(reason: "\(error)")
        }
    }

    /// Decodes one text frame without a memo (a frame seen on its own).
    static func decode(_ text: String) throws(MalformedFrame) -> RetellInbound {
        var memo = TranscriptMemo()
        return try decode(text, memo: &memo)
    }

    /// Decodes one text frame's UTF-8 bytes; see the `String` form.
    static func decode(_ bytes: UnsafeRawBufferPointer, memo: inout TranscriptMemo) throws(MalformedFrame) -> RetellInbound {
        var type: String?
        var responseID: Int?
        var timestamp: Int64?
        var transcript: [Utterance]?
        var call: JSONValue?
        var field = "the frame"
        var reader = JSONReader(bytes)
        do {
            try reader.enterObject()
            while let key = try reader.nextKey() {
                field = key.description
                switch key {
                case "interaction_type": type = try reader.readString()
                case "response_id": responseID = reader.readNull() ? nil : try reader.readInt()
                case "timestamp": timestamp = reader.readNull() ? nil : Int64(try reader.readInt())
                case "transcript": transcript = reader.readNull() ? nil : try readTranscript(&reader, memo: &memo)
                case "call": call = try reader.readValue()
                default: try reader.skipValue()
                }
                field = "the frame"
            }
            try reader.expectEnd()
        } catch {
            throw MalformedFrame(reason: "\(field): \(error)")
        }
        guard let type else { throw MalformedFrame(reason: "missing interaction_type") }
        switch type {
        case "ping_pong":
            return .pingPong(timestamp: timestamp ?? 0)
        case "call_details":
            return .callDetails(call: call ?? .null)
        case "update_only":
            return .updateOnly(transcript: transcript ?? [])
        case "response_required", "reminder_required":
            guard let responseID else { throw MalformedFrame(reason: "\(type) without response_id") }
            return .responseRequired(id: responseID, transcript: transcript ?? [], isReminder: type == "reminder_required")
        default:
            return .unknown(type)
        }
    }

    /// `[{"role": …, "content": …, "words": […]}, …]`, keeping role and content only; the utterances `memo`
    /// recognises by their bytes are not read again.
    private static func readTranscript(_ reader: inout JSONReader, memo: inout TranscriptMemo) throws(JSONReadError) -> [Utterance] {
        try reader.enterArray()
        let start = reader.offset
        let text = reader.remainingBytes
        let unchanged = memo.unchanged(in: text)
        var (utterances, ends) = memo.prefix(unchanged.count)
        if unchanged.count > 0 { reader.skipMembers(to: start + unchanged.end) }
        while try reader.nextElement() {
            var role = ""
            var content = ""
            try reader.enterObject()
            while let key = try reader.nextKey() {
                switch key {
                case "role": role = try reader.readString()
                case "content": content = reader.readNull() ? "" : try reader.readString()
                default: try reader.skipValue()
                }
            }
            utterances.append(Utterance(role: role, content: content))
            ends.append(reader.offset - start)
        }
        memo.remember(utterances, ends: ends, text: UnsafeRawBufferPointer(rebasing: text[..<(reader.offset - start)]))
        return utterances
    }
}

/// A frame that is not valid JSON or breaks the protocol.
struct MalformedFrame: Error, CustomStringConvertible {
    var reason: String
    var description: String { "malformed frame: \(reason)" }
}
