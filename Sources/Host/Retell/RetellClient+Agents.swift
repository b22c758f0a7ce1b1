import Foundation
import NIOHTTP1

/// Voice agents, chat agents, their versions, and Retell-hosted LLMs.
extension RetellClient {
    /// Which kind of agent a request is about: the two share versioning but not their paths.
    public enum AgentChannel: String, Sendable {
        case voice, chat

        var createPath: String { self == .voice ? "/create-agent" : "/create-chat-agent" }
        func getPath(_ id: String) -> String { (self == .voice ? "/get-agent/" : "/get-chat-agent/") + RetellClient.segment(id) }
        func updatePath(_ id: String) -> String { (self == .voice ? "/update-agent/" : "/update-chat-agent/") + RetellClient.segment(id) }
        func deletePath(_ id: String) -> String { (self == .voice ? "/delete-agent/" : "/delete-chat-agent/") + RetellClient.segment(id) }
    }

    /// `POST /create-agent` (or `/create-chat-agent`): a new agent, as an unpublished draft. Never retried.
    public func createAgent(_ request: RetellAgentRequest, channel: AgentChannel = .voice) async throws(RetellError) -> RetellAgent {
        try await send(.POST, channel.createPath, body: request, safety: .once)
    }

    /// `GET /get-agent/{id}`: the latest version, or `version`.
    public func getAgent(_ id: String, version: Int? = nil, channel: AgentChannel = .voice) async throws(RetellError) -> RetellAgent {
        try await send(.GET, channel.getPath(id), query: [("version", version.map(String.init))], safety: .idempotent)
    }

    /// `PATCH /update-agent/{id}`: changes the given draft `version` (the latest when `nil`).
    public func updateAgent(
        _ id: String, _ request: RetellAgentRequest, version: Int? = nil, channel: AgentChannel = .voice
    ) async throws(RetellError) -> RetellAgent {
        try await send(.PATCH, channel.updatePath(id), query: [("version", version.map(String.init))], body: request, safety: .idempotent)
    }

    /// `DELETE /delete-agent/{id}`.
    public func deleteAgent(_ id: String, channel: AgentChannel = .voice) async throws(RetellError) {
        try await sendIgnoringBody(.DELETE, channel.deletePath(id), safety: .idempotent)
    }

    /// `POST /v2/list-agents`, following pagination to the end (`limit` per page).
    public func listAgents(pageSize: Int = 100) async throws(RetellError) -> [RetellAgentSummary] {
        struct Body: Encodable {}
        var all: [RetellAgentSummary] = []
        var key: String?
        repeat {
            let page: RetellPage<RetellAgentSummary> = try await send(
                .POST, "/v2/list-agents", query: [("limit", String(pageSize)), ("pagination_key", key)], body: Body(),
                safety: .idempotent)
            all += page.items
            key = page.hasMore ? page.paginationKey : nil
        } while key != nil
        return all
    }

    /// `POST /create-agent-version/{id}`: a new draft copied from `baseVersion` (published versions cannot be changed).
    public func createAgentVersion(_ id: String, baseVersion: Int) async throws(RetellError) -> RetellAgent {
        struct Body: Encodable {
            var baseVersion: Int
            enum CodingKeys: String, CodingKey { case baseVersion = "base_version" }
        }
        return try await send(.POST, "/create-agent-version/" + Self.segment(id), body: Body(baseVersion: baseVersion), safety: .once)
    }

    /// `POST /publish-agent-version/{id}`: makes draft `version` the live one (voice and chat agents).
    public func publishAgentVersion(_ id: String, version: Int) async throws(RetellError) {
        struct Body: Encodable { var version: Int }
        try await sendIgnoringBody(.POST, "/publish-agent-version/" + Self.segment(id), body: Body(version: version), safety: .once)
    }

    /// `POST /create-retell-llm`. Never retried.
    public func createLLM(_ request: RetellLLMRequest) async throws(RetellError) -> RetellLLM {
        try await send(.POST, "/create-retell-llm", body: request, safety: .once)
    }

    /// `GET /get-retell-llm/{id}`.
    public func getLLM(_ id: String) async throws(RetellError) -> RetellLLM {
        try await send(.GET, "/get-retell-llm/" + Self.segment(id), safety: .idempotent)
    }

    /// `PATCH /update-retell-llm/{id}`.
    public func updateLLM(_ id: String, _ request: RetellLLMRequest) async throws(RetellError) -> RetellLLM {
        try await send(.PATCH, "/update-retell-llm/" + Self.segment(id), body: request, safety: .idempotent)
    }
}
