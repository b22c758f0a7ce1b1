import ArgumentParser
import PluginAPI

/// `switchboard agents [--json]`: the agents, their skills, tools, LLM and language.
struct AgentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "agents", abstract: "List the configured agents and their tools.")

    @OptionGroup var options: ConfigOption

    @Flag(name: .long, help: "Print JSON, with every tool's JSON Schema.")
    var json = false

    func run() async throws {
        let catalog: AgentCatalog
        do {
            catalog = try await AgentCatalog.load(file: options.path, registry: SwitchboardCLI.registry)
        } catch {
            for issue in error.issues { printError(issue.description) }
            throw Exit.failure
        }
        if json {
            print(Self.json(catalog).canonicalJSON)
        } else {
            print(Self.table(catalog))
        }
    }

    static func json(_ catalog: AgentCatalog) -> JSONValue {
        ["agents": .array(catalog.agents.map { agent in
            [
                "id": .string(agent.id),
                "language": .string(agent.config.language),
                "timezone": .string(agent.timeZone.identifier),
                "llm": .string(agent.config.llm),
                "retell_agent_id": agent.config.retellAgentID.map(JSONValue.string) ?? .null,
                "skills": .array(agent.skills.map { .string($0.id) }),
                "status": .string(agent.status.label),
                "tools": .array(agent.tools.map { tool in
                    [
                        "name": .string(tool.definition.name),
                        "description": .string(tool.definition.description),
                        "parameters": tool.definition.parameters.json,
                        "source": .string(tool.source),
                    ]
                }),
            ]
        })]
    }

    static func table(_ catalog: AgentCatalog) -> String {
        let header = ["AGENT", "LANGUAGE", "TIMEZONE", "LLM", "STATUS", "SKILLS", "TOOLS"]
        let rows = catalog.agents.map { agent in
            [
                agent.id, agent.config.language, agent.timeZone.identifier, agent.config.llm, agent.status.label,
                agent.skills.map(\.id).joined(separator: ","), agent.tools.map(\.definition.name).joined(separator: ","),
            ]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        var lines = [line(header)] + rows.map(line)
        for agent in catalog.agents {
            if case .degraded(let reasons) = agent.status {
                lines.append("\(agent.id) is degraded: \(reasons.joined(separator: "; "))")
            }
        }
        return lines.joined(separator: "\n")
    }
}

import Foundation
