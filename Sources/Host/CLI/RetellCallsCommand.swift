import ArgumentParser
import Foundation
import PluginAPI

/// `switchboard retell call --agent A --to N [--from N]`: places an outbound call.
struct RetellCallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "call", abstract: "Place an outbound call with an agent.")

    @OptionGroup var options: ConfigOption
    @Option(name: .long, help: "The agent id from agents.yaml.") var agent: String
    @Option(name: .long, help: "The number to call, E.164.") var to: String
    @Option(name: .long, help: "The Retell number to call from (default: the agent's first phone_numbers entry).") var from: String?

    func validate() throws {
        guard ConfigParser.isE164(to) else { throw ValidationError("--to must be E.164, e.g. +14155550100") }
        if let from, !ConfigParser.isE164(from) { throw ValidationError("--from must be E.164, e.g. +14155550100") }
    }

    func run() async throws {
        try await RetellSession.run(options, command: "call") { runtime, client in
            let agent = try RetellSession.agent(self.agent, in: runtime.catalog)
            guard let retellID = try await RetellSession.voiceAgentID(agent, runtime: runtime) else {
                printError("agent '\(agent.id)' is not on Retell yet: run `switchboard retell apply` first")
                throw Exit.failure
            }
            guard let from = from ?? agent.config.phoneNumbers.first else {
                printError("agent '\(agent.id)' has no phone_numbers: pass --from with a number on your Retell account")
                throw Exit.usage
            }
            let call = try await client.createPhoneCall(RetellCreatePhoneCallRequest(
                fromNumber: from, toNumber: to, overrideAgentID: retellID, metadata: ["switchboard_agent_id": .string(agent.id)]))
            print(call.callID)
            printError("calling \(to) from \(from) with \(agent.id): \(call.callStatus ?? "registered")")
        }
    }
}

/// `switchboard retell calls [--agent A] [--limit N]`: the most recent calls on Retell.
struct RetellCallsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "calls", abstract: "List recent calls on Retell, newest first.")

    @OptionGroup var options: ConfigOption
    @Option(name: .long, help: "Only this agent's calls.") var agent: String?
    @Option(name: .long, help: "How many calls to show.") var limit: Int = 20

    func validate() throws {
        guard (1...1000).contains(limit) else { throw ValidationError("--limit must be between 1 and 1000") }
    }

    func run() async throws {
        try await RetellSession.run(options, command: "calls") { runtime, client in
            var filter = RetellCallFilter()
            if let agent {
                let found = try RetellSession.agent(agent, in: runtime.catalog)
                guard let id = try await RetellSession.voiceAgentID(found, runtime: runtime) else {
                    printError("agent '\(found.id)' is not on Retell yet: run `switchboard retell apply` first")
                    throw Exit.failure
                }
                filter.agentIDs = [id]
            }
            let calls = try await client.recentCalls(filter: filter, maximum: limit)
            print(Self.table(calls, catalog: runtime.catalog))
        }
    }

    /// The calls as a table, agents named by our ids where known.
    static func table(_ calls: [RetellCall], catalog: AgentCatalog) -> String {
        if calls.isEmpty { return "No calls." }
        let formatter = ISO8601DateFormatter()
        let rows = calls.map { call in
            [
                call.startTimestamp.map { formatter.string(from: Date(timeIntervalSince1970: Double($0) / 1000)) } ?? "-",
                call.callID, call.agentID.map { catalog.agent(retellAgentID: $0)?.id ?? $0 } ?? "-", call.direction ?? "-",
                call.fromNumber ?? "-", call.toNumber ?? "-", call.callStatus ?? "-",
                call.durationMs.map { "\($0 / 1000)s" } ?? "-", call.disconnectionReason ?? "",
            ]
        }
        return RetellSession.table(["STARTED", "CALL", "AGENT", "DIRECTION", "FROM", "TO", "STATUS", "DURATION", "REASON"], rows)
    }
}
