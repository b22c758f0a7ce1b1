import ArgumentParser
import Hummingbird
import Logging
import PluginAPI

/// `switchboard serve`: runs the server until SIGINT/SIGTERM.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the server.")

    @OptionGroup var options: ConfigOption

    @Option(name: .long, help: "Port to listen on (overrides server.port).")
    var port: Int?

    @Option(name: .long, help: "SQLite file or postgres:// URL (overrides server.database).")
    var database: String?

    func run() async throws {
        let catalogCheck: AgentCatalog
        do {
            catalogCheck = try await AgentCatalog.load(file: options.path, registry: SwitchboardCLI.registry)
        } catch {
            printError("switchboard: \(options.path) is not valid; the server will not start:")
            for issue in error.issues { printError(issue.description) }
            throw Exit.failure
        }
        let server = catalogCheck.config.server
        let logger = LoggingSetup.logger(level: server.logLevel)
        reportOpenFileLimit(OpenFileLimit.raiseToHard(), logger: logger)
        if !server.verifySignatures {
            logger.warning("server.verify_signatures is false: Retell signatures are NOT checked. Use this only for local development.")
        }
        let runtime: SwitchboardRuntime
        do {
            runtime = try await SwitchboardRuntime.start(
                configFile: options.path, registry: SwitchboardCLI.registry, databaseOverride: database, logger: logger)
        } catch {
            logger.critical("could not start", metadata: ["error": "\(error)"])
            throw Exit.failure
        }
        for agent in runtime.catalog.agents {
            if case .degraded(let reasons) = agent.status {
                logger.warning("agent is degraded: its calls will hear the fallback line", metadata: [
                    "agent": "\(agent.id)", "reasons": "\(reasons.joined(separator: "; "))",
                ])
            }
        }
        let port = port ?? server.port
        let app = SwitchboardServer.makeApplication(runtime: runtime, host: server.host, port: port) { channel in
            logger.info("listening", metadata: ["address": "\(channel.localAddress?.description ?? "?")"])
        }
        do {
            try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
        } catch {
            logger.critical("server stopped", metadata: ["error": "\(error)"])
            await runtime.shutdown()
            throw Exit.failure
        }
        await runtime.shutdown()
        logger.info("stopped")
    }

    /// Logs the open-file limit the server runs with, and warns when it caps the calls below a thousand.
    private func reportOpenFileLimit(_ limit: OpenFileLimit?, logger: Logger) {
        guard let limit else {
            logger.warning("the open-file limit could not be read")
            return
        }
        let metadata: Logger.Metadata = ["soft": "\(limit.soft)", "hard": "\(limit.hard)", "calls": "\(limit.concurrentCalls)"]
        if limit.concurrentCalls < 1000 {
            logger.warning(
                "the open-file limit allows only about \(limit.concurrentCalls) concurrent calls; raise the hard limit (ulimit -Hn, or LimitNOFILE= for systemd)",
                metadata: metadata)
        } else {
            logger.info("open-file limit (soft raised to hard)", metadata: metadata)
        }
    }
}
