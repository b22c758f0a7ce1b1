import Crypto
import Foundation
import Logging
import PluginAPI
import PostgresKit
import SQLKit
import SQLiteKit

/// Runs an agent's tools for every caller: the WebSocket engine, Retell custom functions and
/// `switchboard tool`. Checks arguments against the schema, applies the timeout, runs mutating tools in
/// one transaction with their `tool_invocations` record, and returns the stored result when the same
/// call re-issues the same tool with the same arguments for the same caller turn.
public struct ToolRouter: Sendable {
    /// One request to run a tool.
    public struct Invocation: Sendable {
        public var agent: Agent
        public var call: CallInfo
        public var toolCall: ToolCall
        /// The caller turn that asked (count of caller utterances so far); `nil` disables deduplication.
        public var turnIndex: Int?
        /// `websocket`, `function` or `cli`, for the record.
        public var source: String
        public var clock: WallClock

        public init(agent: Agent, call: CallInfo, toolCall: ToolCall, turnIndex: Int?, source: String, clock: WallClock) {
            self.agent = agent
            self.call = call
            self.toolCall = toolCall
            self.turnIndex = turnIndex
            self.source = source
            self.clock = clock
        }
    }

    /// What came of an invocation.
    public struct Outcome: Sendable {
        public var result: ToolResult
        /// True when the result is the stored one of an earlier identical invocation.
        public var replayed: Bool
    }

    public let storage: any PluginStorage
    public let jobs: any JobQueue
    public let services: HostServices
    public let logger: Logger

    public init(storage: any PluginStorage, jobs: any JobQueue, services: HostServices, logger: Logger) {
        self.storage = storage
        self.jobs = jobs
        self.services = services
        self.logger = logger
    }

    /// Runs the tool. Throws ``ToolError/unknownTool(_:)`` and ``ToolError/invalidArguments(_:)`` before
    /// anything runs; a handler that throws or times out becomes an error result (and is recorded).
    public func run(_ invocation: Invocation) async throws -> Outcome {
        let agent = invocation.agent
        let call = invocation.toolCall
        guard let tool = agent.tool(named: call.name) else { throw ToolError.unknownTool(call.name) }
        let problems = tool.definition.parameters.validate(call.arguments)
        guard problems.isEmpty else { throw ToolError.invalidArguments(problems) }
        guard let provider = tool.provider else { return Outcome(result: engineTool(call, agent: agent), replayed: false) }

        var callLogger = logger
        callLogger[metadataKey: "call_id"] = "\(invocation.call.callID)"
        callLogger[metadataKey: "agent"] = "\(agent.id)"
        callLogger[metadataKey: "tool"] = "\(call.name)"
        let logger = callLogger
        let started = ContinuousClock.now
        let key = tool.definition.effect == .mutating ? Self.idempotencyKey(invocation) : nil
        let timeout = agent.config.toolTimeout
        do {
            let outcome: Outcome
            if tool.definition.effect == .mutating {
                outcome = try await runMutating(invocation, provider: provider, source: tool.source, key: key, started: started, timeout: timeout, logger: logger)
            } else {
                let deadline = ContinuousClock.now + timeout
                let result = try await withTimeout(timeout) {
                    try await provider.handle(
                        call, context: self.context(invocation, db: self.storage.sql, namespace: tool.source, logger: logger, deadline: deadline))
                }
                try? await record(invocation, key: nil, result: result, started: started, on: storage.sql)
                outcome = Outcome(result: result, replayed: false)
            }
            callLogger.info("tool ran", metadata: [
                "replayed": "\(outcome.replayed)", "is_error": "\(outcome.result.isError)",
                "ms": "\((ContinuousClock.now - started).milliseconds)",
            ])
            return outcome
        } catch let error as ToolTimeout {
            callLogger.warning("tool timed out", metadata: ["timeout_ms": "\(timeout.milliseconds)"])
            let result = ToolResult.failure("The \(call.name) tool did not answer in time (\(error.limit.milliseconds) ms).")
            try? await record(invocation, key: nil, result: result, started: started, on: storage.sql)
            return Outcome(result: result, replayed: false)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            callLogger.error("tool failed", metadata: ["error": "\(error)"])
            let result = ToolResult.failure("The \(call.name) tool failed: \(error)")
            try? await record(invocation, key: nil, result: result, started: started, on: storage.sql)
            return Outcome(result: result, replayed: false)
        }
    }

    private func runMutating(
        _ invocation: Invocation, provider: any ToolProvider, source: String, key: String?, started: ContinuousClock.Instant,
        timeout: Duration, logger: Logger
    ) async throws -> Outcome {
        for attempt in 1...2 {
            do {
                return try await storage.transaction { db in
                    if let key, let stored = try await Self.storedResult(key: key, on: db) {
                        return Outcome(result: stored, replayed: true)
                    }
                    let deadline = ContinuousClock.now + timeout
                    let result = try await withTimeout(timeout) {
                        try await provider.handle(
                            invocation.toolCall, context: self.context(invocation, db: db, namespace: source, logger: logger, deadline: deadline))
                    }
                    try await self.record(invocation, key: key, result: result, started: started, on: db)
                    return Outcome(result: result, replayed: false)
                }
            } catch where attempt == 1 && key != nil && Self.isUniqueViolation(error) {
                continue  // a concurrent twin committed first: the second pass replays its result
            }
        }
        throw ToolError.failed("could not record the invocation")
    }

    /// The stored result for `key`, if this invocation ran before.
    static func storedResult(key: String, on db: any SQLDatabase) async throws -> ToolResult? {
        guard let row = try await db.select().columns("result", "is_error").from("tool_invocations")
            .where("idempotency_key", .equal, SQLBind(key)).first()
        else { return nil }
        let text = try row.decode(column: "result", as: String.self)
        return try JSONDecoder().decode(ToolResult.self, from: Data(text.utf8))
    }

    private func record(_ invocation: Invocation, key: String?, result: ToolResult, started: ContinuousClock.Instant, on db: any SQLDatabase) async throws {
        let encoded = String(decoding: try JSONEncoder().encode(result), as: UTF8.self)
        let now = Int64(invocation.clock.now().timeIntervalSince1970 * 1000)
        try await db.insert(into: "tool_invocations")
            .columns("call_id", "agent_id", "tool", "arguments", "turn_index", "idempotency_key", "result", "is_error", "source", "duration_ms", "created_at")
            .values(
                SQLBind(invocation.call.callID), SQLBind(invocation.agent.id), SQLBind(invocation.toolCall.name),
                SQLBind(invocation.toolCall.arguments.canonicalJSON), SQLBind(invocation.turnIndex), SQLBind(key),
                SQLBind(encoded), SQLBind(result.isError), SQLBind(invocation.source),
                SQLBind(Int64((ContinuousClock.now - started).milliseconds)), SQLBind(now))
            .run()
    }

    private func context(
        _ invocation: Invocation, db: any SQLDatabase, namespace: String, logger: Logger, deadline: ContinuousClock.Instant
    ) -> ToolContext {
        ToolContext(
            call: invocation.call, language: invocation.agent.config.language, timeZone: invocation.agent.timeZone,
            turnIndex: invocation.turnIndex, clock: invocation.clock, logger: logger, db: db, storage: storage,
            state: CallStateStore(db: db, callID: invocation.call.callID, namespace: namespace, clock: invocation.clock),
            jobs: jobs, services: services, deadline: deadline)
    }

    /// The engine's own tools: they only produce actions for the call.
    private func engineTool(_ call: ToolCall, agent: Agent) -> ToolResult {
        switch call.name {
        case "end_call":
            return ToolResult(["ok": true, "action": "end_call"], actions: [.endCall])
        case "transfer_call":
            guard let number = agent.config.transferNumber else { return .failure("No transfer number is configured.") }
            return ToolResult(["ok": true, "action": "transfer_call"], actions: [.transfer(number: number)])
        default:
            return .failure("unknown engine tool \(call.name)")
        }
    }

    /// call id + tool + canonical arguments + caller turn, hashed; `nil` without a turn.
    static func idempotencyKey(_ invocation: Invocation) -> String? {
        guard let turn = invocation.turnIndex else { return nil }
        let material = [invocation.call.callID, invocation.toolCall.name, invocation.toolCall.arguments.canonicalJSON, String(turn)]
            .joined(separator: "\u{1F}")
        return SHA256.hash(data: Data(material.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func isUniqueViolation(_ error: any Error) -> Bool {
        if let error = error as? PSQLError { return error.serverInfo?[.sqlState] == "23505" }
        if let error = error as? SQLiteError { return error.reason == .constraintUniqueFailed || error.reason == .constraint }
        return false
    }
}

/// A tool did not finish within its limit.
struct ToolTimeout: Error {
    let limit: Duration
}

/// Runs `body`, cancelling it and throwing ``ToolTimeout`` when it takes longer than `limit`.
func withTimeout<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: limit)
            throw ToolTimeout(limit: limit)
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}

extension Duration {
    /// Whole milliseconds.
    var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}
