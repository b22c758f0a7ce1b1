import Foundation
import Hummingbird
import Logging
import PluginAPI

/// `POST /retell/webhook` and its aliases: Retell's signed call lifecycle events and the inbound-call
/// routing webhook.
///
/// A lifecycle event is stored durably (raw event, call row, transcript) before it is answered with 204,
/// once per event however often Retell redelivers it; then the agent's skills hear about `call_ended` and
/// `call_analyzed` (their failures are logged, never returned). `call_inbound` is answered from the config.
enum WebhookRoutes {
    static let paths = [
        "/retell/webhook", "/api/retell/webhook",
        "/webhooks/retell/call-started", "/webhooks/retell/call-ended", "/webhooks/retell/call-analyzed",
    ]

    static func register(on router: Router<some RequestContext>, runtime: SwitchboardRuntime) {
        let handler = WebhookHandler(runtime: runtime)
        for path in paths {
            router.post(RouterPath(path)) { request, _ in try await handler.handle(request) }
        }
    }
}

/// Handles one webhook request.
struct WebhookHandler: Sendable {
    let runtime: SwitchboardRuntime
    let reader: SignedRequestReader
    let store: WebhookStore
    let notifier: SkillNotifier
    let inbound: InboundCallRouter

    init(runtime: SwitchboardRuntime) {
        self.runtime = runtime
        reader = SignedRequestReader(runtime: runtime)
        store = WebhookStore(
            storage: runtime.database, calls: CallStore(storage: runtime.database, clock: runtime.clock), clock: runtime.clock)
        notifier = SkillNotifier(runtime: runtime)
        inbound = InboundCallRouter(
            catalog: runtime.catalog, notifier: notifier, retellAgents: RetellAgentStore(database: runtime.database.sql))
    }

    func handle(_ request: Request) async throws -> Response {
        let body: NIOCore.ByteBuffer
        switch try await reader.read(request) {
        case .reject(let response): return response
        case .body(let bytes): body = bytes
        }
        let parsed: (json: JSONValue, text: String)
        switch JSONBody.parse(body) {
        case .failure(let rejected): return rejected.response
        case .success(let value): parsed = value
        }
        guard let event = WebhookEvent(body: parsed.json, rawText: parsed.text, rawBytes: body.readableBytesView) else {
            return .jsonError("a Retell webhook body is a JSON object with a string \"event\"", status: .badRequest)
        }
        var logger = runtime.logger
        logger[metadataKey: "event"] = "\(event.name)"
        if let id = event.subjectID { logger[metadataKey: "call_id"] = "\(id)" }

        let agent = event.call?["agent_id"]?.stringValue.flatMap(runtime.catalog.agent(retellAgentID:))
        let outcome: WebhookStore.Outcome
        do {
            outcome = try await store.record(event, agentID: agent?.id)
        } catch {
            logger.error("could not store a webhook event; Retell will retry", metadata: ["error": "\(error)"])
            return .jsonError("could not store the event", status: .internalServerError)
        }
        logger.info("webhook", metadata: ["stored": "\(outcome == .stored)", "agent": "\(agent?.id ?? "-")"])

        if event.name == "call_inbound" {
            return .json(await inbound.answer(event.body["call_inbound"] ?? .object([:]), logger: logger))
        }
        if outcome == .stored, let agent, let call = event.call, event.name == "call_ended" || event.name == "call_analyzed" {
            let info = RetellCallObject.callInfo(call, agentID: agent.id, fallbackID: event.subjectID ?? "")
            let analysis = call["call_analysis"].flatMap { $0.isNull ? nil : $0 }
            let callOutcome = CallOutcome(
                call: info, disconnectionReason: call["disconnection_reason"]?.stringValue,
                transcript: RetellCallObject.transcriptText(call), analysis: event.name == "call_analyzed" ? analysis : nil)
            await notifier.notify(event: event.name, outcome: callOutcome, agent: agent)
        }
        return Response(status: .noContent)
    }
}
