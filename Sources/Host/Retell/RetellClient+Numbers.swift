import Foundation
import NIOHTTP1

/// Phone numbers: buy, import, bind to agents, list.
extension RetellClient {
    /// `POST /create-phone-number`: buys a number (e.g. by area code). Never retried.
    public func buyPhoneNumber(_ request: RetellBuyNumberRequest) async throws(RetellError) -> RetellPhoneNumber {
        try await send(.POST, "/create-phone-number", body: request, safety: .once)
    }

    /// `POST /import-phone-number`: brings a number in through its SIP trunk (e.g. Twilio Elastic SIP). Never retried.
    public func importPhoneNumber(_ request: RetellImportNumberRequest) async throws(RetellError) -> RetellPhoneNumber {
        try await send(.POST, "/import-phone-number", body: request, safety: .once)
    }

    /// `GET /get-phone-number/{number}` (the `+` is sent as `%2B`).
    public func getPhoneNumber(_ number: String) async throws(RetellError) -> RetellPhoneNumber {
        try await send(.GET, "/get-phone-number/" + Self.segment(number), safety: .idempotent)
    }

    /// `PATCH /update-phone-number/{number}`: e.g. the inbound/outbound (SMS) agents.
    public func updatePhoneNumber(_ number: String, _ update: RetellPhoneNumberUpdate) async throws(RetellError) -> RetellPhoneNumber {
        try await send(.PATCH, "/update-phone-number/" + Self.segment(number), body: update, safety: .idempotent)
    }

    /// `DELETE /delete-phone-number/{number}`.
    public func deletePhoneNumber(_ number: String) async throws(RetellError) {
        try await sendIgnoringBody(.DELETE, "/delete-phone-number/" + Self.segment(number), safety: .idempotent)
    }

    /// One page of `GET /v2/list-phone-numbers`.
    public func listPhoneNumbers(limit: Int = 100, paginationKey: String? = nil) async throws(RetellError) -> RetellPage<RetellPhoneNumber> {
        try await send(.GET, "/v2/list-phone-numbers", query: [("limit", String(limit)), ("pagination_key", paginationKey)], safety: .idempotent)
    }

    /// Every number on the account, following pagination.
    public func allPhoneNumbers(pageSize: Int = 100) async throws(RetellError) -> [RetellPhoneNumber] {
        var all: [RetellPhoneNumber] = []
        var key: String?
        repeat {
            let page = try await listPhoneNumbers(limit: pageSize, paginationKey: key)
            all += page.items
            key = page.hasMore ? page.paginationKey : nil
        } while key != nil
        return all
    }
}
