import ArgumentParser
import Foundation
import HummingbirdWSClient
import Logging
import PluginAPI

/// `switchboard chat AGENT [--server URL]`: be the caller. Type a line, see the agent's streamed words
/// and tool calls, over the real custom-LLM WebSocket protocol (against a running server, or an
/// in-process one on a free port when no server is given).
struct ChatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "chat", abstract: "Talk to an agent as a caller would, over the WebSocket protocol.")

    @OptionGroup var options: ConfigOption

    @Argument(help: "The agent id.") var agent: String

    @Option(name: .long, help: "A running server, e.g. ws://localhost:8080 (default: start one in this process).")
    var server: String?

    @Option(name: .long, help: "The caller's number the agent sees.")
    var from = "+15555550100"

    func run() async throws {
        if let server {
            try await converse(base: server)
            return
        }
        let logger = LoggingSetup.logger(level: .warning)
        let runtime: SwitchboardRuntime
        do {
            runtime = try await SwitchboardRuntime.start(configFile: options.path, registry: SwitchboardCLI.registry, logger: logger)
        } catch let error as ConfigErrors {
            for issue in error.issues { printError(issue.description) }
            throw Exit.failure
        }
        guard runtime.catalog.agent(agent) != nil else {
            printError("switchboard chat: no agent '\(agent)' (agents: \(runtime.catalog.agents.map(\.id).joined(separator: ", ")))")
            await runtime.shutdown()
            throw Exit.usage
        }
        let (ports, portSignal) = AsyncStream.makeStream(of: Int.self)
        let app = SwitchboardServer.makeApplication(runtime: runtime, host: "127.0.0.1", port: 0) { channel in
            portSignal.yield(channel.localAddress?.port ?? 0)
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.run() }
            var iterator = ports.makeAsyncIterator()
            if let port = await iterator.next() { try await converse(base: "ws://127.0.0.1:\(port)") }
            group.cancelAll()
        }
        await runtime.shutdown()
    }

    private func converse(base: String) async throws {
        let callID = "chat_" + UUID().uuidString.prefix(8).lowercased()
        let url = base.trimmingCharacters(in: CharacterSet(charactersIn: "/")) + "/llm-websocket/\(agent)/\(callID)"
        let logger = LoggingSetup.logger(level: .warning, label: "switchboard.chat")
        printError("calling \(agent) (\(url)); type what the caller says, an empty line or Ctrl-D hangs up")
        let close = try await WebSocketClient.connect(url: url, configuration: .init(maxFrameSize: 16 << 20, autoPing: .disabled), logger: logger) { inbound, outbound, _ in
            let details: JSONValue = ["interaction_type": "call_details", "call": [
                "call_id": .string(callID), "from_number": .string(from), "direction": "inbound", "call_status": "registered",
            ]]
            try await outbound.write(.text(details.canonicalJSON))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await Self.printFrames(inbound) }
                var transcript: [JSONValue] = []
                var responseID = 0
                while let line = await Self.readLine() {
                    let said = line.trimmingCharacters(in: .whitespaces)
                    if said.isEmpty { break }
                    transcript.append(["role": "user", "content": .string(said)])
                    responseID += 1
                    let request: JSONValue = ["interaction_type": "response_required", "response_id": .int(responseID), "transcript": .array(transcript)]
                    try await outbound.write(.text(request.canonicalJSON))
                }
                try await outbound.close(.normalClosure, reason: "caller hung up")
                try await group.waitForAll()
            }
        }
        if let reason = close?.reason, !reason.isEmpty { printError("closed: \(reason)") }
    }

    private static func printFrames(_ inbound: WebSocketInboundStream) async throws {
        for try await message in inbound.messages(maxSize: 16 << 20) {
            guard case .text(let text) = message, let frame = try? JSONValue(parsing: text) else { continue }
            switch frame["response_type"]?.stringValue {
            case "response":
                var spoken = frame["content"]?.stringValue ?? ""
                if frame["content_complete"] == true { spoken += "\n" }
                // Unbuffered: each piece shows as soon as it arrives.
                FileHandle.standardOutput.write(Data(spoken.utf8))
                if frame["content_complete"] == true {
                    if frame["end_call"] == true { printError("[agent ends the call]") }
                    if let number = frame["transfer_number"]?.stringValue { printError("[agent transfers the call to \(number)]") }
                }
            case "tool_call_invocation":
                printError("[tool \(frame["name"]?.stringValue ?? "?") \(frame["arguments"]?.stringValue ?? "")]")
            case "tool_call_result":
                printError("[result \(frame["content"]?.stringValue ?? "")]")
            default:
                continue
            }
        }
    }

    /// Reads one line from standard input without blocking the cooperative thread pool.
    private static func readLine() async -> String? {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: Swift.readLine()) }
        }
    }
}
