import ArgumentParser
import PluginAPI

/// `switchboard validate`: every problem as `file:line:column: key.path: message`; exit 1 on errors.
struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate", abstract: "Check agents.yaml and print every problem found.")

    @OptionGroup var options: ConfigOption

    func run() async throws {
        do {
            let catalog = try await AgentCatalog.load(file: options.path, registry: SwitchboardCLI.registry)
            for warning in catalog.warnings { print(warning) }
            printError("\(options.path): valid, \(catalog.agents.count) agent(s)" + (catalog.warnings.isEmpty ? "" : ", \(catalog.warnings.count) warning(s)"))
        } catch {
            for issue in error.issues { print(issue) }
            let errors = error.issues.filter { $0.severity == .error }.count
            printError("\(options.path): \(errors) error(s)")
            throw Exit.failure
        }
    }
}
