import ArgumentParser
import Foundation
import Logging
import PluginAPI

/// `switchboard retell …`: provision agents on Retell from agents.yaml and inspect numbers and calls.
struct RetellCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retell", abstract: "Set up agents, phone numbers and SMS on Retell from agents.yaml; place and list calls.",
        subcommands: [
            RetellPlanCommand.self, RetellApplyCommand.self, RetellNumbersCommand.self, RetellCallCommand.self, RetellCallsCommand.self,
        ])
}

/// Runs a Retell subcommand with a runtime (config + database) and a client, mapping failures to exit 1.
enum RetellSession {
    static func run(
        _ options: ConfigOption, command: String, _ body: (SwitchboardRuntime, RetellClient) async throws -> Void
    ) async throws {
        let logger = LoggingSetup.logger(level: .warning)
        let runtime: SwitchboardRuntime
        do {
            runtime = try await SwitchboardRuntime.start(configFile: options.path, registry: SwitchboardCLI.registry, logger: logger)
        } catch let error as ConfigErrors {
            for issue in error.issues { printError(issue.description) }
            throw Exit.failure
        } catch {
            printError("switchboard retell \(command): \(error)")
            throw Exit.failure
        }
        do {
            let client = try RetellClient(config: runtime.catalog.config.retell, httpClient: runtime.httpClient, logger: logger)
            try await body(runtime, client)
            await runtime.shutdown()
        } catch let exit as ExitCode {
            await runtime.shutdown()
            throw exit
        } catch {
            await runtime.shutdown()
            printError("switchboard retell \(command): \(error)")
            throw Exit.failure
        }
    }

    /// The Retell voice agent id of `agent`: `retell_agent_id`, else the one `retell apply` recorded.
    static func voiceAgentID(_ agent: Agent, runtime: SwitchboardRuntime) async throws -> String? {
        if let configured = agent.config.retellAgentID { return configured }
        return try await RetellAgentStore(database: runtime.database.sql).record(agentID: agent.id, role: .voice)?.retellID
    }

    /// The agent `id`, or a usage error listing the agents.
    static func agent(_ id: String, in catalog: AgentCatalog) throws -> Agent {
        guard let agent = catalog.agent(id) else {
            let ids = catalog.agents.map(\.id)
            printError("no agent '\(id)'" + ConfigReader.suggestion(for: id, among: ids) + " (agents: \(ids.joined(separator: ", ")))")
            throw Exit.usage
        }
        return agent
    }

    /// Left-aligned columns separated by two spaces.
    static func table(_ header: [String], _ rows: [[String]]) -> String {
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        return ([header] + rows).map { cells in
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}

/// `switchboard retell plan`: what `apply` would change on Retell, as a readable diff.
struct RetellPlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan", abstract: "Show what `retell apply` would create or change on Retell (reads only).")

    @OptionGroup var options: ConfigOption

    @Flag(name: .customLong("no-publish"), help: "Plan for `apply --no-publish` (unpublished drafts are not a change).")
    var noPublish = false

    func run() async throws {
        try await RetellSession.run(options, command: "plan") { runtime, client in
            let provisioner = RetellProvisioner(
                catalog: runtime.catalog, client: client, store: RetellAgentStore(database: runtime.database.sql), clock: runtime.clock)
            print(try await provisioner.plan(publish: !noPublish))
        }
    }
}

/// `switchboard retell apply [--no-publish]`: makes Retell match agents.yaml and records the agent ids.
struct RetellApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply", abstract: "Create or update the agents, SMS chat agents and number bindings on Retell.")

    @OptionGroup var options: ConfigOption

    @Flag(name: .customLong("no-publish"), help: "Leave new agent versions as drafts.")
    var noPublish = false

    func run() async throws {
        try await RetellSession.run(options, command: "apply") { runtime, client in
            let provisioner = RetellProvisioner(
                catalog: runtime.catalog, client: client, store: RetellAgentStore(database: runtime.database.sql), clock: runtime.clock)
            let plan = try await provisioner.plan(publish: !noPublish)
            print(plan)
            guard plan.hasChanges else { return }
            let done = try await provisioner.apply(plan, publish: !noPublish)
            print("")
            for line in done { print("done: \(line)") }
            for warning in plan.agents.flatMap(\.warnings) { printError("warning: \(warning)") }
            if done.isEmpty { print("Nothing was changed.") }
        }
    }
}
