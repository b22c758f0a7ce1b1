import Foundation
import PluginAPI

/// An outbound conversation from a number on the Retell account: the body of `POST /v2/create-phone-call`
/// (a call) and of `POST /create-sms-chat` (an SMS chat), which take the same fields.
public struct RetellOutboundRequest: Encodable, Sendable, Hashable {
    /// A number on the Retell account (bought or imported; SMS-capable for a chat).
    public var fromNumber: String
    public var toNumber: String
    /// The agent to use instead of the number's outbound (or outbound SMS) agent.
    public var overrideAgentID: String?
    public var metadata: JSONValue?
    /// Values for `{{variables}}` in the agent's prompt and first message.
    public var retellLLMDynamicVariables: [String: String]?

    public init(fromNumber: String, toNumber: String, overrideAgentID: String? = nil, metadata: JSONValue? = nil,
                retellLLMDynamicVariables: [String: String]? = nil) {
        self.fromNumber = fromNumber
        self.toNumber = toNumber
        self.overrideAgentID = overrideAgentID
        self.metadata = metadata
        self.retellLLMDynamicVariables = retellLLMDynamicVariables
    }

    enum CodingKeys: String, CodingKey {
        case metadata
        case fromNumber = "from_number"
        case toNumber = "to_number"
        case overrideAgentID = "override_agent_id"
        case retellLLMDynamicVariables = "retell_llm_dynamic_variables"
    }
}

/// `POST /v2/create-phone-call`: an outbound call.
public typealias RetellCreatePhoneCallRequest = RetellOutboundRequest
/// `POST /create-sms-chat`: start an SMS conversation from a Retell number.
public typealias RetellCreateSMSChatRequest = RetellOutboundRequest

/// A call as Retell returns it (the fields Switchboard uses; unknown fields are ignored).
public struct RetellCall: Decodable, Sendable, Hashable {
    public var callID: String
    public var callType: String?
    public var agentID: String?
    public var agentVersion: Int?
    /// `registered`, `not_connected`, `ongoing`, `ended` or `error`.
    public var callStatus: String?
    public var direction: String?
    public var fromNumber: String?
    public var toNumber: String?
    /// Milliseconds since the epoch.
    public var startTimestamp: Int64?
    public var endTimestamp: Int64?
    public var durationMs: Int64?
    public var disconnectionReason: String?
    public var metadata: JSONValue?

    enum CodingKeys: String, CodingKey {
        case direction, metadata
        case callID = "call_id"
        case callType = "call_type"
        case agentID = "agent_id"
        case agentVersion = "agent_version"
        case callStatus = "call_status"
        case fromNumber = "from_number"
        case toNumber = "to_number"
        case startTimestamp = "start_timestamp"
        case endTimestamp = "end_timestamp"
        case durationMs = "duration_ms"
        case disconnectionReason = "disconnection_reason"
    }
}

/// Filters for `POST /v3/list-calls` (all ANDed); `nil` and empty filters are not sent.
public struct RetellCallFilter: Sendable, Hashable {
    public var agentIDs: [String] = []
    /// E.g. `ended`, `ongoing`.
    public var callStatuses: [String] = []
    /// `inbound` or `outbound`.
    public var direction: String?
    public var fromNumber: String?
    public var toNumber: String?
    /// Start time range in milliseconds since the epoch (inclusive).
    public var startedBetween: ClosedRange<Int64>?

    public init(agentIDs: [String] = [], callStatuses: [String] = [], direction: String? = nil, fromNumber: String? = nil,
                toNumber: String? = nil, startedBetween: ClosedRange<Int64>? = nil) {
        self.agentIDs = agentIDs
        self.callStatuses = callStatuses
        self.direction = direction
        self.fromNumber = fromNumber
        self.toNumber = toNumber
        self.startedBetween = startedBetween
    }

    /// The `filter_criteria` object, or `nil` when no filter is set.
    public var criteria: JSONValue? {
        var members: [String: JSONValue] = [:]
        if !agentIDs.isEmpty { members["agent"] = .array(agentIDs.map { ["agent_id": .string($0)] }) }
        if !callStatuses.isEmpty {
            members["call_status"] = ["type": "enum", "op": "in", "value": .array(callStatuses.map(JSONValue.string))]
        }
        if let direction { members["direction"] = ["type": "enum", "op": "in", "value": [.string(direction)]] }
        if let fromNumber { members["from_number"] = ["type": "string", "op": "eq", "value": .string(fromNumber)] }
        if let toNumber { members["to_number"] = ["type": "string", "op": "eq", "value": .string(toNumber)] }
        if let startedBetween {
            members["start_timestamp"] = [
                "type": "range", "op": "bt",
                "value": [.int(Int(startedBetween.lowerBound)), .int(Int(startedBetween.upperBound))],
            ]
        }
        return members.isEmpty ? nil : .object(members)
    }
}

/// The body of `POST /v3/list-calls`.
struct RetellListCallsRequest: Encodable {
    var filterCriteria: JSONValue?
    var limit: Int?
    var paginationKey: String?
    /// `ascending` or `descending` (by start time).
    var sortOrder: String?

    enum CodingKeys: String, CodingKey {
        case limit
        case filterCriteria = "filter_criteria"
        case paginationKey = "pagination_key"
        case sortOrder = "sort_order"
    }
}

/// A chat (API or SMS) as Retell returns it.
public struct RetellChat: Decodable, Sendable, Hashable {
    public var chatID: String
    public var agentID: String?
    /// `ongoing`, `ended` or `error`.
    public var chatStatus: String?
    /// `sms_chat` or `api_chat`.
    public var chatType: String?

    enum CodingKeys: String, CodingKey {
        case chatID = "chat_id"
        case agentID = "agent_id"
        case chatStatus = "chat_status"
        case chatType = "chat_type"
    }
}
