import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import PluginAPI

/// The custom-LLM WebSocket: `/llm-websocket/{agent}/{call_id}`, and the one-segment forms
/// `/llm-websocket/{call_id}` and `/api/retell/chat/{call_id}` whose agent comes from `call_details`.
enum LLMSocketRoutes {
    /// Largest message accepted: Retell resends the whole transcript (with word timings) every time.
    static let maxMessageSize = 16 << 20

    static func register(on router: Router<SocketRequestContext>, runtime: SwitchboardRuntime) {
        // One parameter name for the first segment of both forms: the router's trie requires it.
        router.ws("/llm-websocket/{first}/{call_id}") { _, _ in .upgrade([:]) } onUpgrade: { inbound, outbound, context in
            let agentID = context.requestContext.parameters.get("first") ?? ""
            let callID = context.requestContext.parameters.get("call_id") ?? ""
            guard let agent = runtime.catalog.agent(agentID) else {
                runtime.logger.warning("socket for an unknown agent refused", metadata: ["agent": "\(agentID)", "call_id": "\(callID)"])
                try await outbound.close(.policyViolation, reason: "unknown agent '\(agentID)'")
                return
            }
            try await serve(
                inbound: inbound, outbound: outbound, channel: context.requestContext.channel, runtime: runtime, agent: agent,
                callID: callID)
        }
        for path in ["/llm-websocket/{first}", "/api/retell/chat/{first}"] {
            router.ws(RouterPath(path)) { _, _ in .upgrade([:]) } onUpgrade: { inbound, outbound, context in
                let callID = context.requestContext.parameters.get("first") ?? ""
                try await serve(
                    inbound: inbound, outbound: outbound, channel: context.requestContext.channel, runtime: runtime, agent: nil,
                    callID: callID)
            }
        }
    }

    /// Runs one call's socket: the read loop, until Retell closes it. Pings are answered on the event loop
    /// (``RetellPingResponder``), frames are written by the ``Outbox``; a task waits for a close the call asks for.
    static func serve(
        inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, channel: any Channel, runtime: SwitchboardRuntime,
        agent: Agent?, callID: String
    ) async throws {
        let outbox = Outbox(channel: channel)
        let executor = EventLoopTaskExecutor(channel.eventLoop)
        let session = CallSession(runtime: runtime, outbox: outbox, agent: agent, callID: callID, executor: executor)
        var logger = runtime.logger
        logger[metadataKey: "call_id"] = "\(callID)"
        do {
            try await CallSocketPipeline.install(on: channel)
        } catch {
            logger.debug("call socket handlers not installed: pings go through the read loop", metadata: ["error": "\(error)"])
        }
        // The call's tasks run on its socket's event loop: a turn reads the frame, streams from the LLM and
        // queues Retell's frames on one thread.
        try await withTaskExecutorPreference(executor) {
            try await converse(inbound: inbound, outbound: outbound, outbox: outbox, session: session, logger: logger)
        }
    }

    /// The read loop: hands Retell's frames to the session until the socket closes, then closes the call.
    private static func converse(
        inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, outbox: Outbox, session: CallSession, logger: Logger
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await reason in outbox.closeRequests {
                    try await outbound.close(.policyViolation, reason: reason)
                }
            }
            await session.open()
            var clean = true
            var memo = TranscriptMemo()  // the last transcript Retell sent, to skip what did not change
            do {
                for try await message in inbound.messages(maxSize: maxMessageSize) {
                    guard case .text(let text) = message else {
                        logger.warning("binary frame ignored (the protocol is JSON text)")
                        continue
                    }
                    let frame: RetellInbound
                    do {
                        frame = try RetellInbound.decode(text, memo: &memo)
                    } catch {
                        logger.warning("frame ignored", metadata: ["error": "\(error)", "bytes": "\(text.utf8.count)"])
                        continue
                    }
                    switch frame {
                    case .pingPong(let timestamp):
                        // Only a ping that arrived before the event-loop responder was in place gets here.
                        outbox.send(.raw(RetellOutbound.pingPong(timestamp: timestamp), responseID: nil))
                    case .responseRequired(let id, _, _):
                        outbox.advance(to: id)  // from now on nothing older may be written
                        await session.handle(frame)
                    default:
                        await session.handle(frame)
                    }
                }
            } catch {
                clean = false
                logger.info("socket read ended", metadata: ["error": "\(error)"])
            }
            await session.close(clean: clean)
            outbox.finish()
            try await group.waitForAll()
        }
    }
}
