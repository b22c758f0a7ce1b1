import Foundation
import Logging
import PluginAPI
import Synchronization

/// One agent turn: streams the LLM's words to Retell, runs the tools it asks for, feeds the results
/// back, and always closes the response with exactly one `content_complete: true` — with the agent's
/// fallback line when the LLM or the tools fail. Cancelled when a newer request supersedes it.
struct TurnRunner: Sendable {
    let session: CallSession
    let runtime: SwitchboardRuntime
    let outbox: Outbox
    let agent: Agent
    let call: CallInfo
    let responseID: Int
    let turnIndex: Int
    let logger: Logger

    func run(systemPrompt: String, messages initial: [ChatMessage]) async {
        guard case .ok = agent.status, let llm = agent.llm else {
            await fallback(reason: "agent degraded")
            return
        }
        var messages = initial
        var action: CallAction?
        var answer: AnswerCollector?
        let tools = agent.toolDefinitions
        do {
            for round in 0...agent.config.maxToolRounds {
                let collector = AnswerCollector(outbox: outbox, responseID: responseID, closing: closingFrame(action))
                answer = collector
                try await llm.generate(LLMRequest(systemPrompt: systemPrompt, messages: messages, tools: tools, conversationID: call.callID), onEvent: collector.receive)
                try Task.checkCancellation()
                let (text, calls, metadata) = collector.collected
                if calls.isEmpty {
                    collector.close()
                    return
                }
                if round == agent.config.maxToolRounds {
                    logger.warning("too many tool rounds in one turn", metadata: ["rounds": "\(round)"])
                    await fallback(reason: "more than \(agent.config.maxToolRounds) tool rounds")
                    return
                }
                let roundID = await session.nextRound()
                var results: [ChatMessage] = []
                for call in calls {
                    if let final = engineAction(call) {
                        // end_call / transfer_call end the turn here: say the line, then act.
                        outbox.send(.complete(id: responseID, content: final.line, endCall: final.action == .endCall, transferNumber: final.transferNumber))
                        return
                    }
                    outbox.send(.raw(RetellOutbound.toolCallInvocation(id: call.id, name: call.name, arguments: call.arguments), responseID: responseID))
                    let result = try await runTool(call)
                    outbox.send(.raw(RetellOutbound.toolCallResult(id: call.id, content: result.value, successful: !result.isError), responseID: responseID))
                    let content = Self.llmContent(result)
                    await session.record(ToolExchange(turnIndex: turnIndex, round: roundID, call: call, result: content))
                    action = result.actions.last ?? action
                    results.append(.toolResult(ToolResultMessage(callID: call.id, name: call.name, content: content)))
                }
                messages.append(.assistant(AssistantTurn(text: text, toolCalls: calls, providerMetadata: metadata)))
                messages += results
            }
        } catch {
            if Task.isCancelled || error is CancellationError { return }
            logger.error("turn failed", metadata: ["error": "\(error)", "response_id": "\(responseID)"])
            if answer?.isClosed == true { return }  // the response was already complete when the error came
            await fallback(reason: "\(error)")
        }
    }

    /// Runs one tool through the router. Mutating tools run to completion even when the turn is
    /// superseded (their effect and record must not be torn); look-ups are cancelled with the turn.
    private func runTool(_ call: ToolCall) async throws -> ToolResult {
        let invocation = ToolRouter.Invocation(
            agent: agent, call: self.call, toolCall: call, turnIndex: turnIndex, source: "websocket", clock: runtime.clock)
        let router = runtime.tools
        do {
            if agent.tool(named: call.name)?.definition.effect == .mutating {
                return try await Task { try await router.run(invocation) }.value.result
            }
            return try await router.run(invocation).result
        } catch let error as ToolError {
            // The model asked for something impossible: tell it, so it can correct itself.
            return .failure(error.description)
        }
    }

    /// The engine's own tools end the turn: the line to say and the action.
    private func engineAction(_ call: ToolCall) -> (line: String, action: CallAction, transferNumber: String?)? {
        guard agent.tool(named: call.name)?.source == "engine" else { return nil }
        switch call.name {
        case "end_call":
            return (call.arguments["goodbye"]?.stringValue ?? "", .endCall, nil)
        case "transfer_call":
            guard let number = agent.config.transferNumber else { return nil }
            return (call.arguments["message"]?.stringValue ?? "", .transfer(number: number), number)
        default:
            return nil
        }
    }

    /// The frame that closes the response, carrying a skill's end-call or transfer action.
    private func closingFrame(_ action: CallAction?) -> Outbox.Frame {
        switch action {
        case .endCall?: return .complete(id: responseID, content: "", endCall: true, transferNumber: nil)
        case .transfer(let number)?: return .complete(id: responseID, content: "", endCall: false, transferNumber: number)
        case nil: return .complete(id: responseID, content: "", endCall: false, transferNumber: nil)
        }
    }

    /// Speaks the agent's fallback line, closes the response and (if configured) asks staff to call back.
    private func fallback(reason: String) async {
        guard !Task.isCancelled else { return }
        outbox.send(.complete(id: responseID, content: " " + agent.config.fallback.say, endCall: false, transferNumber: nil))
        await session.recordCallbackRequest(reason: reason)
    }

    /// What the LLM sees of a tool's result: the JSON, plus the tool's own summary when it gave one.
    static func llmContent(_ result: ToolResult) -> JSONValue {
        guard let text = result.text else { return result.value }
        if case .object(var members) = result.value, members["message"] == nil {
            members["message"] = .string(text)
            return .object(members)
        }
        return ["result": result.value, "message": .string(text)]
    }
}

/// Takes one LLM answer as it arrives: text goes straight to the outbox (on whatever thread decoded it),
/// the text, tool calls and provider metadata are kept for the turn.
///
/// An answer that ends without tool calls closes the response right where its end is decoded: the
/// closing frame is queued behind the last text, so both usually leave as one frame, without waiting for
/// the turn's task to resume.
final class AnswerCollector: Sendable {
    private struct Answer {
        var text = ""
        var calls: [ToolCall] = []
        var metadata: [String: JSONValue] = [:]
        var closed = false
    }

    private let outbox: Outbox
    private let responseID: Int
    private let closing: Outbox.Frame
    private let answer = Mutex(Answer())

    /// A collector for `responseID` that closes it with `closing` when the answer has no tool calls.
    init(outbox: Outbox, responseID: Int, closing: Outbox.Frame) {
        self.outbox = outbox
        self.responseID = responseID
        self.closing = closing
    }

    func receive(_ event: LLMEvent) {
        switch event {
        case .textDelta(let delta):
            answer.withLock { $0.text += delta }
            outbox.send(.text(id: responseID, content: delta))
        case .toolCall(let call):
            answer.withLock { $0.calls.append(call) }
        case .finished(let finish):
            answer.withLock { $0.metadata = finish.providerMetadata }
            close()
        }
    }

    /// Closes the response unless the answer called tools or it is closed already.
    func close() {
        let closes = answer.withLock { answer -> Bool in
            guard answer.calls.isEmpty, !answer.closed else { return false }
            answer.closed = true
            return true
        }
        if closes { outbox.send(closing) }
    }

    /// Whether the closing frame has been queued.
    var isClosed: Bool { answer.withLock { $0.closed } }

    /// What the answer held (read once the generation has returned).
    var collected: (text: String, calls: [ToolCall], metadata: [String: JSONValue]) {
        answer.withLock { ($0.text, $0.calls, $0.metadata) }
    }
}
