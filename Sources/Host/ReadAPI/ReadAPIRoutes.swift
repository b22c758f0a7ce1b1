import Crypto
import Foundation
import Hummingbird
import Logging
import PluginAPI

/// The read API, behind `Authorization: Bearer <server.admin_token>`:
/// `GET /api/calls?agent=&since=&limit=`, `GET /api/calls/{call_id}` (with transcript and tool
/// invocations) and every plugin ``ReadEndpoint`` as `GET /api/<name>`. Without a configured token the
/// API is off and answers 404.
enum ReadAPIRoutes {
    static let defaultLimit = 50
    static let maxLimit = 500

    static func register(on router: Router<some RequestContext>, runtime: SwitchboardRuntime) {
        let guardian = AdminTokenCheck(token: runtime.catalog.config.server.adminToken)
        let calls = CallStore(storage: runtime.database, clock: runtime.clock)
        router.get("/api/calls") { request, _ in
            if let refusal = guardian.refusal(request) { return refusal }
            let query = request.uri.queryParameters
            var since: Int64?
            if let text = query["since"].map(String.init), !text.isEmpty {
                guard let parsed = parseInstant(text) else {
                    return .jsonError("since must be milliseconds since the epoch or an ISO 8601 date-time, got '\(text)'", status: .badRequest)
                }
                since = parsed
            }
            var limit = defaultLimit
            if let text = query["limit"].map(String.init), !text.isEmpty {
                guard let parsed = Int(text), parsed > 0 else {
                    return .jsonError("limit must be a positive integer, got '\(text)'", status: .badRequest)
                }
                limit = min(parsed, maxLimit)
            }
            let agent = query["agent"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
            let rows = try await calls.list(agent: agent, since: since, limit: limit)
            return .json(["calls": .array(rows)])
        }
        router.get("/api/calls/{call_id}") { request, context in
            if let refusal = guardian.refusal(request) { return refusal }
            let id = context.parameters.get("call_id") ?? ""
            guard let call = try await calls.call(id) else { return .jsonError("no call '\(id)'", status: .notFound) }
            return .json(call)
        }
        for endpoint in pluginEndpoints(runtime) {
            router.get(RouterPath("/api/" + endpoint.name)) { request, _ in
                if let refusal = guardian.refusal(request) { return refusal }
                var query: [String: String] = [:]
                for (key, value) in request.uri.queryParameters { query[String(key)] = String(value) }
                do {
                    return .json(try await endpoint.handle(query, runtime.database))
                } catch {
                    runtime.logger.error("read endpoint failed", metadata: ["endpoint": "\(endpoint.name)", "error": "\(error)"])
                    return .jsonError("\(endpoint.name) failed: \(error)", status: .internalServerError)
                }
            }
        }
    }

    /// Every plugin read endpoint of every agent, once per name (the first wins; `calls` is the host's).
    static func pluginEndpoints(_ runtime: SwitchboardRuntime) -> [ReadEndpoint] {
        var seen: Set<String> = ["calls"]
        var endpoints: [ReadEndpoint] = []
        for agent in runtime.catalog.agents {
            for tool in agent.tools {
                for endpoint in tool.provider?.readEndpoints ?? [] {
                    let valid = !endpoint.name.isEmpty
                        && endpoint.name.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "_" || $0 == "-") }
                    guard valid else {
                        runtime.logger.warning("read endpoint skipped: name must be a plain path segment", metadata: ["name": "\(endpoint.name)"])
                        continue
                    }
                    if seen.insert(endpoint.name).inserted { endpoints.append(endpoint) }
                }
            }
        }
        return endpoints
    }

    /// Milliseconds since the epoch, or an ISO 8601 date-time.
    static func parseInstant(_ text: String) -> Int64? {
        if let milliseconds = Int64(text) { return milliseconds }
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return Int64(date.timeIntervalSince1970 * 1000) }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text).map { Int64($0.timeIntervalSince1970 * 1000) }
    }
}

/// Checks `Authorization: Bearer <token>` in constant time.
struct AdminTokenCheck: Sendable {
    /// `server.admin_token`; the API is off without one.
    let token: String?

    /// The answer refusing `request`, or `nil` when it may proceed.
    func refusal(_ request: Request) -> Response? {
        guard let token else {
            return .jsonError("read API is off: set server.admin_token (SWITCHBOARD_ADMIN_TOKEN) to enable it", status: .notFound)
        }
        let header = request.headers[.authorization] ?? ""
        guard header.hasPrefix("Bearer "), Self.equal(String(header.dropFirst(7)), token) else {
            return Response.jsonError("missing or wrong Authorization: Bearer token", status: .unauthorized)
        }
        return nil
    }

    /// Compares the SHA-256 digests of both strings, so the time taken does not depend on where they differ.
    static func equal(_ given: String, _ expected: String) -> Bool {
        let left = Array(SHA256.hash(data: Data(given.utf8)))
        let right = Array(SHA256.hash(data: Data(expected.utf8)))
        return zip(left, right).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
