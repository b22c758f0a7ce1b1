import Foundation
import Logging
import PluginAPI
import SQLKit

/// The state of one call on one socket: which agent, what Retell told us, the tool exchanges so far,
/// and the turn in flight. Frames arrive here in order from the socket's read loop.
actor CallSession {
    let runtime: SwitchboardRuntime
    let outbox: Outbox
    let callID: String
    /// Where the call's tasks run (the socket's event loop).
    private let executor: any TaskExecutor
    private(set) var agent: Agent?
    private var logger: Logger
    private var call: CallInfo?
    private var transcript: [Utterance] = []
    private var exchanges: [ToolExchange] = []
    private var rounds = 0
    private var turn: Task<Void, Never>?
    private var deadline: Task<Void, Never>?
    private var beginPending = true
    private var isReconnect = false
    private var pendingRequest: (id: Int, transcript: [Utterance], isReminder: Bool)?
    private var skillVariables: (values: [String: JSONValue], at: Date)?
    private var callbackRecorded = false

    /// How long to wait for `call_details` before greeting or choosing the default agent.
    static let callDetailsWait: Duration = .seconds(2)

    init(runtime: SwitchboardRuntime, outbox: Outbox, agent: Agent?, callID: String, executor: any TaskExecutor) {
        self.runtime = runtime
        self.executor = executor
        self.outbox = outbox
        self.callID = callID
        self.agent = agent
        var logger = runtime.logger
        logger[metadataKey: "call_id"] = "\(callID)"
        if let agent { logger[metadataKey: "agent"] = "\(agent.id)" }
        self.logger = logger
    }

    // MARK: Opening

    /// Sends `config`, detects a reconnect (state lives in the database, so it may be another
    /// instance's call) and starts waiting for `call_details`.
    func open() async {
        outbox.send(.raw(RetellOutbound.config(), responseID: nil))
        let marker = CallStateStore(db: runtime.database.sql, callID: callID, namespace: "engine", clock: runtime.clock)
        do {
            if try await marker.get("socket_opened") != nil {
                isReconnect = true
                beginPending = false
                exchanges = try await Self.loadExchanges(callID: callID, on: runtime.database.sql)
                rounds = (exchanges.map(\.round).max() ?? -1) + 1
                logger.info("call reconnected", metadata: ["tool_exchanges": "\(exchanges.count)"])
            } else {
                try await marker.set("socket_opened", .int(Int(runtime.clock.now().timeIntervalSince1970)))
                logger.info("call connected")
            }
        } catch {
            logger.error("could not read or write the call's state", metadata: ["error": "\(error)"])
        }
        let wait = Self.callDetailsWait
        deadline = Task(executorPreference: executor) { [weak self] in
            try? await Task.sleep(for: wait)
            guard !Task.isCancelled else { return }
            await self?.callDetailsTimedOut()
        }
    }

    private func callDetailsTimedOut() async {
        if agent == nil {
            let byDefault = runtime.catalog.config.server.defaultAgent.flatMap { runtime.catalog.agent($0) }
            guard let fallback = byDefault else {
                logger.warning("no agent for this call: call_details did not name a known agent and server.default_agent is not set")
                outbox.send(.close(reason: "no agent for this call (set retell_agent_id or server.default_agent)"))
                return
            }
            adopt(fallback)
        }
        await greetIfPending()
    }

    private func adopt(_ agent: Agent) {
        self.agent = agent
        logger[metadataKey: "agent"] = "\(agent.id)"
        if call == nil { call = CallInfo(callID: callID, agentID: agent.id) }
        call?.agentID = agent.id
    }

    /// Speaks the begin message (response 0) once, unless the call resumed after a reconnect.
    private func greetIfPending() async {
        guard beginPending, let agent, let call else { return }
        beginPending = false
        let variables = await promptVariables(agent: agent, call: call, cached: skillVariables)
        let greeting = agent.beginMessage.render(PromptVariables.make(agent: agent, call: call, skillVariables: variables, now: runtime.clock.now()))
        outbox.send(.complete(id: 0, content: greeting, endCall: false, transferNumber: nil))
        if let pending = pendingRequest {
            pendingRequest = nil
            startTurn(id: pending.id, transcript: pending.transcript, isReminder: pending.isReminder)
        }
    }

    // MARK: Frames

    func handle(_ frame: RetellInbound) async {
        switch frame {
        case .pingPong:
            return  // answered by the socket's read loop
        case .callDetails(let details):
            await receiveCallDetails(details)
        case .updateOnly(let transcript):
            self.transcript = transcript
        case .responseRequired(let id, let transcript, let isReminder):
            self.transcript = transcript
            if agent == nil || beginPending && call == nil {
                pendingRequest = (id, transcript, isReminder)
            } else {
                beginPending = false
                startTurn(id: id, transcript: transcript, isReminder: isReminder)
            }
        case .unknown(let type):
            logger.debug("ignored frame", metadata: ["interaction_type": "\(type)"])
        }
    }

    private func receiveCallDetails(_ details: JSONValue) async {
        if agent == nil {
            let retellAgentID = details["agent_id"]?.stringValue
            let byID = retellAgentID.flatMap { runtime.catalog.agent(retellAgentID: $0) }
            let byDefault = runtime.catalog.config.server.defaultAgent.flatMap { runtime.catalog.agent($0) }
            if let found = byID ?? byDefault {
                adopt(found)
            } else {
                logger.warning("call_details names no known agent", metadata: ["retell_agent_id": "\(retellAgentID ?? "none")"])
                outbox.send(.close(reason: "no agent for Retell agent \(retellAgentID ?? "(none)")"))
                return
            }
        }
        guard let agent else { return }
        var variables: [String: String] = [:]
        for (key, value) in details["retell_llm_dynamic_variables"]?.objectValue ?? [:] {
            variables[key] = value.stringValue ?? value.canonicalJSON
        }
        call = CallInfo(
            callID: callID, agentID: agent.id, retellAgentID: details["agent_id"]?.stringValue,
            fromNumber: details["from_number"]?.stringValue, toNumber: details["to_number"]?.stringValue,
            direction: details["direction"]?.stringValue, metadata: details["metadata"] ?? .null, dynamicVariables: variables)
        if var record = CallRecordUpdate(retellCall: details, agentID: agent.id, status: "ongoing") {
            record.callID = callID
            do {
                try await CallStore(storage: runtime.database, clock: runtime.clock).upsert(record)
            } catch {
                logger.error("could not store the call", metadata: ["error": "\(error)"])
            }
        }
        await greetIfPending()
    }

    // MARK: Turns

    private func startTurn(id: Int, transcript: [Utterance], isReminder: Bool) {
        guard let agent, let call else { return }
        turn?.cancel()
        let runner = TurnRunner(
            session: self, runtime: runtime, outbox: outbox, agent: agent, call: call, responseID: id,
            turnIndex: Conversation.callerTurns(transcript), logger: logger)
        let messages = Conversation.messages(transcript: transcript, exchanges: exchanges, isReminder: isReminder)
        let cached = skillVariables
        turn = Task(executorPreference: executor) {
            let variables = await self.promptVariables(agent: agent, call: call, cached: cached)
            let prompt = agent.persona.render(PromptVariables.make(agent: agent, call: call, skillVariables: variables, now: self.runtime.clock.now()))
            await runner.run(systemPrompt: prompt, messages: messages)
        }
    }

    /// Skill variables for the persona, refreshed at most once a minute.
    private func promptVariables(agent: Agent, call: CallInfo, cached: (values: [String: JSONValue], at: Date)?) async -> [String: JSONValue] {
        let now = runtime.clock.now()
        if let cached, now.timeIntervalSince(cached.at) < 60 { return cached.values }
        var values: [String: JSONValue] = [:]
        let context = hookContext(agent)
        for (id, skill) in agent.skills {
            do {
                values[id] = try await skill.promptVariables(for: call, context: context)
            } catch {
                logger.error("skill prompt variables failed", metadata: ["skill": "\(id)", "error": "\(error)"])
            }
        }
        skillVariables = (values, now)
        return values
    }

    /// A new LLM round id (groups the tool calls of one model answer).
    func nextRound() -> Int {
        defer { rounds += 1 }
        return rounds
    }

    /// Keeps a finished tool exchange in the call's history (also when its turn was superseded).
    func record(_ exchange: ToolExchange) {
        let position = exchanges.lastIndex { $0.turnIndex <= exchange.turnIndex }.map { $0 + 1 } ?? 0
        exchanges.insert(exchange, at: position)
    }

    /// Stores a callback request for staff, once per call.
    func recordCallbackRequest(reason: String) async {
        guard !callbackRecorded, let agent, agent.config.fallback.callback else { return }
        callbackRecorded = true
        do {
            try await runtime.database.sql.insert(into: "callback_requests")
                .columns("call_id", "agent_id", "phone", "reason", "status", "created_at")
                .values(SQLBind(callID), SQLBind(agent.id), SQLBind(call?.callerNumber), SQLBind(reason), SQLBind("open"),
                        SQLBind(Int64(runtime.clock.now().timeIntervalSince1970 * 1000)))
                .run()
        } catch {
            logger.error("could not store the callback request", metadata: ["error": "\(error)"])
        }
    }

    // MARK: Closing

    /// Stops the turn in flight, stores the transcript, and (when Retell ended the call cleanly) tells the skills.
    func close(clean: Bool) async {
        deadline?.cancel()
        turn?.cancel()
        await turn?.value
        guard let agent else { return }
        if !transcript.isEmpty {
            let object = JSONValue.array(transcript.map { ["role": .string($0.role), "content": .string($0.content)] })
            do {
                try await CallStore(storage: runtime.database, clock: runtime.clock).saveTranscript(
                    callID: callID, text: Conversation.plainText(transcript), transcriptObject: object, source: "websocket")
            } catch {
                logger.error("could not store the transcript", metadata: ["error": "\(error)"])
            }
        }
        guard clean, let call else {
            logger.info("socket closed", metadata: ["clean": "\(clean)"])
            return
        }
        let outcome = CallOutcome(call: call, transcript: Conversation.plainText(transcript))
        for (id, skill) in agent.skills {
            do {
                try await skill.callEnded(outcome, context: hookContext(agent))
            } catch {
                logger.error("skill call-ended hook failed", metadata: ["skill": "\(id)", "error": "\(error)"])
            }
        }
        logger.info("call ended")
    }

    private func hookContext(_ agent: Agent) -> HookContext {
        HookContext(
            agentID: agent.id, timeZone: agent.timeZone, clock: runtime.clock, logger: logger, storage: runtime.database,
            jobs: runtime.jobs, services: runtime.services)
    }

    /// The tool exchanges recorded for `callID`, for a reconnecting socket.
    static func loadExchanges(callID: String, on db: any SQLDatabase) async throws -> [ToolExchange] {
        let rows = try await db.select().columns("id", "tool", "arguments", "turn_index", "result").from("tool_invocations")
            .where("call_id", .equal, SQLBind(callID)).orderBy("id").all()
        return try rows.enumerated().map { index, row in
            let stored = try JSONDecoder().decode(ToolResult.self, from: Data(try row.decode(column: "result", as: String.self).utf8))
            let id = try row.decode(column: "id", as: Int64.self)
            return ToolExchange(
                turnIndex: try row.decode(column: "turn_index", as: Int?.self) ?? 0, round: index,
                call: ToolCall(id: "restored-\(id)", name: try row.decode(column: "tool", as: String.self),
                               arguments: try JSONValue(parsing: try row.decode(column: "arguments", as: String.self))),
                result: stored.value)
        }
    }
}
