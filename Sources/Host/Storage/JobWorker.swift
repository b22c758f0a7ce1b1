import Foundation
import Logging
import PluginAPI
import ServiceLifecycle

/// Runs due jobs from the durable queue until the service group shuts down.
public struct JobWorker: Service {
    let queue: DatabaseJobQueue
    let handlers: [String: JobHandler]
    let services: HostServices
    let logger: Logger
    /// How often to look for due jobs.
    var pollInterval: Duration = .seconds(1)
    /// Jobs run at once.
    var batchSize = 8

    public init(queue: DatabaseJobQueue, handlers: [String: JobHandler], services: HostServices, logger: Logger,
                pollInterval: Duration = .seconds(1)) {
        self.queue = queue
        self.handlers = handlers
        self.services = services
        self.logger = logger
        self.pollInterval = pollInterval
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let claimed: Int
            do {
                claimed = try await runDueJobs()
            } catch {
                logger.error("job queue poll failed", metadata: ["error": "\(error)"])
                claimed = 0
            }
            if claimed < batchSize {
                let interval = pollInterval
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            }
        }
    }

    /// Claims and runs one batch; returns how many jobs it ran.
    @discardableResult
    public func runDueJobs() async throws -> Int {
        let jobs = try await queue.claim(limit: batchSize)
        await withTaskGroup(of: Void.self) { group in
            for job in jobs { group.addTask { await run(job) } }
        }
        return jobs.count
    }

    private func run(_ job: DatabaseJobQueue.Claimed) async {
        var jobLogger = logger
        jobLogger[metadataKey: "job_id"] = "\(job.id)"
        jobLogger[metadataKey: "job_kind"] = "\(job.kind)"
        guard let handler = handlers[job.kind] else {
            jobLogger.error("no handler for job kind; will retry later")
            try? await queue.fail(job.id, attempt: job.attempt, maxAttempts: 100, error: "no handler for kind \(job.kind)")
            return
        }
        let context = JobContext(
            jobID: job.id, attempt: job.attempt, storage: queue.storage, clock: queue.clock, logger: jobLogger, services: services)
        do {
            try await handler.run(job.payload, context)
            try await queue.complete(job.id)
        } catch {
            let final = job.attempt >= handler.maxAttempts
            jobLogger.log(level: final ? .error : .warning, "job failed", metadata: [
                "attempt": "\(job.attempt)", "error": "\(error)", "gave_up": "\(final)",
            ])
            try? await queue.fail(job.id, attempt: job.attempt, maxAttempts: handler.maxAttempts, error: "\(error)")
        }
    }
}

