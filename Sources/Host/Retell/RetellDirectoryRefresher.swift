import Foundation
import Logging
import ServiceLifecycle

/// Reloads the Retell agent ids recorded by `switchboard retell apply` while the server runs, so an
/// `apply` made meanwhile (from another shell or instance) reaches webhooks and sockets without a restart.
public struct RetellDirectoryRefresher: Service {
    let runtime: SwitchboardRuntime
    var interval: Duration = .seconds(30)

    public init(runtime: SwitchboardRuntime, interval: Duration = .seconds(30)) {
        self.runtime = runtime
        self.interval = interval
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let interval = interval
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            guard !Task.isShuttingDownGracefully, !Task.isCancelled else { return }
            await refresh()
        }
    }

    /// Reads `retell_agents` once into the catalog's directory.
    public func refresh() async {
        do {
            let entries = try await RetellAgentStore(database: runtime.database.sql).directoryEntries()
            runtime.catalog.retellDirectory.replace(with: entries)
        } catch {
            runtime.logger.warning("could not reload the Retell agent ids", metadata: ["error": "\(error)"])
        }
    }
}
