import Foundation

/// One agent in a phone number's weighted agent list (`inbound_agents`, `outbound_sms_agents`, …).
public struct RetellAgentWeight: Codable, Sendable, Hashable {
    public var agentID: String
    /// The weights of one list sum to 1; one agent is picked per call.
    public var weight: Double
    public var agentVersion: Int?

    public init(agentID: String, weight: Double = 1, agentVersion: Int? = nil) {
        self.agentID = agentID
        self.weight = weight
        self.agentVersion = agentVersion
    }

    enum CodingKeys: String, CodingKey {
        case weight
        case agentID = "agent_id"
        case agentVersion = "agent_version"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        agentID = try container.decode(String.self, forKey: .agentID)
        weight = try container.decodeIfPresent(Double.self, forKey: .weight) ?? 1
        // `agent_version` may also be a tag such as "latest"; only a number is kept.
        agentVersion = try? container.decodeIfPresent(Int.self, forKey: .agentVersion)
    }
}

/// `POST /create-phone-number`: buy a number from Retell.
public struct RetellBuyNumberRequest: Encodable, Sendable, Hashable {
    /// A 3-digit US/CA area code.
    public var areaCode: Int?
    /// `US` (default) or `CA`.
    public var countryCode: String?
    /// A specific E.164 number to buy.
    public var phoneNumber: String?
    public var tollFree: Bool?
    public var nickname: String?
    public var inboundAgents: [RetellAgentWeight]?
    public var outboundAgents: [RetellAgentWeight]?

    public init(areaCode: Int? = nil, countryCode: String? = nil, phoneNumber: String? = nil, tollFree: Bool? = nil,
                nickname: String? = nil, inboundAgents: [RetellAgentWeight]? = nil, outboundAgents: [RetellAgentWeight]? = nil) {
        self.areaCode = areaCode
        self.countryCode = countryCode
        self.phoneNumber = phoneNumber
        self.tollFree = tollFree
        self.nickname = nickname
        self.inboundAgents = inboundAgents
        self.outboundAgents = outboundAgents
    }

    enum CodingKeys: String, CodingKey {
        case nickname
        case areaCode = "area_code"
        case countryCode = "country_code"
        case phoneNumber = "phone_number"
        case tollFree = "toll_free"
        case inboundAgents = "inbound_agents"
        case outboundAgents = "outbound_agents"
    }
}

/// `POST /import-phone-number`: bring a number from your own SIP trunk (e.g. a Twilio Elastic SIP trunk).
public struct RetellImportNumberRequest: Encodable, Sendable, Hashable {
    public var phoneNumber: String
    /// The trunk's termination URI, e.g. `example.pstn.twilio.com`.
    public var terminationURI: String
    public var sipTrunkAuthUsername: String?
    public var sipTrunkAuthPassword: String?
    /// `TLS`, `TCP` (Retell's default) or `UDP`.
    public var transport: String?
    public var nickname: String?
    public var inboundAgents: [RetellAgentWeight]?
    public var outboundAgents: [RetellAgentWeight]?

    public init(phoneNumber: String, terminationURI: String, sipTrunkAuthUsername: String? = nil, sipTrunkAuthPassword: String? = nil,
                transport: String? = nil, nickname: String? = nil, inboundAgents: [RetellAgentWeight]? = nil,
                outboundAgents: [RetellAgentWeight]? = nil) {
        self.phoneNumber = phoneNumber
        self.terminationURI = terminationURI
        self.sipTrunkAuthUsername = sipTrunkAuthUsername
        self.sipTrunkAuthPassword = sipTrunkAuthPassword
        self.transport = transport
        self.nickname = nickname
        self.inboundAgents = inboundAgents
        self.outboundAgents = outboundAgents
    }

    enum CodingKeys: String, CodingKey {
        case transport, nickname
        case phoneNumber = "phone_number"
        case terminationURI = "termination_uri"
        case sipTrunkAuthUsername = "sip_trunk_auth_username"
        case sipTrunkAuthPassword = "sip_trunk_auth_password"
        case inboundAgents = "inbound_agents"
        case outboundAgents = "outbound_agents"
    }
}

/// `PATCH /update-phone-number/{number}`: which agents answer and place calls and SMS on a number.
public struct RetellPhoneNumberUpdate: Encodable, Sendable, Hashable {
    public var inboundAgents: [RetellAgentWeight]?
    public var outboundAgents: [RetellAgentWeight]?
    public var inboundSMSAgents: [RetellAgentWeight]?
    public var outboundSMSAgents: [RetellAgentWeight]?
    public var nickname: String?

    public init(inboundAgents: [RetellAgentWeight]? = nil, outboundAgents: [RetellAgentWeight]? = nil,
                inboundSMSAgents: [RetellAgentWeight]? = nil, outboundSMSAgents: [RetellAgentWeight]? = nil, nickname: String? = nil) {
        self.inboundAgents = inboundAgents
        self.outboundAgents = outboundAgents
        self.inboundSMSAgents = inboundSMSAgents
        self.outboundSMSAgents = outboundSMSAgents
        self.nickname = nickname
    }

    /// Whether nothing would be changed.
    public var isEmpty: Bool { self == RetellPhoneNumberUpdate() }

    enum CodingKeys: String, CodingKey {
        case nickname
        case inboundAgents = "inbound_agents"
        case outboundAgents = "outbound_agents"
        case inboundSMSAgents = "inbound_sms_agents"
        case outboundSMSAgents = "outbound_sms_agents"
    }
}

/// A phone number on the Retell account. Unknown fields are ignored.
public struct RetellPhoneNumber: Decodable, Sendable, Hashable {
    public var phoneNumber: String
    /// `retell-twilio`, `retell-telnyx` or `custom` (imported).
    public var phoneNumberType: String?
    public var phoneNumberPretty: String?
    public var nickname: String?
    public var areaCode: Int?
    public var inboundAgents: [RetellAgentWeight]?
    public var outboundAgents: [RetellAgentWeight]?
    public var inboundSMSAgents: [RetellAgentWeight]?
    public var outboundSMSAgents: [RetellAgentWeight]?
    /// Deprecated scalar forms, which the lists fall back to when empty.
    public var inboundAgentID: String?
    public var outboundAgentID: String?

    /// The agents taking inbound calls, honouring the deprecated scalar when the list is empty.
    public var effectiveInboundAgentIDs: [String] {
        let list = (inboundAgents ?? []).map(\.agentID)
        return list.isEmpty ? [inboundAgentID].compactMap { $0 } : list
    }

    /// The agents placing outbound calls, honouring the deprecated scalar when the list is empty.
    public var effectiveOutboundAgentIDs: [String] {
        let list = (outboundAgents ?? []).map(\.agentID)
        return list.isEmpty ? [outboundAgentID].compactMap { $0 } : list
    }

    enum CodingKeys: String, CodingKey {
        case nickname
        case phoneNumber = "phone_number"
        case phoneNumberType = "phone_number_type"
        case phoneNumberPretty = "phone_number_pretty"
        case areaCode = "area_code"
        case inboundAgents = "inbound_agents"
        case outboundAgents = "outbound_agents"
        case inboundSMSAgents = "inbound_sms_agents"
        case outboundSMSAgents = "outbound_sms_agents"
        case inboundAgentID = "inbound_agent_id"
        case outboundAgentID = "outbound_agent_id"
    }
}
