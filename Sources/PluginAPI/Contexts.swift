import Foundation
import Logging
import SQLKit

/// Everything a tool handler is given besides its arguments.
public struct ToolContext: Sendable {
    /// The call this tool runs for.
    public var call: CallInfo
    /// The agent's language (BCP 47, e.g. `de-DE`).
    public var language: String
    /// The agent's timezone.
    public var timeZone: TimeZone
    /// The caller turn (index in the transcript) that led to this call, when the tool runs in a call.
    public var turnIndex: Int?
    /// The source of "now": never read the system clock directly.
    public var clock: WallClock
    public var logger: Logger
    /// The database to use: inside the tool's transaction for ``ToolDefinition/Effect/mutating`` tools.
    public var db: any SQLDatabase
    /// The storage, for engine checks or a transaction of a read-only tool's own.
    public var storage: any PluginStorage
    /// This call's state, namespaced to the plugin, on ``db``.
    public var state: any CallState
    /// The durable job queue.
    public var jobs: any JobQueue
    /// Shared host services (HTTP client, data-file loader, …).
    public var services: HostServices
    /// When the host stops waiting for the tool (the agent's `tool_timeout`), if it runs under one. Calls to
    /// remote services should end before it, so the tool can still answer (hold the work for a retry, say)
    /// instead of being cut off with nothing done.
    public var deadline: ContinuousClock.Instant?

    public init(
        call: CallInfo, language: String, timeZone: TimeZone, turnIndex: Int?, clock: WallClock, logger: Logger,
        db: any SQLDatabase, storage: any PluginStorage, state: any CallState, jobs: any JobQueue, services: HostServices,
        deadline: ContinuousClock.Instant? = nil
    ) {
        self.call = call
        self.language = language
        self.timeZone = timeZone
        self.turnIndex = turnIndex
        self.clock = clock
        self.logger = logger
        self.db = db
        self.storage = storage
        self.state = state
        self.jobs = jobs
        self.services = services
        self.deadline = deadline
    }
}

/// What call hooks and prompt rendering are given.
public struct HookContext: Sendable {
    public var agentID: String
    public var timeZone: TimeZone
    public var clock: WallClock
    public var logger: Logger
    public var storage: any PluginStorage
    public var jobs: any JobQueue
    public var services: HostServices

    public init(
        agentID: String, timeZone: TimeZone, clock: WallClock, logger: Logger, storage: any PluginStorage,
        jobs: any JobQueue, services: HostServices
    ) {
        self.agentID = agentID
        self.timeZone = timeZone
        self.clock = clock
        self.logger = logger
        self.storage = storage
        self.jobs = jobs
        self.services = services
    }
}

/// What a plugin factory is given when it builds an instance from its configuration.
public struct PluginSetupContext: Sendable {
    /// The agent the instance is for (`nil` for shared instances such as named LLMs).
    public var agentID: String?
    /// The timezone configured around the plugin (agent or server), if any.
    public var timeZone: TimeZone?
    public var logger: Logger
    /// Reads the YAML data files the configuration names.
    public var files: any DataFileLoading
    public var services: HostServices

    public init(agentID: String?, timeZone: TimeZone?, logger: Logger, files: any DataFileLoading, services: HostServices) {
        self.agentID = agentID
        self.timeZone = timeZone
        self.logger = logger
        self.files = files
        self.services = services
    }
}
