import ArgumentParser
import Foundation
import PluginAPI

/// The `switchboard` command line. The executable calls ``main(plugins:)`` with the plugins it was built with.
public enum SwitchboardCLI {
    /// The plugins of this build, visible to every subcommand.
    @TaskLocal static var registry = PluginRegistry()

    /// Parses the process arguments, runs the subcommand and exits: 0 ok, 1 failure, 2 usage.
    public static func main(plugins: [any PluginFactory]) async -> Never {
        await $registry.withValue(PluginRegistry(plugins)) {
            await run(arguments: Array(CommandLine.arguments.dropFirst()))
        }
    }

    private static func run(arguments: [String]) async -> Never {
        do {
            var command = try SwitchboardCommand.parseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            exit(0)
        } catch {
            let code = SwitchboardCommand.exitCode(for: error)
            if code == .success {
                print(SwitchboardCommand.fullMessage(for: error))
                exit(0)
            }
            let message = SwitchboardCommand.fullMessage(for: error)
            if !message.isEmpty { FileHandle.standardError.write(Data((message + "\n").utf8)) }
            // ArgumentParser reports usage errors as EX_USAGE (64); our contract says 2.
            exit(code == .validationFailure ? 2 : code.rawValue == 0 ? 1 : code.rawValue)
        }
    }
}

/// `switchboard`: the root command.
struct SwitchboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "switchboard",
        abstract: "Phone voice agents for Retell AI.",
        subcommands: [ServeCommand.self, ValidateCommand.self, AgentsCommand.self, ToolCommand.self, ChatCommand.self, LLMCommand.self, RetellCommand.self],
        defaultSubcommand: nil)
}

/// The `--config` option every subcommand takes.
struct ConfigOption: ParsableArguments {
    @Option(name: .long, help: "agents.yaml to use (default: $SWITCHBOARD_CONFIG, else ./agents.yaml).")
    var config: String?

    /// The file to read.
    var path: String {
        config ?? ProcessInfo.processInfo.environment["SWITCHBOARD_CONFIG"].flatMap { $0.isEmpty ? nil : $0 } ?? "agents.yaml"
    }
}

/// Writes to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Exit codes of the contract.
enum Exit {
    static let failure = ExitCode(1)
    static let usage = ExitCode(2)
}
