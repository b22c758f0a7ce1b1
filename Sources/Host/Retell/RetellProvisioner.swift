import Crypto
import Foundation
import PluginAPI

/// Makes Retell match agents.yaml: one custom-LLM voice agent per agent (WebSocket and webhook URLs built
/// from `server.public_url`), its `phone_numbers` bound to it, and for agents with `sms.from_number` a
/// Retell LLM + chat agent whose first message is `{{message}}`, used to send confirmation SMS.
///
/// ``plan(publish:)`` only reads; ``apply(_:publish:)`` performs a plan and records the Retell ids in
/// `retell_agents` (never in agents.yaml). Both are idempotent: applying twice changes nothing the second time.
public struct RetellProvisioner: Sendable {
    public let catalog: AgentCatalog
    public let client: RetellClient
    public let store: RetellAgentStore
    public let clock: WallClock

    public init(catalog: AgentCatalog, client: RetellClient, store: RetellAgentStore, clock: WallClock) {
        self.catalog = catalog
        self.client = client
        self.store = store
        self.clock = clock
    }

    /// A problem that stops planning.
    public enum Failure: Error, CustomStringConvertible {
        case noPublicURL
        case invalidPublicURL(String)

        public var description: String {
            switch self {
            case .noPublicURL:
                return "server.public_url is not set: Retell needs the public https:// address of this server (set SWITCHBOARD_PUBLIC_URL)"
            case .invalidPublicURL(let url):
                return "server.public_url '\(url)' must start with https:// (or http:// for a local test)"
            }
        }
    }

    /// The first message of every SMS chat: the whole text comes in as the dynamic variable `message`.
    public static let smsBeginMessage = "{{message}}"

    // MARK: - URLs

    /// `wss://<public host>/llm-websocket/<agent id>` (`ws://` for an `http://` public URL).
    public static func webSocketURL(publicURL: String, agentID: String) throws(Failure) -> String {
        let base = try trimmed(publicURL)
        let scheme = base.hasPrefix("https://") ? "wss://" : "ws://"
        let rest = base.drop { $0 != ":" }.dropFirst(3)
        return scheme + rest + "/llm-websocket/" + agentID
    }

    /// `<public url>/retell/webhook`.
    public static func webhookURL(publicURL: String) throws(Failure) -> String {
        try trimmed(publicURL) + "/retell/webhook"
    }

    private static func trimmed(_ url: String) throws(Failure) -> String {
        guard url.hasPrefix("https://") || url.hasPrefix("http://") else { throw .invalidPublicURL(url) }
        var base = url
        while base.hasSuffix("/") { base.removeLast() }
        return base
    }

    // MARK: - Desired state

    /// The voice agent agents.yaml asks for.
    func desiredVoice(_ agent: Agent) throws(Failure) -> RetellAgentRequest {
        guard let publicURL = catalog.config.server.publicURL else { throw .noPublicURL }
        return RetellAgentRequest(
            responseEngine: .customLLM(try Self.webSocketURL(publicURL: publicURL, agentID: agent.id)),
            voiceID: agent.config.retell.voiceID, agentName: agent.config.retell.agentName ?? agent.id,
            language: agent.config.language, webhookURL: try Self.webhookURL(publicURL: publicURL))
    }

    /// The LLM behind the SMS chat agent.
    func desiredSMSLLM(_ agent: Agent) -> RetellLLMRequest {
        let name = agent.config.retell.agentName ?? agent.id
        let callNumber = agent.config.phoneNumbers.first ?? agent.config.smsFromNumber ?? ""
        return RetellLLMRequest(
            generalPrompt: """
                You send confirmation text messages for \(name). Your first message has already been sent. \
                If the recipient replies, answer in one short sentence, in their language, that this number only sends \
                confirmations and that they can call \(callNumber) for anything else.
                """,
            beginMessage: Self.smsBeginMessage)
    }

    /// The SMS chat agent, on the LLM `llmID` (nil while the LLM is still to be created).
    func desiredChatAgent(_ agent: Agent, llmID: String?) -> RetellAgentRequest {
        RetellAgentRequest(
            responseEngine: .retellLLM(llmID ?? "(new SMS LLM)"), agentName: (agent.config.retell.agentName ?? agent.id) + " (SMS)",
            language: agent.config.language)
    }

    // MARK: - Plan

    /// Compares agents.yaml with what Retell has now; reads only.
    public func plan(publish: Bool = true) async throws -> RetellPlan {
        let records = try await store.all()
        func recorded(_ agentID: String, _ role: RetellAgentStore.Role) -> String? {
            records.first { $0.agentID == agentID && $0.role == role }?.retellID
        }
        var plans: [RetellPlan.AgentPlan] = []
        for agent in catalog.agents {
            var warnings: [String] = []
            let desired = try desiredVoice(agent)
            let voice = try await agentAction(
                candidates: [agent.config.retellAgentID, recorded(agent.id, .voice)], desired: desired, channel: .voice,
                publish: publish, warnings: &warnings)
            var sms: RetellPlan.SMSPlan?
            if let from = agent.config.smsFromNumber {
                let llm = try await llmAction(recorded(agent.id, .smsLLM), desired: desiredSMSLLM(agent), warnings: &warnings)
                let chat = try await agentAction(
                    candidates: [recorded(agent.id, .sms)], desired: desiredChatAgent(agent, llmID: llm.llmID), channel: .chat,
                    publish: publish, warnings: &warnings)
                sms = RetellPlan.SMSPlan(fromNumber: from, llm: llm, chatAgent: chat)
            }
            let numbers = try await numberPlans(agent, voiceID: voice.retellID, chatID: sms?.chatAgent.retellID, warnings: &warnings)
            plans.append(RetellPlan.AgentPlan(agentID: agent.id, voice: voice, sms: sms, numbers: numbers, warnings: warnings))
        }
        return RetellPlan(agents: plans)
    }

    private func agentAction(
        candidates: [String?], desired: RetellAgentRequest, channel: RetellClient.AgentChannel, publish: Bool, warnings: inout [String]
    ) async throws -> RetellPlan.AgentAction {
        var missing: [String] = []
        for id in candidates.compactMap({ $0 }) where !missing.contains(id) {
            guard let current = try await fetch({ () async throws(RetellError) in try await client.getAgent(id, channel: channel) }) else {
                missing.append(id)
                continue
            }
            let changes = Self.changes(current: current, desired: desired)
            if !changes.isEmpty {
                return .update(retellID: id, current: current, changes: changes, patch: Self.patch(desired, changes: changes))
            }
            if publish, current.isPublished != true { return .publish(retellID: id, version: current.version ?? 0) }
            return .unchanged(retellID: id, version: current.version)
        }
        let note = missing.isEmpty ? nil : "\(missing.joined(separator: ", ")) no longer exists on Retell"
        return .create(desired, note: note)
    }

    private func llmAction(_ recordedID: String?, desired: RetellLLMRequest, warnings: inout [String]) async throws -> RetellPlan.LLMAction {
        guard let id = recordedID, let current = try await fetch({ () async throws(RetellError) in try await client.getLLM(id) }) else {
            return .create(desired)
        }
        var changes: [RetellPlan.FieldChange] = []
        var patch = RetellLLMRequest()
        if current.beginMessage != desired.beginMessage {
            changes.append(.init(field: "begin_message", current: current.beginMessage, desired: desired.beginMessage))
            patch.beginMessage = desired.beginMessage
        }
        if current.generalPrompt != desired.generalPrompt {
            changes.append(.init(field: "general_prompt", current: current.generalPrompt, desired: desired.generalPrompt))
            patch.generalPrompt = desired.generalPrompt
        }
        return changes.isEmpty ? .unchanged(llmID: id) : .update(llmID: id, changes: changes, patch: patch)
    }

    private func numberPlans(_ agent: Agent, voiceID: String?, chatID: String?, warnings: inout [String]) async throws -> [RetellPlan.NumberPlan] {
        var numbers: [String] = agent.config.phoneNumbers
        if let from = agent.config.smsFromNumber, !numbers.contains(from) { numbers.append(from) }
        var plans: [RetellPlan.NumberPlan] = []
        for number in numbers {
            let bindsVoice = agent.config.phoneNumbers.contains(number)
            let bindsSMS = agent.config.smsFromNumber == number
            guard let current = try await fetch({ () async throws(RetellError) in try await client.getPhoneNumber(number) }) else {
                warnings.append("""
                    phone number \(number) is not on the Retell account: buy it (switchboard retell numbers buy --area-code N) \
                    or import it from your SIP trunk (switchboard retell numbers import), then apply again
                    """)
                continue
            }
            var changes: [RetellPlan.FieldChange] = []
            let newVoice = "(new voice agent of \(agent.id))"
            let newChat = "(new SMS chat agent of \(agent.id))"
            func compare(_ field: String, _ current: [String], _ desired: String) {
                if current != [desired] {
                    changes.append(.init(field: field, current: current.isEmpty ? nil : current.joined(separator: ","), desired: desired))
                }
            }
            if bindsVoice {
                compare("inbound_agents", current.effectiveInboundAgentIDs, voiceID ?? newVoice)
                compare("outbound_agents", current.effectiveOutboundAgentIDs, voiceID ?? newVoice)
            }
            if bindsSMS { compare("outbound_sms_agents", (current.outboundSMSAgents ?? []).map(\.agentID), chatID ?? newChat) }
            plans.append(RetellPlan.NumberPlan(number: number, bindsVoice: bindsVoice, bindsSMS: bindsSMS, changes: changes))
        }
        return plans
    }

    /// The resource, or nil when Retell does not know it (404, or 422 "not found under this API key").
    private func fetch<Value>(_ get: () async throws(RetellError) -> Value) async throws(RetellError) -> Value? {
        do {
            return try await get()
        } catch {
            if let api = error.apiError, api.kind == .notFound || api.kind == .unprocessable { return nil }
            throw error
        }
    }

    /// The managed fields where `current` differs from `desired`.
    static func changes(current: RetellAgent, desired: RetellAgentRequest) -> [RetellPlan.FieldChange] {
        var have = RetellAgentRequest(
            responseEngine: current.responseEngine, voiceID: current.voiceID, agentName: current.agentName, language: current.language,
            webhookURL: current.webhookURL)
        if desired.voiceID == nil { have.voiceID = nil }
        let currentFields = Dictionary(RetellPlan.fields(of: have).map { ($0.field, $0.desired) }, uniquingKeysWith: { first, _ in first })
        return RetellPlan.fields(of: desired).compactMap { field in
            let old = currentFields[field.field] ?? nil
            return old == field.desired ? nil : RetellPlan.FieldChange(field: field.field, current: old, desired: field.desired)
        }
    }

    /// `desired` reduced to the changed fields (the whole response engine when any part of it changed).
    static func patch(_ desired: RetellAgentRequest, changes: [RetellPlan.FieldChange]) -> RetellAgentRequest {
        let names = Set(changes.map(\.field))
        var patch = RetellAgentRequest()
        if names.contains(where: { $0.hasPrefix("response_engine") }) { patch.responseEngine = desired.responseEngine }
        if names.contains("voice_id") { patch.voiceID = desired.voiceID }
        if names.contains("agent_name") { patch.agentName = desired.agentName }
        if names.contains("language") { patch.language = desired.language }
        if names.contains("webhook_url") { patch.webhookURL = desired.webhookURL }
        return patch
    }

    /// A short, stable hash of a request (what was applied), for the `retell_agents` table.
    static func hash(_ value: some Encodable) -> String {
        let data = (try? RetellClient.encoder.encode(value)) ?? Data()
        return SHA256.hash(data: data).prefix(12).map { String(format: "%02x", $0) }.joined()
    }
}
