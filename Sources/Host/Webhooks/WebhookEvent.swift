import Crypto
import Foundation
import PluginAPI

/// One Retell webhook delivery, decoded enough to store and dispatch it.
struct WebhookEvent: Sendable {
    /// The `event` field (`call_started`, `call_ended`, …; unknown values are kept as they are).
    var name: String
    /// The whole body.
    var body: JSONValue
    /// The body exactly as received (UTF-8), for `webhook_events.body`.
    var rawText: String
    /// The call object: `call`, else the deprecated `data`.
    var call: JSONValue?
    /// `call.call_id`, or the chat's `chat_id` for chat events.
    var subjectID: String?
    /// Unique per logical event: a redelivery has the same key and is stored once.
    var dedupeKey: String

    /// Lifecycle events Retell sends once per call (or chat); their key is event + id.
    static let oncePerSubject: Set<String> = [
        "call_started", "call_ended", "call_analyzed", "chat_started", "chat_ended", "chat_analyzed",
    ]

    /// Decodes `body`; `nil` when it is not an object with a string `event`.
    init?(body: JSONValue, rawText: String, rawBytes: some Collection<UInt8>) {
        guard let name = body["event"]?.stringValue, !name.isEmpty else { return nil }
        self.name = name
        self.body = body
        self.rawText = rawText
        let call = [body["call"], body["data"]].lazy.compactMap { $0 }.first { if case .object = $0 { true } else { false } }
        self.call = call
        subjectID = call?["call_id"]?.stringValue ?? body["chat"]?["chat_id"]?.stringValue
        if let subjectID, Self.oncePerSubject.contains(name) {
            dedupeKey = "\(name):\(subjectID)"
        } else {
            // Events that legitimately repeat (transcript_updated, transfers, inbound calls, unknown ones):
            // only a byte-identical redelivery is the same event.
            let digest = SHA256.hash(data: Data(rawBytes)).map { String(format: "%02x", $0) }.joined()
            dedupeKey = "\(name):\(subjectID ?? "-"):\(digest)"
        }
    }

    /// The call's status this event implies (`nil`: the event does not say).
    var impliedStatus: String? {
        switch name {
        case "call_started": return call?["call_status"]?.stringValue ?? "ongoing"
        case "call_ended": return call?["call_status"]?.stringValue ?? "ended"
        case "call_analyzed": return "analyzed"
        default: return call?["call_status"]?.stringValue
        }
    }

    /// Whether the event describes a voice call whose row and transcript we keep.
    var updatesCall: Bool {
        guard call?["call_id"]?.stringValue != nil else { return false }
        return name.hasPrefix("call_") || name == "transcript_updated" || name.hasPrefix("transfer_")
    }
}
