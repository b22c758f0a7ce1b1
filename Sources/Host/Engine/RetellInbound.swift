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
    /// `previous` is the transcript the last frame carried: utterances that did not change are not copied again.
    static func decode(_ text: String, previous: [Utterance] = []) throws(MalformedFrame) -> RetellInbound {
        var text = text
        do {
            return try text.withUTF8 { utf8 in try decode(UnsafeRawBufferPointer(utf8), previous: previous) }
        } catch let error as MalformedFrame {
            throw error
        } catch {
            throw MalformedFrame(reason: "\(error)")
        }
    }

    /// Decodes one text frame's UTF-8 bytes; see the `String` form.
    static func decode(_ bytes: UnsafeRawBufferPointer, previous: [Utterance] = []) throws(MalformedFrame) -> RetellInbound {
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
                case "transcript": transcript = reader.readNull() ? nil : try readTranscript(&reader, previous: previous)
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

    /// `[{"role": …, "content": …, "words": […]}, …]`, keeping role and content only.
    private static func readTranscript(_ reader: inout JSONReader, previous: [Utterance]) throws(JSONReadError) -> [Utterance] {
        var utterances: [Utterance] = []
        utterances.reserveCapacity(previous.count + 2)
        try reader.enterArray()
        while try reader.nextElement() {
            let index = utterances.count
            let hasEarlier = index < previous.count
            var role = ""
            var content = ""
            try reader.enterObject()
            while let key = try reader.nextKey() {
                switch key {
                case "role": role = try reader.readString(reusing: hasEarlier ? previous[index].role : nil)
                case "content": content = reader.readNull() ? "" : try reader.readString(reusing: hasEarlier ? previous[index].content : nil)
                default: try reader.skipValue()
                }
            }
            utterances.append(Utterance(role: role, content: content))
        }
        return utterances
    }
}

/// A frame that is not valid JSON or breaks the protocol.
struct MalformedFrame: Error, CustomStringConvertible {
    var reason: String
    var description: String { "malformed frame: \(reason)" }
}
