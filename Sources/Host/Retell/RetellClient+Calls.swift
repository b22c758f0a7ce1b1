import Foundation
import NIOHTTP1

/// Calls and SMS chats.
extension RetellClient {
    /// `POST /v2/create-phone-call`: places an outbound call. Never retried (it would dial twice).
    public func createPhoneCall(_ request: RetellCreatePhoneCallRequest) async throws(RetellError) -> RetellCall {
        try await send(.POST, "/v2/create-phone-call", body: request, safety: .once)
    }

    /// `GET /v2/get-call/{id}`.
    public func getCall(_ id: String) async throws(RetellError) -> RetellCall {
        try await send(.GET, "/v2/get-call/" + Self.segment(id), safety: .idempotent)
    }

    /// One page of `POST /v3/list-calls` (a read, so retried like a GET), newest first by default.
    public func listCalls(
        filter: RetellCallFilter = RetellCallFilter(), limit: Int = 50, paginationKey: String? = nil, ascending: Bool = false
    ) async throws(RetellError) -> RetellPage<RetellCall> {
        let body = RetellListCallsRequest(
            filterCriteria: filter.criteria, limit: limit, paginationKey: paginationKey, sortOrder: ascending ? "ascending" : "descending")
        return try await send(.POST, "/v3/list-calls", body: body, safety: .idempotent, timeout: listCallsTimeout)
    }

    /// Up to `maximum` calls matching `filter`, following pagination.
    public func recentCalls(filter: RetellCallFilter = RetellCallFilter(), maximum: Int, pageSize: Int = 100) async throws(RetellError) -> [RetellCall] {
        var all: [RetellCall] = []
        var key: String?
        repeat {
            let page = try await listCalls(filter: filter, limit: min(pageSize, maximum - all.count), paginationKey: key)
            all += page.items
            key = page.hasMore ? page.paginationKey : nil
        } while key != nil && all.count < maximum
        return Array(all.prefix(maximum))
    }

    /// `POST /create-sms-chat`: texts `toNumber` from an SMS-capable number. Never retried.
    public func createSMSChat(_ request: RetellCreateSMSChatRequest) async throws(RetellError) -> RetellChat {
        try await send(.POST, "/create-sms-chat", body: request, safety: .once)
    }
}
