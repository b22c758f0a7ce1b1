import Foundation
import PluginAPI
import SQLKit

/// Stores a webhook delivery durably: the raw event in `webhook_events` (once per dedupe key) and, in the
/// same transaction, the call's row and transcript through ``CallStore``.
struct WebhookStore: Sendable {
    let storage: any PluginStorage
    let calls: CallStore
    let clock: WallClock

    /// Whether the delivery was new.
    enum Outcome: Sendable, Equatable {
        case stored
        /// The same event was stored before (a redelivery): nothing changed.
        case duplicate
    }

    /// Records `event` (with `agentID`, our agent, when known). Returns once it is committed.
    func record(_ event: WebhookEvent, agentID: String?) async throws -> Outcome {
        do {
            return try await storage.transaction { db in try await self.record(event, agentID: agentID, on: db) }
        } catch where ToolRouter.isUniqueViolation(error) {
            // An identical delivery committed concurrently: this second pass finds it and reports a duplicate.
            return try await storage.transaction { db in try await self.record(event, agentID: agentID, on: db) }
        }
    }

    private func record(_ event: WebhookEvent, agentID: String?, on db: any SQLDatabase) async throws -> Outcome {
        let seen = try await db.select().column("id").from("webhook_events")
            .where("dedupe_key", .equal, SQLBind(event.dedupeKey)).first()
        if seen != nil { return .duplicate }
        try await db.insert(into: "webhook_events")
            .columns("event", "call_id", "dedupe_key", "body", "received_at")
            .values(
                SQLBind(event.name), SQLBind(event.call?["call_id"]?.stringValue), SQLBind(event.dedupeKey),
                SQLBind(event.rawText), SQLBind(Int64((clock.now().timeIntervalSince1970 * 1000).rounded(.down))))
            .run()
        guard event.updatesCall, let call = event.call,
            let update = CallRecordUpdate(retellCall: call, agentID: agentID, status: event.impliedStatus)
        else { return .stored }
        try await calls.upsert(update, on: db)
        if let text = RetellCallObject.transcriptText(call) {
            try await calls.saveTranscript(
                callID: update.callID, text: text, transcriptObject: call["transcript_object"], source: "webhook", on: db)
        }
        return .stored
    }
}
