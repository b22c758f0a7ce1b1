import AsyncHTTPClient
import Foundation
import Logging
import PluginAPI

/// Everything a running Switchboard shares: the agent catalog, the database, the job queue, the tool
/// router and the host services plugins look up (the HTTP client among them).
public final class SwitchboardRuntime: Sendable {
    public let catalog: AgentCatalog
    public let database: SwitchboardDatabase
    public let jobs: DatabaseJobQueue
    public let tools: ToolRouter
    public let services: HostServices
    public let httpClient: HTTPClient
    public let clock: WallClock
    public let logger: Logger

    private init(
        catalog: AgentCatalog, database: SwitchboardDatabase, services: HostServices, httpClient: HTTPClient,
        clock: WallClock, logger: Logger
    ) {
        self.catalog = catalog
        self.database = database
        self.jobs = DatabaseJobQueue(storage: database, clock: clock)
        self.tools = ToolRouter(storage: database, jobs: jobs, services: services, logger: logger)
        self.services = services
        self.httpClient = httpClient
        self.clock = clock
        self.logger = logger
    }

    /// Loads agents.yaml, opens the database (`databaseOverride` wins over `server.database`) and applies
    /// migrations. Throws ``ConfigErrors`` for an invalid configuration.
    public static func start(
        configFile: String, registry: PluginRegistry, environment: [String: String] = ProcessInfo.processInfo.environment,
        databaseOverride: String? = nil, clock: WallClock = .system, logger: Logger = Logger(label: "switchboard")
    ) async throws -> SwitchboardRuntime {
        var clientConfiguration = HTTPClient.Configuration(timeout: .init(connect: .seconds(5)))
        // Every call streams from the LLM at once: HTTP/1's default of 8 connections per host would queue them.
        clientConfiguration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 1024)
        // HTTP/2 wherever TLS offers it (Gemini, OpenAI): an interrupted turn then resets its stream instead of
        // closing a connection, and one connection carries every call's stream.
        clientConfiguration.httpVersion = .automatic
        // No distributed tracing here: without a tracer the client skips a span per request (~2 % of a turn's CPU).
        clientConfiguration.tracing.tracer = nil
        let httpClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
        var services = HostServices()
        services.register(httpClient)
        services.register(clock)
        do {
            let catalog = try await AgentCatalog.load(
                file: configFile, registry: registry, environment: environment, services: services, logger: logger)
            for warning in catalog.warnings { logger.warning("\(warning)") }
            let location = databaseOverride ?? catalog.config.server.database
            let database = try await SwitchboardDatabase.open(location, logger: logger)
            do {
                let applied = try await MigrationRunner(registry: registry).run(on: database, logger: logger)
                if !applied.isEmpty { logger.info("applied migrations", metadata: ["migrations": "\(applied.joined(separator: ", "))"]) }
            } catch {
                try? await database.shutdown()
                throw error
            }
            logger.info("database open", metadata: ["engine": "\(database.engine.rawValue)", "location": "\(database.displayName)"])
            let retellDirectory = RetellAgentDirectory()
            do {
                retellDirectory.replace(with: try await RetellAgentStore(database: database.sql).directoryEntries())
            } catch {
                logger.warning("could not read the Retell agents recorded by `retell apply`", metadata: ["error": "\(error)"])
            }
            let sms = RetellSMSSender(catalog: catalog, queue: DatabaseJobQueue(storage: database, clock: clock), logger: logger)
            services.register(sms as any SMSSender, as: (any SMSSender).self)
            return SwitchboardRuntime(
                catalog: catalog.withRetellDirectory(retellDirectory), database: database, services: services, httpClient: httpClient,
                clock: clock, logger: logger)
        } catch {
            try? await httpClient.shutdown()
            throw error
        }
    }

    /// Closes the database and the HTTP client.
    public func shutdown() async {
        do { try await database.shutdown() } catch { logger.warning("closing the database failed", metadata: ["error": "\(error)"]) }
        do { try await httpClient.shutdown() } catch { logger.warning("closing the HTTP client failed", metadata: ["error": "\(error)"]) }
    }

    /// The job worker for this runtime's queue and the catalog's handlers.
    public func makeJobWorker(pollInterval: Duration = .seconds(1)) -> JobWorker {
        var handlers = catalog.jobHandlers
        handlers[RetellSMSJob.kind] = RetellSMSJob.handler(config: catalog.config.retell, httpClient: httpClient)
        return JobWorker(queue: jobs, handlers: handlers, services: services, logger: logger, pollInterval: pollInterval)
    }
}
