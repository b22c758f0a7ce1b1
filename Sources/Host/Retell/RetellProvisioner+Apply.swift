import Foundation
import PluginAPI

extension RetellProvisioner {
    /// Performs `plan`: creates or updates agents (on a new draft when the latest version is published),
    /// publishes them unless `publish` is false, binds phone numbers, and records the Retell ids.
    ///
    /// Returns one line per change made on Retell.
    @discardableResult
    public func apply(_ plan: RetellPlan, publish: Bool = true) async throws -> [String] {
        var done: [String] = []
        for agentPlan in plan.agents {
            guard let agent = catalog.agent(agentPlan.agentID) else { continue }
            let desired = try desiredVoice(agent)
            let voice = try await perform(agentPlan.voice, channel: .voice, publish: publish, label: "\(agent.id): voice agent", log: &done)
            try await record(agent.id, .voice, id: voice.id, version: voice.version, hash: Self.hash(desired))
            var chatID: String?
            if let sms = agentPlan.sms {
                let llmID = try await perform(sms.llm, label: "\(agent.id): SMS LLM", log: &done)
                try await record(agent.id, .smsLLM, id: llmID, version: nil, hash: Self.hash(desiredSMSLLM(agent)))
                var chatAction = sms.chatAgent
                // The chat agent's response engine names the LLM, which may have been created just now.
                switch chatAction {
                case .create(var request, let note):
                    request.responseEngine = .retellLLM(llmID)
                    chatAction = .create(request, note: note)
                case .update(let id, let current, let changes, var patch) where patch.responseEngine != nil:
                    patch.responseEngine = .retellLLM(llmID)
                    chatAction = .update(retellID: id, current: current, changes: changes, patch: patch)
                default: break
                }
                let chat = try await perform(chatAction, channel: .chat, publish: publish, label: "\(agent.id): SMS chat agent", log: &done)
                try await record(agent.id, .sms, id: chat.id, version: chat.version, hash: Self.hash(desiredChatAgent(agent, llmID: llmID)))
                chatID = chat.id
            }
            for number in agentPlan.numbers where number.isChange {
                var update = RetellPhoneNumberUpdate()
                let fields = Set(number.changes.map(\.field))
                if fields.contains("inbound_agents") { update.inboundAgents = [RetellAgentWeight(agentID: voice.id)] }
                if fields.contains("outbound_agents") { update.outboundAgents = [RetellAgentWeight(agentID: voice.id)] }
                if fields.contains("outbound_sms_agents"), let chatID { update.outboundSMSAgents = [RetellAgentWeight(agentID: chatID)] }
                guard !update.isEmpty else { continue }
                _ = try await client.updatePhoneNumber(number.number, update)
                done.append("\(agent.id): bound phone number \(number.number) (\(fields.sorted().joined(separator: ", ")))")
            }
        }
        return done
    }

    /// Creates, updates or publishes one agent; returns its id and the version now current.
    private func perform(
        _ action: RetellPlan.AgentAction, channel: RetellClient.AgentChannel, publish: Bool, label: String, log: inout [String]
    ) async throws -> (id: String, version: Int?) {
        switch action {
        case .create(let request, _):
            let created = try await client.createAgent(request, channel: channel)
            let version = created.version ?? 0
            if publish { try await client.publishAgentVersion(created.agentID, version: version) }
            log.append("\(label): created \(created.agentID)" + (publish ? " and published v\(version)" : " (draft v\(version))"))
            return (created.agentID, version)
        case .update(let id, let current, let changes, let patch):
            var version = current.version ?? 0
            if current.isPublished == true {
                version = try await client.createAgentVersion(id, baseVersion: version).version ?? version + 1
            }
            _ = try await client.updateAgent(id, patch, version: version, channel: channel)
            if publish { try await client.publishAgentVersion(id, version: version) }
            let fields = changes.map(\.field).joined(separator: ", ")
            log.append("\(label): updated \(id) (\(fields))" + (publish ? " and published v\(version)" : " (draft v\(version))"))
            return (id, version)
        case .publish(let id, let version):
            if publish {
                try await client.publishAgentVersion(id, version: version)
                log.append("\(label): published \(id) v\(version)")
            }
            return (id, version)
        case .unchanged(let id, let version):
            return (id, version)
        }
    }

    private func perform(_ action: RetellPlan.LLMAction, label: String, log: inout [String]) async throws -> String {
        switch action {
        case .create(let request):
            let llm = try await client.createLLM(request)
            log.append("\(label): created \(llm.llmID)")
            return llm.llmID
        case .update(let id, let changes, let patch):
            _ = try await client.updateLLM(id, patch)
            log.append("\(label): updated \(id) (\(changes.map(\.field).joined(separator: ", ")))")
            return id
        case .unchanged(let id):
            return id
        }
    }

    /// Saves a `retell_agents` row unless it already says the same.
    private func record(_ agentID: String, _ role: RetellAgentStore.Role, id: String, version: Int?, hash: String) async throws {
        if let existing = try await store.record(agentID: agentID, role: role), existing.retellID == id, existing.version == version,
            existing.configHash == hash
        {
            return
        }
        let now = Int64(clock.now().timeIntervalSince1970 * 1000)
        try await store.save(.init(agentID: agentID, role: role, retellID: id, version: version, configHash: hash, updatedAt: now))
    }
}
