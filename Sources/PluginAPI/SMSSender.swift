import SQLKit

/// Sends confirmation text messages ("your table is booked for 7 pm") for agents that opted in with
/// `sms: { from_number: "+1…" }` in agents.yaml. A host service: look it up with
/// `context.services.get((any SMSSender).self)` on the context of a tool, hook or job (the host registers it
/// once the database is open, after plugins are set up, so it is not in ``PluginSetupContext/services``).
///
/// Messages go through the host's durable job queue: they are sent after the caller's transaction commits,
/// retried with backoff when the SMS provider fails, and a failure never breaks the call.
public protocol SMSSender: Sendable {
    /// Whether `agentID` sends confirmation SMS (has `sms.from_number`).
    func isEnabled(agentID: String) -> Bool

    /// Queues `text` to `number` (E.164) from `agentID`'s SMS number, in the caller's transaction `db`.
    ///
    /// Does nothing but log for an agent without SMS or a `number` that is not E.164; throws only when
    /// the job cannot be written to `db`.
    func sendConfirmation(to number: String, text: String, agentID: String, on db: any SQLDatabase) async throws
}
