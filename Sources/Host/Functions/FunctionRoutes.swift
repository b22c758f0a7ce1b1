import Foundation
import Hummingbird
import Logging
import NIOCore
import PluginAPI

/// `POST /retell/functions/{agent}/{tool}` and `POST /retell/functions/{agent}`: Retell custom functions
/// (tools of a Retell-hosted LLM), signed like webhooks and run through the same ``ToolRouter`` as the
/// WebSocket engine, so a re-issued call for the same caller turn returns the stored result.
///
/// Answers the tool's JSON result (at most 15,000 characters); 404 for an unknown agent or tool, 422 with
/// every problem for invalid arguments.
enum FunctionRoutes {
    static func register(on router: Router<some RequestContext>, runtime: SwitchboardRuntime) {
        let handler = FunctionHandler(runtime: runtime)
        router.post("/retell/functions/{agent}/{tool}") { request, context in
            try await handler.handle(request, agent: context.parameters.get("agent") ?? "", tool: context.parameters.get("tool"))
        }
        router.post("/retell/functions/{agent}") { request, context in
            try await handler.handle(request, agent: context.parameters.get("agent") ?? "", tool: nil)
        }
    }
}

/// Handles one custom-function request.
struct FunctionHandler: Sendable {
    let runtime: SwitchboardRuntime
    let reader: SignedRequestReader
    let calls: CallStore

    init(runtime: SwitchboardRuntime) {
        self.runtime = runtime
        reader = SignedRequestReader(runtime: runtime)
        calls = CallStore(storage: runtime.database, clock: runtime.clock)
    }

    func handle(_ request: Request, agent agentID: String, tool pathTool: String?) async throws -> Response {
        let body: ByteBuffer
        switch try await reader.read(request) {
        case .reject(let response): return response
        case .body(let bytes): body = bytes
        }
        let json: JSONValue
        switch JSONBody.parse(body) {
        case .failure(let rejected): return rejected.response
        case .success(let parsed): json = parsed.json
        }
        guard let agent = runtime.catalog.agent(agentID) ?? runtime.catalog.agent(retellAgentID: agentID) else {
            let ids = runtime.catalog.agents.map(\.id)
            return .jsonError("no agent '\(agentID)'" + ConfigReader.suggestion(for: agentID, among: ids), status: .notFound)
        }
        let function: FunctionRequest
        do {
            function = try FunctionRequest(body: json, pathTool: pathTool)
        } catch {
            return .jsonError(error.message, status: .badRequest)
        }
        let callID = function.call?["call_id"]?.stringValue ?? "function-" + UUID().uuidString.lowercased()
        let info = function.call.map { RetellCallObject.callInfo($0, agentID: agent.id, fallbackID: callID) }
            ?? CallInfo(callID: callID, agentID: agent.id)
        var logger = runtime.logger
        logger[metadataKey: "call_id"] = "\(callID)"
        logger[metadataKey: "agent"] = "\(agent.id)"
        logger[metadataKey: "tool"] = "\(function.toolName)"
        if let call = function.call, let update = CallRecordUpdate(retellCall: call, agentID: agent.id) {
            do { try await calls.upsert(update) } catch { logger.warning("could not record the call", metadata: ["error": "\(error)"]) }
        }
        let invocation = ToolRouter.Invocation(
            agent: agent, call: info,
            toolCall: ToolCall(id: "function-" + UUID().uuidString.lowercased(), name: function.toolName, arguments: function.arguments),
            turnIndex: function.call.flatMap(RetellCallObject.callerTurns), source: "function", clock: runtime.clock)
        do {
            let outcome = try await runtime.tools.run(invocation)
            return Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: ResultLimiter.fit(outcome.result.value))))
        } catch let error as ToolError {
            switch error {
            case .unknownTool(let name):
                let names = agent.tools.map(\.definition.name)
                return .jsonError(
                    "agent '\(agent.id)' has no tool '\(name)'" + ConfigReader.suggestion(for: name, among: names), status: .notFound)
            case .invalidArguments(let problems):
                logger.info("custom function with invalid arguments", metadata: ["problems": "\(problems.count)"])
                return .jsonError(
                    "invalid arguments for \(function.toolName)", status: .unprocessableContent,
                    details: .array(problems.map { .object(["path": .string($0.path), "message": .string($0.message)]) }))
            case .failed(let message):
                logger.error("custom function failed", metadata: ["error": "\(message)"])
                return .jsonError(message, status: .internalServerError)
            }
        }
    }
}
