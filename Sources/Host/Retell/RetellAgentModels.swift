import Foundation

/// What generates an agent's words: our custom-LLM WebSocket, or a Retell-hosted LLM (used for SMS chats).
public struct RetellResponseEngine: Codable, Sendable, Hashable {
    /// `custom-llm`, `retell-llm` or `conversation-flow`.
    public var type: String
    public var llmWebsocketURL: String?
    public var llmID: String?
    public var conversationFlowID: String?
    public var version: Int?

    public init(type: String, llmWebsocketURL: String? = nil, llmID: String? = nil, conversationFlowID: String? = nil, version: Int? = nil) {
        self.type = type
        self.llmWebsocketURL = llmWebsocketURL
        self.llmID = llmID
        self.conversationFlowID = conversationFlowID
        self.version = version
    }

    /// Retell calls our WebSocket at `url` (`wss://…/llm-websocket/<agent>`).
    public static func customLLM(_ url: String) -> RetellResponseEngine { RetellResponseEngine(type: "custom-llm", llmWebsocketURL: url) }

    /// A Retell-hosted LLM (`llm_…`).
    public static func retellLLM(_ id: String) -> RetellResponseEngine { RetellResponseEngine(type: "retell-llm", llmID: id) }

    enum CodingKeys: String, CodingKey {
        case type, version
        case llmWebsocketURL = "llm_websocket_url"
        case llmID = "llm_id"
        case conversationFlowID = "conversation_flow_id"
    }
}

/// The body of create/update for voice agents (`/create-agent`) and chat agents (`/create-chat-agent`).
/// Fields left `nil` are not sent (an update leaves them as they are).
public struct RetellAgentRequest: Encodable, Sendable, Hashable {
    public var responseEngine: RetellResponseEngine?
    /// Required to create a voice agent; chat agents have none.
    public var voiceID: String?
    public var agentName: String?
    public var language: String?
    public var webhookURL: String?
    public var webhookEvents: [String]?

    public init(
        responseEngine: RetellResponseEngine? = nil, voiceID: String? = nil, agentName: String? = nil, language: String? = nil,
        webhookURL: String? = nil, webhookEvents: [String]? = nil
    ) {
        self.responseEngine = responseEngine
        self.voiceID = voiceID
        self.agentName = agentName
        self.language = language
        self.webhookURL = webhookURL
        self.webhookEvents = webhookEvents
    }

    enum CodingKeys: String, CodingKey {
        case language
        case responseEngine = "response_engine"
        case voiceID = "voice_id"
        case agentName = "agent_name"
        case webhookURL = "webhook_url"
        case webhookEvents = "webhook_events"
    }
}

/// A voice or chat agent as Retell returns it (one version of it). Unknown fields are ignored.
public struct RetellAgent: Decodable, Sendable, Hashable {
    public var agentID: String
    public var version: Int?
    public var isPublished: Bool?
    public var responseEngine: RetellResponseEngine?
    public var voiceID: String?
    public var agentName: String?
    /// A locale; an array of locales is joined with commas.
    public var language: String?
    public var webhookURL: String?
    public var webhookEvents: [String]?
    public var lastModificationTimestamp: Int64?

    public init(agentID: String, version: Int? = nil, isPublished: Bool? = nil, responseEngine: RetellResponseEngine? = nil,
                voiceID: String? = nil, agentName: String? = nil, language: String? = nil, webhookURL: String? = nil) {
        self.agentID = agentID
        self.version = version
        self.isPublished = isPublished
        self.responseEngine = responseEngine
        self.voiceID = voiceID
        self.agentName = agentName
        self.language = language
        self.webhookURL = webhookURL
    }

    enum CodingKeys: String, CodingKey {
        case version, language
        case agentID = "agent_id"
        case isPublished = "is_published"
        case responseEngine = "response_engine"
        case voiceID = "voice_id"
        case agentName = "agent_name"
        case webhookURL = "webhook_url"
        case webhookEvents = "webhook_events"
        case lastModificationTimestamp = "last_modification_timestamp"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        agentID = try container.decode(String.self, forKey: .agentID)
        version = try container.decodeIfPresent(Int.self, forKey: .version)
        isPublished = try container.decodeIfPresent(Bool.self, forKey: .isPublished)
        responseEngine = try container.decodeIfPresent(RetellResponseEngine.self, forKey: .responseEngine)
        voiceID = try container.decodeIfPresent(String.self, forKey: .voiceID)
        agentName = try container.decodeIfPresent(String.self, forKey: .agentName)
        if let single = try? container.decodeIfPresent(String.self, forKey: .language) {
            language = single
        } else {
            language = (try? container.decodeIfPresent([String].self, forKey: .language))?.joined(separator: ",")
        }
        webhookURL = try container.decodeIfPresent(String.self, forKey: .webhookURL)
        webhookEvents = try container.decodeIfPresent([String].self, forKey: .webhookEvents)
        lastModificationTimestamp = try container.decodeIfPresent(Int64.self, forKey: .lastModificationTimestamp)
    }
}

/// One entry of `POST /v2/list-agents`.
public struct RetellAgentSummary: Decodable, Sendable, Hashable {
    public var agentID: String
    public var agentName: String?
    /// `voice` or `chat`.
    public var channel: String?

    enum CodingKeys: String, CodingKey {
        case channel
        case agentID = "agent_id"
        case agentName = "agent_name"
    }
}

/// The body of create/update for a Retell-hosted LLM (`/create-retell-llm`).
public struct RetellLLMRequest: Encodable, Sendable, Hashable {
    public var generalPrompt: String?
    /// What the agent says (or texts) first; may use `{{dynamic variables}}`.
    public var beginMessage: String?

    public init(generalPrompt: String? = nil, beginMessage: String? = nil) {
        self.generalPrompt = generalPrompt
        self.beginMessage = beginMessage
    }

    enum CodingKeys: String, CodingKey {
        case generalPrompt = "general_prompt"
        case beginMessage = "begin_message"
    }
}

/// A Retell-hosted LLM as Retell returns it.
public struct RetellLLM: Decodable, Sendable, Hashable {
    public var llmID: String
    public var version: Int?
    public var generalPrompt: String?
    public var beginMessage: String?

    enum CodingKeys: String, CodingKey {
        case version
        case llmID = "llm_id"
        case generalPrompt = "general_prompt"
        case beginMessage = "begin_message"
    }
}

/// A page of a paginated list: pass ``paginationKey`` back while ``hasMore`` is true.
public struct RetellPage<Item: Decodable & Sendable>: Decodable, Sendable {
    public var items: [Item]
    public var hasMore: Bool
    public var paginationKey: String?

    enum CodingKeys: String, CodingKey {
        case items
        case hasMore = "has_more"
        case paginationKey = "pagination_key"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        items = try container.decode([Item].self, forKey: .items)
        hasMore = try container.decodeIfPresent(Bool.self, forKey: .hasMore) ?? false
        paginationKey = try container.decodeIfPresent(String.self, forKey: .paginationKey)
    }
}
