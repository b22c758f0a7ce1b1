import Foundation
import PluginAPI

/// What one event (a webhook, the WebSocket's `call_details`) knows about a call. `nil` fields are
/// unknown and never blank what is stored.
public struct CallRecordUpdate: Sendable, Hashable {
    public var callID: String
    /// Our agent (agents.yaml id), when known.
    public var agentID: String?
    public var retellAgentID: String?
    /// Retell's `call_status` (`registered`, `not_connected`, `ongoing`, `ended`, `error`) or `analyzed`.
    public var status: String?
    public var direction: String?
    public var fromNumber: String?
    public var toNumber: String?
    /// Milliseconds since the Unix epoch.
    public var startedAt: Int64?
    public var endedAt: Int64?
    public var durationMS: Int64?
    public var disconnectionReason: String?
    /// Retell's `call_cost.combined_cost` (cents, as Retell reports it).
    public var cost: Double?
    public var metadata: JSONValue?
    public var dynamicVariables: JSONValue?
    public var summary: String?
    public var sentiment: String?
    public var successful: Bool?
    /// The whole `call_analysis` object.
    public var analysis: JSONValue?

    public init(
        callID: String, agentID: String? = nil, retellAgentID: String? = nil, status: String? = nil, direction: String? = nil,
        fromNumber: String? = nil, toNumber: String? = nil, startedAt: Int64? = nil, endedAt: Int64? = nil,
        durationMS: Int64? = nil, disconnectionReason: String? = nil, cost: Double? = nil, metadata: JSONValue? = nil,
        dynamicVariables: JSONValue? = nil, summary: String? = nil, sentiment: String? = nil, successful: Bool? = nil,
        analysis: JSONValue? = nil
    ) {
        self.callID = callID
        self.agentID = agentID
        self.retellAgentID = retellAgentID
        self.status = status
        self.direction = direction
        self.fromNumber = fromNumber
        self.toNumber = toNumber
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.durationMS = durationMS
        self.disconnectionReason = disconnectionReason
        self.cost = cost
        self.metadata = metadata
        self.dynamicVariables = dynamicVariables
        self.summary = summary
        self.sentiment = sentiment
        self.successful = successful
        self.analysis = analysis
    }

    /// The fields of a Retell call object (§2.4 of the Retell spec; webhooks, `call_details`, custom
    /// functions). `nil` when the object has no `call_id`. Unknown fields are ignored.
    public init?(retellCall call: JSONValue, agentID: String?, status: String? = nil) {
        guard let callID = call["call_id"]?.stringValue, !callID.isEmpty else { return nil }
        self.init(callID: callID, agentID: agentID)
        retellAgentID = call["agent_id"]?.stringValue
        self.status = status ?? call["call_status"]?.stringValue
        direction = call["direction"]?.stringValue
        fromNumber = call["from_number"]?.stringValue
        toNumber = call["to_number"]?.stringValue
        startedAt = call["start_timestamp"]?.intValue.map(Int64.init)
        endedAt = call["end_timestamp"]?.intValue.map(Int64.init)
        durationMS = call["duration_ms"]?.intValue.map(Int64.init)
        disconnectionReason = call["disconnection_reason"]?.stringValue
        cost = call["call_cost"]?["combined_cost"]?.doubleValue
        metadata = call["metadata"].flatMap { $0.isNull ? nil : $0 }
        dynamicVariables = call["retell_llm_dynamic_variables"].flatMap { $0.isNull ? nil : $0 }
        if let analysis = call["call_analysis"], case .object = analysis {
            self.analysis = analysis
            summary = analysis["call_summary"]?.stringValue
            sentiment = analysis["user_sentiment"]?.stringValue
            successful = analysis["call_successful"]?.boolValue
        }
    }

    /// How far along a status is: a stored status is only replaced by one of a higher rank.
    /// `registered` < `not_connected` < `ongoing` < `ended` < `error` < `analyzed`; unknown values rank 0.
    public static func rank(of status: String) -> Int {
        switch status {
        case "registered": return 10
        case "not_connected": return 15
        case "ongoing": return 20
        case "ended": return 30
        case "error": return 40
        case "analyzed": return 50
        default: return 0
        }
    }
}
