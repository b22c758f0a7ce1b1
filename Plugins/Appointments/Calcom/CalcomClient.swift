import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import PluginAPI

/// A booking as Cal.com API v2 returns it (the fields we use).
struct CalcomBooking: Sendable, Hashable {
    var id: Int?
    var uid: String
    /// `accepted`, `pending`, `cancelled`, `rejected`.
    var status: String
    var start: Date
    var end: Date?
    var localID: String?
    var attendeeName: String?
}

/// Why a Cal.com request failed.
enum CalcomError: Error, CustomStringConvertible {
    /// No answer (connection refused, timeout, 5xx, 429): the request may be retried later.
    case unreachable(String)
    /// 400/409: Cal.com refused, usually because the slot is taken.
    case rejected(status: Int, message: String)
    /// 401/403/404 or an answer we cannot read: an operator must look.
    case failed(status: Int, message: String)

    var description: String {
        switch self {
        case .unreachable(let detail): return "Cal.com unreachable: \(detail)"
        case .rejected(let status, let message): return "Cal.com refused (\(status)): \(message)"
        case .failed(let status, let message): return "Cal.com error (\(status)): \(message)"
        }
    }
}

/// Cal.com API v2 over the host's AsyncHTTPClient: slots, create, get, find, reschedule, cancel.
/// Every request carries `Authorization: Bearer …` and its endpoint family's `cal-api-version`;
/// instants are sent in UTC.
struct CalcomClient: Sendable {
    let settings: CalcomSettings
    let http: HTTPClient
    /// The tool's deadline, when a tool is waiting: a request may use three quarters of the time left before
    /// it, and leaves at least `Self.reserve` for the tool to hold the booking locally and answer.
    let deadline: ContinuousClock.Instant?

    /// The least a tool keeps after a Cal.com request.
    static let reserve: Duration = .milliseconds(250)

    init(settings: CalcomSettings, services: HostServices, deadline: ContinuousClock.Instant? = nil) throws {
        self.settings = settings
        self.http = try services.require(HTTPClient.self)
        self.deadline = deadline
    }

    /// The configured timeout, shortened to end before the tool's deadline; nil when no time is left.
    func requestTimeout(now: ContinuousClock.Instant = .now) -> Duration? {
        guard let deadline else { return settings.timeout }
        let left = deadline - now
        let budget = left - max(Self.reserve, left / 4)
        return budget < .milliseconds(50) ? nil : min(settings.timeout, budget)
    }

    /// Free start times of `eventTypeID` between two instants.
    func slots(eventTypeID: Int, from: Date, to: Date, timeZone: TimeZone, duration: Int?) async throws -> [Date] {
        var query = [
            ("eventTypeId", String(eventTypeID)), ("start", ISO8601.string(from)), ("end", ISO8601.string(to)),
            ("timeZone", timeZone.identifier), ("format", "range"),
        ]
        if let duration { query.append(("duration", String(duration))) }
        let body = try await send(.GET, "/v2/slots", query: query, version: settings.slotsVersion, body: nil)
        guard let days = body["data"]?.objectValue else { throw CalcomError.failed(status: 200, message: "slots answer without data") }
        return days.values.flatMap { $0.arrayValue ?? [] }.compactMap { $0["start"]?.stringValue.flatMap(ISO8601.parse) }.sorted()
    }

    /// Creates a booking (no idempotency key exists: callers check with ``find`` before creating again).
    func create(
        eventTypeID: Int, start: Date, lengthInMinutes: Int?, name: String, phone: String?, email: String?, timeZone: TimeZone,
        localID: String
    ) async throws -> CalcomBooking {
        var attendee: [String: JSONValue] = ["name": .string(name), "timeZone": .string(timeZone.identifier), "language": "de"]
        if let phone { attendee["phoneNumber"] = .string(phone) }
        if let email { attendee["email"] = .string(email) }
        var payload: [String: JSONValue] = [
            "start": .string(ISO8601.string(start)), "eventTypeId": .int(eventTypeID), "attendee": .object(attendee),
            "metadata": ["localId": .string(localID), "source": "switchboard"],
        ]
        if let lengthInMinutes { payload["lengthInMinutes"] = .int(lengthInMinutes) }
        return try booking(try await send(.POST, "/v2/bookings", version: settings.bookingsVersion, body: .object(payload)))
    }

    /// The booking `uid`.
    func get(uid: String) async throws -> CalcomBooking {
        try booking(try await send(.GET, "/v2/bookings/\(uid)", version: settings.bookingsVersion, body: nil))
    }

    /// A booking we created for `localID` at `start` (found by listing that minute), if Cal.com has it.
    func find(localID: String, start: Date) async throws -> CalcomBooking? {
        let body = try await send(.GET, "/v2/bookings", query: [
            ("afterStart", ISO8601.string(start.addingTimeInterval(-60))), ("beforeEnd", ISO8601.string(start.addingTimeInterval(86400))),
        ], version: settings.bookingsVersion, body: nil)
        let items = body["data"]?.arrayValue ?? body["data"]?["bookings"]?.arrayValue ?? []
        // The list filters were reported to be ignored at times: check every result here.
        return try items.map(Self.decode).first { $0.localID == localID && $0.status != "cancelled" }
    }

    /// Moves booking `uid`; Cal.com answers with the new booking (a new uid).
    func reschedule(uid: String, start: Date, reason: String?) async throws -> CalcomBooking {
        var payload: [String: JSONValue] = ["start": .string(ISO8601.string(start))]
        if let reason { payload["reschedulingReason"] = .string(reason) }
        return try booking(try await send(.POST, "/v2/bookings/\(uid)/reschedule", version: settings.bookingsVersion, body: .object(payload)))
    }

    /// Cancels booking `uid`.
    func cancel(uid: String, reason: String?) async throws {
        let payload: JSONValue = ["cancellationReason": .string(reason ?? "Vom Anrufer telefonisch abgesagt")]
        _ = try await send(.POST, "/v2/bookings/\(uid)/cancel", version: settings.bookingsVersion, body: payload)
    }

    private func booking(_ body: JSONValue) throws -> CalcomBooking {
        guard let data = body["data"] else { throw CalcomError.failed(status: 200, message: "answer without data") }
        return try Self.decode(data.arrayValue?.first ?? data)
    }

    static func decode(_ data: JSONValue) throws -> CalcomBooking {
        guard let uid = data["uid"]?.stringValue, let start = data["start"]?.stringValue.flatMap(ISO8601.parse) else {
            throw CalcomError.failed(status: 200, message: "booking without uid or start")
        }
        return CalcomBooking(
            id: data["id"]?.intValue, uid: uid, status: data["status"]?.stringValue ?? "accepted", start: start,
            end: data["end"]?.stringValue.flatMap(ISO8601.parse), localID: data["metadata"]?["localId"]?.stringValue,
            attendeeName: data["attendees"]?[0]?["name"]?.stringValue)
    }

    private func send(_ method: HTTPMethod, _ path: String, query: [(String, String)] = [], version: String, body: JSONValue?) async throws -> JSONValue {
        guard let apiKey = settings.apiKey else { throw CalcomError.failed(status: 401, message: "CALCOM_API_KEY is not set") }
        var components = URLComponents(string: settings.baseURL + path)
        if !query.isEmpty { components?.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) } }
        // `+` in offsets must not read as a space.
        let encodedQuery = components?.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        components?.percentEncodedQuery = encodedQuery
        guard let url = components?.string else { throw CalcomError.failed(status: 0, message: "bad URL \(settings.baseURL + path)") }
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(apiKey)")
        request.headers.add(name: "cal-api-version", value: version)
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body.canonicalJSON))
        }
        guard let timeout = requestTimeout() else {
            throw CalcomError.unreachable("no time left before the tool's deadline for \(method.rawValue) \(path)")
        }
        let response: HTTPClientResponse
        let bytes: ByteBuffer
        do {
            response = try await http.execute(request, timeout: TimeAmount(timeout))
            bytes = try await response.body.collect(upTo: 8 << 20)
        } catch {
            throw CalcomError.unreachable("\(error)")
        }
        let json = (try? JSONValue(parsing: Data(bytes.readableBytesView))) ?? .null
        let status = Int(response.status.code)
        switch status {
        case 200..<300:
            return json
        case 400, 409, 422:
            throw CalcomError.rejected(status: status, message: Self.message(json))
        case 429, 500...:
            throw CalcomError.unreachable("HTTP \(status): \(Self.message(json))")
        default:
            throw CalcomError.failed(status: status, message: Self.message(json))
        }
    }

    static func message(_ json: JSONValue) -> String {
        json["error"]?["message"]?.stringValue ?? json["message"]?.stringValue ?? json.canonicalJSON
    }
}
