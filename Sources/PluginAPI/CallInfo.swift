import Foundation

/// What is known about a phone (or web) call: from Retell's `call_details`, a webhook, a custom
/// function's `call` object, or the command line.
public struct CallInfo: Sendable, Hashable, Codable {
    /// Retell's call id (or one chosen by the command line).
    public var callID: String
    /// The Switchboard agent (agents.yaml id) handling the call.
    public var agentID: String
    /// Retell's agent id, when known.
    public var retellAgentID: String?
    /// The caller's number for inbound calls (E.164), the agent's number for outbound ones.
    public var fromNumber: String?
    /// The number that was dialled.
    public var toNumber: String?
    /// `inbound` or `outbound`, when known.
    public var direction: String?
    /// Free JSON attached to the call when it was created.
    public var metadata: JSONValue
    /// Retell dynamic variables (`retell_llm_dynamic_variables`).
    public var dynamicVariables: [String: String]

    public init(
        callID: String, agentID: String, retellAgentID: String? = nil, fromNumber: String? = nil,
        toNumber: String? = nil, direction: String? = nil, metadata: JSONValue = .null,
        dynamicVariables: [String: String] = [:]
    ) {
        self.callID = callID
        self.agentID = agentID
        self.retellAgentID = retellAgentID
        self.fromNumber = fromNumber
        self.toNumber = toNumber
        self.direction = direction
        self.metadata = metadata
        self.dynamicVariables = dynamicVariables
    }

    /// The caller's number: `from` on inbound calls, `to` on outbound ones.
    public var callerNumber: String? { direction == "outbound" ? toNumber : fromNumber }
}

/// How a call ended, given to skills' call-ended and call-analysed hooks.
public struct CallOutcome: Sendable, Hashable, Codable {
    public var call: CallInfo
    /// Retell's `disconnection_reason`, when known.
    public var disconnectionReason: String?
    /// The transcript as plain text (`Agent: …\nUser: …`).
    public var transcript: String?
    /// Retell's `call_analysis` object (only for call-analysed).
    public var analysis: JSONValue?

    public init(call: CallInfo, disconnectionReason: String? = nil, transcript: String? = nil, analysis: JSONValue? = nil) {
        self.call = call
        self.disconnectionReason = disconnectionReason
        self.transcript = transcript
        self.analysis = analysis
    }
}

/// Per-call key/value state kept in the database (so a reconnect on another instance sees it),
/// namespaced by plugin. Inside a mutating tool it is part of the tool's transaction.
public protocol CallState: Sendable {
    /// The value stored under `key`, if any.
    func get(_ key: String) async throws -> JSONValue?
    /// Stores `value` under `key`; `nil` removes it.
    func set(_ key: String, _ value: JSONValue?) async throws
}
