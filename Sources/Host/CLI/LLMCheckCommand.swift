import ArgumentParser
import AsyncHTTPClient
import PluginAPI

/// `switchboard llm check NAME`: asks the provider of an `llms` entry which models it serves and whether
/// the configured one is among them. An operator's probe of the live service; tests never run it against one.
struct LLMCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "llm", abstract: "Operator checks of the configured LLMs.", subcommands: [LLMCheckCommand.self])
}

struct LLMCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check", abstract: "List the live models of an llms entry and check its model.")

    @OptionGroup var options: ConfigOption

    @Argument(help: "The name of an entry under llms.") var name: String

    func run() async throws {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        var services = HostServices()
        services.register(client)
        do {
            try await check(services: services)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    private func check(services: HostServices) async throws {
        let catalog: AgentCatalog
        do {
            catalog = try await AgentCatalog.load(file: options.path, registry: SwitchboardCLI.registry, services: services,
                                                  logger: LoggingSetup.logger(level: .warning))
        } catch {
            for issue in error.issues { printError(issue.description) }
            throw Exit.failure
        }
        let names = catalog.config.llms.map(\.name)
        guard let entry = catalog.config.llms.first(where: { $0.name == name }) else {
            printError("switchboard llm check: no llms entry '\(name)'" + ConfigReader.suggestion(for: name, among: names) + " (entries: \(names.joined(separator: ", ")))")
            throw Exit.usage
        }
        guard let backend = catalog.llm(named: name) as? any ModelListing else {
            printError("switchboard llm check: the \(entry.plugin) plugin cannot list models")
            throw Exit.failure
        }
        do {
            let models = try await backend.listModels()
            for model in models.sorted() { print(model) }
            let configured = entry.node["model"]?.json.stringValue ?? ""
            if models.contains(configured) {
                printError("\(name): model \(configured) is available")
            } else {
                printError("\(name): model '\(configured)' is NOT among the \(models.count) models listed" + ConfigReader.suggestion(for: configured, among: models))
                throw Exit.failure
            }
        } catch let error as LLMError {
            printError("switchboard llm check: \(error)")
            throw Exit.failure
        }
    }
}
