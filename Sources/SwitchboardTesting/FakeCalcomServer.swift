import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import PluginAPI
import Synchronization

/// A fake Cal.com API v2 on 127.0.0.1 speaking the wire format of `/v2/slots` and `/v2/bookings*`:
/// bearer auth, a required `cal-api-version` per endpoint family, the `{status, data}` envelope, the
/// error envelope, UTC instants in bookings and offset instants with milliseconds in slots.
///
/// Every event type is available Monday–Friday 08:00–18:00 Europe/Berlin in steps of its length;
/// bookings (also ones added with ``addBooking(eventTypeID:start:name:metadata:)``, as if made on the website)
/// take their time away. ``setOutage(_:)`` makes every request fail with 503, as during an outage.
public final class FakeCalcomServer: Sendable {
    /// A booking as the fake stores it.
    public struct Booking: Sendable {
        public var id: Int
        public var uid: String
        public var eventTypeID: Int
        public var start: Date
        public var end: Date
        /// `accepted` or `cancelled`.
        public var status: String
        public var attendee: JSONValue
        public var metadata: JSONValue
        public var rescheduledFromUID: String?
        public var rescheduledToUID: String?
    }

    /// A request as received.
    public struct Received: Sendable {
        public var method: String
        public var path: String
        /// Header names in lower case.
        public var headers: [String: String]
    }

    private struct State {
        var bookings: [Booking] = []
        var requests: [Received] = []
        var outage = false
        var createDelay: Duration = .zero
        var nextID = 900_000
    }

    public let apiKey: String
    /// Event type id → length in minutes.
    public let eventTypes: [Int: Int]
    public static let slotsVersion = "2024-09-04"
    public static let bookingsVersion = "2024-08-13"
    private let state = Mutex(State())
    private static let berlin = TimeZone(identifier: "Europe/Berlin")!

    public init(apiKey: String = "cal_test_key", eventTypes: [Int: Int]) {
        self.apiKey = apiKey
        self.eventTypes = eventTypes
    }

    /// Every booking, in creation order.
    public var bookings: [Booking] { state.withLock { $0.bookings } }
    /// Every request received.
    public var requests: [Received] { state.withLock { $0.requests } }
    /// While `true`, every request is answered with 503.
    public func setOutage(_ down: Bool) { state.withLock { $0.outage = down } }
    /// Makes a booking create take `delay` before it is made and answered (a slow Cal.com).
    public func setCreateDelay(_ delay: Duration) { state.withLock { $0.createDelay = delay } }

    /// Adds a booking made elsewhere (the website, another channel).
    @discardableResult
    public func addBooking(eventTypeID: Int, start: Date, name: String, metadata: JSONValue = [:]) -> Booking {
        state.withLock { state in
            state.nextID += 1
            let booking = Booking(
                id: state.nextID, uid: "uid\(state.nextID)", eventTypeID: eventTypeID, start: start,
                end: start.addingTimeInterval(Double((eventTypes[eventTypeID] ?? 30) * 60)), status: "accepted",
                attendee: ["name": .string(name), "timeZone": "Europe/Berlin"], metadata: metadata)
            state.bookings.append(booking)
            return booking
        }
    }

    /// Serves while `body` runs, passing it the base URL (`http://127.0.0.1:<port>`, without `/v2`).
    public func run<Result: Sendable>(_ body: @Sendable (String) async throws -> Result) async throws -> Result {
        let router = Router(context: FakeServerContext.self)
        for method in [HTTPRequest.Method.get, .post] {
            router.on("**", method: method) { request, _ in try await self.respond(request) }
        }
        return try await LoopbackHTTPServer.serve(name: "fake-calcom", router: router, body)
    }

    // MARK: - Routing

    private func respond(_ request: Request) async throws -> Response {
        let bytes = try await request.body.collect(upTo: 1 << 20)
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let path = request.uri.path
        let outage = state.withLock { state in
            state.requests.append(Received(method: request.method.rawValue, path: request.uri.description, headers: headers))
            return state.outage
        }
        if outage { return Self.error(503, "ServiceUnavailableException", "Service unavailable", path: path) }
        guard headers["authorization"] == "Bearer \(apiKey)" else {
            return Self.error(401, "UnauthorizedException", "Invalid API key", path: path)
        }
        let query = Dictionary(request.uri.queryParameters.map { (String($0.key), String($0.value)) }, uniquingKeysWith: { $1 })
        let body = bytes.readableBytes == 0 ? JSONValue.null : (try? JSONValue(parsing: Data(bytes.readableBytesView))) ?? .null
        let parts = path.split(separator: "/").map(String.init)
        if parts == ["v2", "slots"], request.method == .get {
            guard headers["cal-api-version"] == Self.slotsVersion else { return Self.versionError(path) }
            return slots(query, path: path)
        }
        guard parts.count >= 2, parts[0] == "v2", parts[1] == "bookings" else {
            return Self.error(404, "NotFoundException", "Cannot \(request.method.rawValue) \(path)", path: path)
        }
        guard headers["cal-api-version"] == Self.bookingsVersion else { return Self.versionError(path) }
        switch (request.method, parts.count) {
        case (.post, 2):
            try await Task.sleep(for: state.withLock { $0.createDelay })
            return create(body, path: path)
        case (.get, 2): return list(query)
        case (.get, 3): return find(parts[2], path: path)
        case (.post, 4) where parts[3] == "reschedule": return reschedule(parts[2], body, path: path)
        case (.post, 4) where parts[3] == "cancel": return cancel(parts[2], body, path: path)
        default: return Self.error(404, "NotFoundException", "Cannot \(request.method.rawValue) \(path)", path: path)
        }
    }

    // MARK: - Endpoints

    private func slots(_ query: [String: String], path: String) -> Response {
        guard let eventType = query["eventTypeId"].flatMap(Int.init), let length = eventTypes[eventType] else {
            return Self.error(404, "NotFoundException", "Event type with id \(query["eventTypeId"] ?? "") not found.", path: path)
        }
        guard let start = query["start"].flatMap(Self.parse), let end = query["end"].flatMap(Self.parse) else {
            return Self.error(400, "BadRequestException", "start and end are required", path: path)
        }
        let zone = query["timeZone"].flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: "UTC")!
        let range = query["format"]?.lowercased() == "range"
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Self.berlin
        var days: [String: [JSONValue]] = [:]
        var day = calendar.startOfDay(for: start)
        let booked = state.withLock { $0.bookings.filter { $0.status == "accepted" } }
        while day < end {
            let weekday = calendar.component(.weekday, from: day)
            if (2...6).contains(weekday) {
                var minute = 8 * 60
                while minute + length <= 18 * 60 {
                    if let slot = calendar.date(byAdding: .minute, value: minute, to: day), slot >= start, slot < end {
                        let slotEnd = slot.addingTimeInterval(Double(length * 60))
                        if !booked.contains(where: { $0.start < slotEnd && $0.end > slot }) {
                            var item: [String: JSONValue] = ["start": .string(Self.offsetString(slot, zone))]
                            if range { item["end"] = .string(Self.offsetString(slotEnd, zone)) }
                            days[Self.dayKey(slot, zone), default: []].append(.object(item))
                        }
                    }
                    minute += length
                }
            }
            day = calendar.date(byAdding: .day, value: 1, to: day) ?? end
        }
        return Self.json(200, ["status": "success", "data": .object(days.mapValues(JSONValue.array))])
    }

    private func create(_ body: JSONValue, path: String) -> Response {
        guard let start = body["start"]?.stringValue.flatMap(Self.parse), let eventType = body["eventTypeId"]?.intValue,
            let attendee = body["attendee"], attendee["name"]?.stringValue != nil, attendee["timeZone"]?.stringValue != nil
        else {
            return Self.error(400, "BadRequestException", "start, eventTypeId and attendee (name, timeZone) are required", path: path)
        }
        guard attendee["email"] != nil || attendee["phoneNumber"] != nil else {
            return Self.error(400, "BadRequestException", "Attendee must have at least one contact method", path: path)
        }
        guard let length = eventTypes[eventType] else {
            return Self.error(404, "NotFoundException", "Event type with id \(eventType) not found.", path: path)
        }
        let result: Booking? = state.withLock { state in
            let end = start.addingTimeInterval(Double(length * 60))
            if state.bookings.contains(where: { $0.status == "accepted" && $0.start < end && $0.end > start }) { return nil }
            state.nextID += 1
            let booking = Booking(
                id: state.nextID, uid: "uid\(state.nextID)", eventTypeID: eventType, start: start, end: end, status: "accepted",
                attendee: attendee, metadata: body["metadata"] ?? [:])
            state.bookings.append(booking)
            return booking
        }
        guard let result else {
            return Self.error(400, "BadRequestException", "User either already has booking at this time or is not available", path: path)
        }
        return Self.json(201, ["status": "success", "data": Self.json(result)])
    }

    private func list(_ query: [String: String]) -> Response {
        let after = query["afterStart"].flatMap(Self.parse)
        let before = query["beforeEnd"].flatMap(Self.parse)
        let found = state.withLock { $0.bookings }.filter { booking in
            (after.map { booking.start >= $0 } ?? true) && (before.map { booking.end <= $0 } ?? true)
        }
        return Self.json(200, ["status": "success", "data": .array(found.map(Self.json))])
    }

    private func find(_ uid: String, path: String) -> Response {
        guard let booking = state.withLock({ $0.bookings.first { $0.uid == uid } }) else {
            return Self.error(404, "NotFoundException", "Booking with uid=\(uid) was not found in the database", path: path)
        }
        return Self.json(200, ["status": "success", "data": Self.json(booking)])
    }

    private func reschedule(_ uid: String, _ body: JSONValue, path: String) -> Response {
        guard let start = body["start"]?.stringValue.flatMap(Self.parse) else {
            return Self.error(400, "BadRequestException", "start is required", path: path)
        }
        let outcome: Result<Booking, RescheduleRefusal> = state.withLock { state in
            guard let index = state.bookings.firstIndex(where: { $0.uid == uid && $0.status == "accepted" }) else { return .failure(.notFound) }
            let old = state.bookings[index]
            let end = start.addingTimeInterval(old.end.timeIntervalSince(old.start))
            if state.bookings.contains(where: { $0.uid != uid && $0.status == "accepted" && $0.start < end && $0.end > start }) {
                return .failure(.taken)
            }
            state.nextID += 1
            let new = Booking(
                id: state.nextID, uid: "uid\(state.nextID)", eventTypeID: old.eventTypeID, start: start, end: end, status: "accepted",
                attendee: old.attendee, metadata: old.metadata, rescheduledFromUID: uid)
            state.bookings[index].status = "cancelled"
            state.bookings[index].rescheduledToUID = new.uid
            state.bookings.append(new)
            return .success(new)
        }
        switch outcome {
        case .success(let booking): return Self.json(201, ["status": "success", "data": Self.json(booking)])
        case .failure(.taken):
            return Self.error(400, "BadRequestException", "User either already has booking at this time or is not available", path: path)
        case .failure(.notFound):
            return Self.error(404, "NotFoundException", "Booking with uid=\(uid) was not found in the database", path: path)
        }
    }

    private func cancel(_ uid: String, _ body: JSONValue, path: String) -> Response {
        let cancelled: Booking? = state.withLock { state in
            guard let index = state.bookings.firstIndex(where: { $0.uid == uid }) else { return nil }
            state.bookings[index].status = "cancelled"
            return state.bookings[index]
        }
        guard let cancelled else {
            return Self.error(404, "NotFoundException", "Booking with uid=\(uid) was not found in the database", path: path)
        }
        var data = Self.json(cancelled)
        if case .object(var members) = data {
            members["cancellationReason"] = body["cancellationReason"] ?? .null
            data = .object(members)
        }
        return Self.json(200, ["status": "success", "data": data])
    }

    private enum RescheduleRefusal: Error { case notFound, taken }

    // MARK: - Wire format

    private static func json(_ booking: Booking) -> JSONValue {
        var attendee = booking.attendee.objectValue ?? [:]
        attendee["absent"] = false
        var data: [String: JSONValue] = [
            "id": .int(booking.id), "uid": .string(booking.uid), "title": "Termin", "description": "", "hosts": [],
            "status": .string(booking.status), "start": .string(utcString(booking.start)), "end": .string(utcString(booking.end)),
            "duration": .int(Int(booking.end.timeIntervalSince(booking.start) / 60)), "eventTypeId": .int(booking.eventTypeID),
            "eventType": ["id": .int(booking.eventTypeID), "slug": "termin"], "location": "", "absentHost": false,
            "createdAt": "2026-03-02T09:00:00.000Z", "updatedAt": nil, "metadata": booking.metadata, "attendees": [.object(attendee)],
            "guests": [], "bookingFieldsResponses": [:],
        ]
        if let from = booking.rescheduledFromUID { data["rescheduledFromUid"] = .string(from) }
        if let to = booking.rescheduledToUID { data["rescheduledToUid"] = .string(to) }
        return .object(data)
    }

    private static func json(_ status: Int, _ body: JSONValue) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[HTTPField.Name("X-Request-Id")!] = UUID().uuidString
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: body.canonicalJSON)))
    }

    private static func error(_ status: Int, _ code: String, _ message: String, path: String) -> Response {
        json(status, [
            "status": "error", "timestamp": "2026-03-02T09:01:13.412Z", "path": .string(path),
            "error": ["code": .string(code), "message": .string(message), "details": ["message": .string(message), "statusCode": .int(status)]],
        ])
    }

    private static func versionError(_ path: String) -> Response {
        error(400, "BadRequestException", "missing or unsupported cal-api-version header", path: path)
    }

    static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }

    /// `2026-03-03T13:30:00.000Z`.
    static func utcString(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    /// `2026-03-03T14:30:00.000+01:00`.
    static func offsetString(_ date: Date, _ zone: TimeZone) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = zone
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    static func dayKey(_ date: Date, _ zone: TimeZone) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = zone
        formatter.formatOptions = [.withFullDate]
        return formatter.string(from: date)
    }
}
