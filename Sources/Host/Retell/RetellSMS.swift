import AsyncHTTPClient
import Foundation
import Logging
import PluginAPI
import SQLKit

/// The host's ``SMSSender``: queues a `retell.sms` job per message, which ``RetellSMSJob`` sends through
/// Retell's SMS chats.
public struct RetellSMSSender: SMSSender {
    /// Agent id → the number its SMS are sent from (`sms.from_number`).
    let fromNumbers: [String: String]
    let queue: DatabaseJobQueue
    let logger: Logger

    public init(catalog: AgentCatalog, queue: DatabaseJobQueue, logger: Logger) {
        var numbers: [String: String] = [:]
        for agent in catalog.agents { if let from = agent.config.smsFromNumber { numbers[agent.id] = from } }
        self.fromNumbers = numbers
        self.queue = queue
        self.logger = logger
    }

    public func isEnabled(agentID: String) -> Bool { fromNumbers[agentID] != nil }

    public func sendConfirmation(to number: String, text: String, agentID: String, on db: any SQLDatabase) async throws {
        guard let from = fromNumbers[agentID] else {
            logger.info("no confirmation SMS: the agent has no sms.from_number", metadata: ["agent": "\(agentID)"])
            return
        }
        guard ConfigParser.isE164(number) else {
            logger.warning("no confirmation SMS: the number is not E.164", metadata: ["agent": "\(agentID)"])
            return
        }
        let payload: JSONValue = [
            "agent_id": .string(agentID), "from_number": .string(from), "to_number": .string(number), "text": .string(text),
        ]
        try await queue.enqueue(kind: RetellSMSJob.kind, payload: payload, on: db, notBefore: nil)
    }
}

/// The `retell.sms` job: sends one SMS with `POST /create-sms-chat`, from the agent's SMS number, through the
/// chat agent `switchboard retell apply` provisioned (its first message is `{{message}}`).
public enum RetellSMSJob {
    public static let kind = "retell.sms"

    /// Why an SMS job could not run (it is retried with backoff, then given up and logged).
    public enum Failure: Error, CustomStringConvertible {
        case invalidPayload(String)
        case notProvisioned(agentID: String)

        public var description: String {
            switch self {
            case .invalidPayload(let payload): return "invalid retell.sms payload: \(payload)"
            case .notProvisioned(let agent):
                return "agent '\(agent)' has no SMS chat agent on Retell yet: run `switchboard retell apply`"
            }
        }
    }

    /// The handler, sending through Retell with `config`'s key over `httpClient`.
    public static func handler(config: RetellConfig, httpClient: HTTPClient, maxAttempts: Int = 8) -> JobHandler {
        JobHandler(kind: kind, maxAttempts: maxAttempts) { payload, context in
            guard let agentID = payload["agent_id"]?.stringValue, let from = payload["from_number"]?.stringValue,
                let to = payload["to_number"]?.stringValue, let text = payload["text"]?.stringValue
            else { throw Failure.invalidPayload(payload.canonicalJSON) }
            let client = try RetellClient(config: config, httpClient: httpClient, logger: context.logger)
            guard let chatAgent = try await RetellAgentStore(database: context.storage.sql).record(agentID: agentID, role: .sms) else {
                throw Failure.notProvisioned(agentID: agentID)
            }
            let chat = try await client.createSMSChat(RetellCreateSMSChatRequest(
                fromNumber: from, toNumber: to, overrideAgentID: chatAgent.retellID,
                metadata: ["switchboard_agent_id": .string(agentID), "switchboard_job_id": .int(Int(context.jobID))],
                retellLLMDynamicVariables: ["message": text]))
            context.logger.info("confirmation SMS sent", metadata: ["agent": "\(agentID)", "chat_id": "\(chat.chatID)"])
        }
    }
}
