import ArgumentParser
import Foundation
import Logging
import PluginAPI

/// `switchboard tool AGENT TOOL 'JSON-ARGS' [--now ISO-8601] [--call ID]`: runs one tool outside a call.
///
/// Standard output is exactly the tool's JSON result; the spoken text, actions and logs go to standard
/// error. Exit 0 ok, 1 tool error, 2 usage error.
struct ToolCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tool", abstract: "Run one tool of an agent and print its JSON result.")

    @OptionGroup var options: ConfigOption

    @Argument(help: "The agent id.") var agent: String
    @Argument(help: "The tool name.") var tool: String
    @Argument(help: "The arguments as a JSON object.") var arguments: String = "{}"

    @Option(name: .long, help: "Fix the clock the tool sees (ISO 8601, e.g. 2026-03-02T10:00:00+01:00).")
    var now: String?

    @Option(name: .long, help: "Call id, so that several runs share one call's state.")
    var call: String?

    @Option(name: .long, help: "The caller's number (E.164) the tool sees.")
    var from: String?

    func validate() throws {
        if let now, Self.parseDate(now) == nil {
            throw ValidationError("--now must be an ISO 8601 date-time such as 2026-03-02T10:00:00+01:00, got '\(now)'")
        }
    }

    func run() async throws {
        let arguments: JSONValue
        do {
            arguments = try JSONValue(parsing: self.arguments)
        } catch {
            printError("switchboard tool: the arguments are not valid JSON: \(error)")
            throw Exit.usage
        }
        guard case .object = arguments else {
            printError("switchboard tool: the arguments must be a JSON object, e.g. '{\"phrase\":\"morgen\"}'")
            throw Exit.usage
        }
        let clock = now.flatMap(Self.parseDate).map(WallClock.fixed) ?? .system
        let logger = LoggingSetup.logger(level: .warning)
        let runtime: SwitchboardRuntime
        do {
            runtime = try await SwitchboardRuntime.start(
                configFile: options.path, registry: SwitchboardCLI.registry, clock: clock, logger: logger)
        } catch let error as ConfigErrors {
            for issue in error.issues { printError(issue.description) }
            throw Exit.failure
        } catch {
            printError("switchboard tool: \(error)")
            throw Exit.failure
        }
        let code = await run(arguments: arguments, runtime: runtime, clock: clock)
        await runtime.shutdown()
        if code != .success { throw code }
    }

    private func run(arguments: JSONValue, runtime: SwitchboardRuntime, clock: WallClock) async -> ExitCode {
        guard let agent = runtime.catalog.agent(self.agent) else {
            let ids = runtime.catalog.agents.map(\.id)
            printError("switchboard tool: no agent '\(self.agent)'" + ConfigReader.suggestion(for: self.agent, among: ids) + " (agents: \(ids.joined(separator: ", ")))")
            return Exit.usage
        }
        let callID = call ?? "cli-" + UUID().uuidString.lowercased()
        let info = CallInfo(callID: callID, agentID: agent.id, fromNumber: from, direction: "inbound")
        let toolCall = ToolCall(id: "cli-" + UUID().uuidString.lowercased(), name: tool, arguments: arguments)
        do {
            let outcome = try await runtime.tools.run(.init(
                agent: agent, call: info, toolCall: toolCall, turnIndex: nil, source: "cli", clock: clock))
            print(outcome.result.value.canonicalJSON)
            if let text = outcome.result.text { printError("say: \(text)") }
            for action in outcome.result.actions { printError("action: \(action)") }
            return outcome.result.isError ? Exit.failure : .success
        } catch let error as ToolError {
            switch error {
            case .unknownTool(let name):
                let names = agent.tools.map(\.definition.name)
                printError("switchboard tool: agent '\(agent.id)' has no tool '\(name)'" + ConfigReader.suggestion(for: name, among: names) + " (tools: \(names.joined(separator: ", ")))")
            case .invalidArguments(let problems):
                printError("switchboard tool: invalid arguments for \(tool):")
                for problem in problems { printError("  \(problem)") }
            case .failed(let message):
                printError("switchboard tool: \(message)")
                return Exit.failure
            }
            return Exit.usage
        } catch {
            printError("switchboard tool: \(error)")
            return Exit.failure
        }
    }

    /// Parses ISO 8601 with or without fractional seconds.
    static func parseDate(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
