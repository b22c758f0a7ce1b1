import Foundation

/// What `switchboard retell apply` would do to make Retell match agents.yaml, per agent.
public struct RetellPlan: Sendable {
    public var agents: [AgentPlan]

    /// Whether applying would change anything on Retell.
    public var hasChanges: Bool { agents.contains { $0.hasChanges } }

    /// One agent's part of the plan.
    public struct AgentPlan: Sendable {
        public var agentID: String
        /// The voice agent (custom-LLM WebSocket).
        public var voice: AgentAction
        /// The Retell-hosted LLM and chat agent that send SMS (when the agent has `sms.from_number`).
        public var sms: SMSPlan?
        /// Numbers to bind to the agents.
        public var numbers: [NumberPlan]
        /// Things apply cannot fix (e.g. a number that is not on the Retell account).
        public var warnings: [String]

        public var hasChanges: Bool {
            voice.isChange || (sms.map { $0.llm.isChange || $0.chatAgent.isChange } ?? false) || numbers.contains { $0.isChange }
        }
    }

    /// The SMS part of an agent's plan.
    public struct SMSPlan: Sendable {
        public var fromNumber: String
        public var llm: LLMAction
        public var chatAgent: AgentAction
    }

    /// A field that differs: what Retell has, what agents.yaml wants.
    public struct FieldChange: Sendable, Hashable {
        public var field: String
        public var current: String?
        public var desired: String?
    }

    /// What to do with a voice or chat agent.
    public enum AgentAction: Sendable {
        /// Create it with this request (then publish it).
        case create(RetellAgentRequest, note: String?)
        /// Change these fields: on the latest draft, or on a new draft when the latest version is published.
        case update(retellID: String, current: RetellAgent, changes: [FieldChange], patch: RetellAgentRequest)
        /// Nothing to change, but the latest version is an unpublished draft.
        case publish(retellID: String, version: Int)
        /// Nothing to do.
        case unchanged(retellID: String, version: Int?)

        public var isChange: Bool {
            if case .unchanged = self { return false }
            return true
        }

        /// The Retell id when the agent exists.
        public var retellID: String? {
            switch self {
            case .create: return nil
            case .update(let id, _, _, _), .publish(let id, _), .unchanged(let id, _): return id
            }
        }
    }

    /// What to do with the SMS chat agent's LLM.
    public enum LLMAction: Sendable {
        case create(RetellLLMRequest)
        case update(llmID: String, changes: [FieldChange], patch: RetellLLMRequest)
        case unchanged(llmID: String)

        public var isChange: Bool {
            if case .unchanged = self { return false }
            return true
        }

        public var llmID: String? {
            switch self {
            case .create: return nil
            case .update(let id, _, _), .unchanged(let id): return id
            }
        }
    }

    /// A phone number of the agent and the agents it should be bound to.
    public struct NumberPlan: Sendable {
        public var number: String
        /// Bind inbound and outbound calls to the agent's voice agent.
        public var bindsVoice: Bool
        /// Bind outbound SMS to the agent's chat agent.
        public var bindsSMS: Bool
        public var changes: [FieldChange]

        public var isChange: Bool { !changes.isEmpty }
    }
}

extension RetellPlan: CustomStringConvertible {
    /// The plan as a readable diff: `+` create, `~` change, `^` publish, `=` unchanged, `!` needs you.
    public var description: String {
        var lines: [String] = []
        for agent in agents {
            lines.append("agent \(agent.agentID)")
            lines += Self.describe(agent.voice, kind: "voice agent")
            if let sms = agent.sms {
                switch sms.llm {
                case .create(let request):
                    lines.append("  + SMS LLM (create)")
                    lines.append("      begin_message: \(Self.quoted(request.beginMessage))")
                case .update(let id, let changes, _):
                    lines.append("  ~ SMS LLM \(id)")
                    lines += changes.map(Self.describe)
                case .unchanged(let id):
                    lines.append("  = SMS LLM \(id)")
                }
                lines += Self.describe(sms.chatAgent, kind: "SMS chat agent (from \(sms.fromNumber))")
            }
            for number in agent.numbers {
                let purpose = [number.bindsVoice ? "calls" : nil, number.bindsSMS ? "SMS" : nil].compactMap { $0 }.joined(separator: " and ")
                if number.changes.isEmpty {
                    lines.append("  = phone number \(number.number) (\(purpose))")
                } else {
                    lines.append("  ~ phone number \(number.number) (\(purpose))")
                    lines += number.changes.map(Self.describe)
                }
            }
            lines += agent.warnings.map { "  ! \($0)" }
        }
        let all = agents.flatMap { [$0.voice] + ($0.sms.map { [$0.chatAgent] } ?? []) }
        let creates = all.filter { if case .create = $0 { return true } else { return false } }.count
        let updates = all.filter { if case .update = $0 { return true } else { return false } }.count
        let publishes = all.filter { if case .publish = $0 { return true } else { return false } }.count
        let numbers = agents.flatMap(\.numbers).filter(\.isChange).count
        let llms = agents.compactMap(\.sms?.llm).filter(\.isChange).count
        if hasChanges {
            lines.append("Plan: \(creates) agent(s) to create, \(updates) to change, \(publishes) to publish, \(llms) SMS LLM(s), \(numbers) phone number(s) to bind.")
        } else {
            lines.append("No changes: Retell matches agents.yaml.")
        }
        return lines.joined(separator: "\n")
    }

    static func describe(_ action: AgentAction, kind: String) -> [String] {
        switch action {
        case .create(let request, let note):
            var lines = ["  + \(kind) (create)"]
            if let note { lines.append("      (\(note))") }
            lines += Self.fields(of: request).map { "      \($0.field): \(Self.quoted($0.desired))" }
            return lines
        case .update(let id, let current, let changes, _):
            let draft = current.isPublished == true ? ", on a new draft of published v\(current.version ?? 0)" : ""
            return ["  ~ \(kind) \(id) (update\(draft))"] + changes.map(describe)
        case .publish(let id, let version):
            return ["  ^ \(kind) \(id): publish draft v\(version)"]
        case .unchanged(let id, let version):
            return ["  = \(kind) \(id)" + (version.map { " v\($0)" } ?? "")]
        }
    }

    static func describe(_ change: FieldChange) -> String {
        "      \(change.field): \(quoted(change.current)) -> \(quoted(change.desired))"
    }

    static func quoted(_ value: String?) -> String { value.map { "\"\($0)\"" } ?? "(none)" }

    /// The fields Switchboard manages on an agent, in a fixed order.
    static func fields(of request: RetellAgentRequest) -> [FieldChange] {
        var fields: [FieldChange] = []
        func add(_ name: String, _ value: String?) { if let value { fields.append(FieldChange(field: name, current: nil, desired: value)) } }
        add("agent_name", request.agentName)
        add("voice_id", request.voiceID)
        add("language", request.language)
        add("response_engine.type", request.responseEngine?.type)
        add("response_engine.llm_websocket_url", request.responseEngine?.llmWebsocketURL)
        add("response_engine.llm_id", request.responseEngine?.llmID)
        add("webhook_url", request.webhookURL)
        return fields
    }
}
