import Logging
import PluginAPI

/// Answers Retell's `call_inbound` webhook from agents.yaml: the agent whose `phone_numbers` include the
/// dialled number (else the agent Retell proposes, else `server.default_agent`) takes the call, with the
/// caller's number and whatever its skills know about the caller as dynamic variables.
struct InboundCallRouter: Sendable {
    let catalog: AgentCatalog
    let notifier: SkillNotifier
    /// Where `switchboard retell apply` recorded the Retell voice agent of each agent.
    let retellAgents: RetellAgentStore

    /// The `{"call_inbound": {...}}` answer for the request's `call_inbound` object.
    func answer(_ request: JSONValue, logger: Logger) async -> JSONValue {
        let from = request["from_number"]?.stringValue ?? ""
        let to = request["to_number"]?.stringValue ?? ""
        let agent = catalog.agent(phoneNumber: to)
            ?? request["agent_id"]?.stringValue.flatMap(catalog.agent(retellAgentID:))
            ?? catalog.config.server.defaultAgent.flatMap { catalog.agent($0) }
        var variables: [String: String] = [:]
        if !from.isEmpty { variables["caller_number"] = from }
        if !to.isEmpty { variables["called_number"] = to }
        var answer: [String: JSONValue] = [:]
        if let agent {
            variables.merge(await notifier.inboundVariables(from: from, to: to, agent: agent)) { _, skill in skill }
            if let retellID = await voiceAgentID(of: agent, logger: logger) { answer["override_agent_id"] = .string(retellID) }
        } else {
            logger.warning("inbound call matches no agent (no phone_numbers entry, no server.default_agent)", metadata: ["to": "\(to)"])
        }
        answer["dynamic_variables"] = .object(variables.mapValues(JSONValue.string))
        logger.info("inbound call routed", metadata: ["agent": "\(agent?.id ?? "-")", "to": "\(to)"])
        return .object(["call_inbound": .object(answer)])
    }

    /// The agent's Retell voice agent: its `retell_agent_id`, else the one `switchboard retell apply` created.
    private func voiceAgentID(of agent: Agent, logger: Logger) async -> String? {
        if let configured = agent.config.retellAgentID { return configured }
        do {
            return try await retellAgents.record(agentID: agent.id, role: .voice)?.retellID
        } catch {
            logger.warning("could not read the applied Retell agent ids", metadata: ["error": "\(error)"])
            return nil
        }
    }
}
