import Foundation
import PluginAPI

/// One utterance of Retell's live transcript (`words` timings are not decoded).
public struct Utterance: Sendable, Hashable, Decodable {
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

    private struct Envelope: Decodable {
        var interaction_type: String
        var response_id: Int?
        var timestamp: Int64?
        var transcript: [Utterance]?
        var call: JSONValue?
    }

    /// Decodes one text frame; throws ``MalformedFrame`` with the reason.
    static func decode(_ text: String) throws -> RetellInbound {
        let envelope: Envelope
        do {
            envelope = try JSONDecoder().decode(Envelope.self, from: Data(text.utf8))
        } catch {
            throw MalformedFrame(reason: Self.describe(error))
        }
        switch envelope.interaction_type {
        case "ping_pong":
            return .pingPong(timestamp: envelope.timestamp ?? 0)
        case "call_details":
            return .callDetails(call: envelope.call ?? .null)
        case "update_only":
            return .updateOnly(transcript: envelope.transcript ?? [])
        case "response_required", "reminder_required":
            guard let id = envelope.response_id else { throw MalformedFrame(reason: "\(envelope.interaction_type) without response_id") }
            return .responseRequired(id: id, transcript: envelope.transcript ?? [], isReminder: envelope.interaction_type == "reminder_required")
        default:
            return .unknown(envelope.interaction_type)
        }
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "missing \(key.stringValue)"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        case DecodingError.dataCorrupted: return "not JSON"
        default: return "\(error)"
        }
    }
}

/// A frame that is not valid JSON or breaks the protocol.
struct MalformedFrame: Error, CustomStringConvertible {
    var reason: String
    var description: String { "malformed frame: \(reason)" }
}
