import Foundation
import Logging
import PluginAPI

/// Tells an agent's skills about call events and asks them about inbound callers. Runs every skill at
/// once under a time limit, so a slow or failing plugin never delays or fails a webhook; failures are logged.
struct SkillNotifier: Sendable {
    let runtime: SwitchboardRuntime
    /// How long all skills together may take.
    var limit: Duration = .seconds(4)

    func context(for agent: Agent, logger: Logger) -> HookContext {
        HookContext(
            agentID: agent.id, timeZone: agent.timeZone, clock: runtime.clock, logger: logger,
            storage: runtime.database, jobs: runtime.jobs, services: runtime.services)
    }

    /// Calls `callEnded` or `callAnalyzed` (by `event`) on each of the agent's skills.
    func notify(event: String, outcome: CallOutcome, agent: Agent) async {
        var logger = runtime.logger
        logger[metadataKey: "call_id"] = "\(outcome.call.callID)"
        logger[metadataKey: "agent"] = "\(agent.id)"
        let context = context(for: agent, logger: logger)
        _ = await eachSkill(of: agent, logger: logger, what: event) { skill in
            if event == "call_analyzed" {
                try await skill.callAnalyzed(outcome, context: context)
            } else {
                try await skill.callEnded(outcome, context: context)
            }
            return [:]
        }
    }

    /// Dynamic variables every skill of `agent` offers for an inbound call (later skills win on clashes).
    func inboundVariables(from: String, to: String, agent: Agent) async -> [String: String] {
        var logger = runtime.logger
        logger[metadataKey: "agent"] = "\(agent.id)"
        let context = context(for: agent, logger: logger)
        return await eachSkill(of: agent, logger: logger, what: "inbound lookup") { skill in
            try await skill.inboundLookup(from: from, to: to, context: context)
        }
    }

    /// Runs `body` on every skill concurrently, merging their variables in skill order.
    private func eachSkill(
        of agent: Agent, logger: Logger, what: String,
        _ body: @escaping @Sendable (any Skill) async throws -> [String: String]
    ) async -> [String: String] {
        let skills = agent.skills
        let limit = limit
        let results = await withTaskGroup(of: (Int, [String: String]).self) { group in
            for (index, entry) in skills.enumerated() {
                group.addTask {
                    do {
                        return (index, try await withTimeout(limit) { try await body(entry.skill) })
                    } catch {
                        logger.error("skill hook failed", metadata: ["skill": "\(entry.id)", "hook": "\(what)", "error": "\(error)"])
                        return (index, [:])
                    }
                }
            }
            var results: [(Int, [String: String])] = []
            for await result in group { results.append(result) }
            return results
        }
        var merged: [String: String] = [:]
        for (_, variables) in results.sorted(by: { $0.0 < $1.0 }) { merged.merge(variables) { _, later in later } }
        return merged
    }
}
