import Foundation
import PluginAPI
import SQLKit

/// One booked (or cancelled) appointment, as stored in the plugin's `appointments` table.
public struct Appointment: Sendable, Hashable {
    public var id: String
    public var agentID: String
    public var serviceID: String
    /// `""` when the business books without staff.
    public var staffID: String
    public var start: Date
    public var end: Date
    /// `end` plus the service's buffer: the time no other appointment of the same staff may overlap.
    public var blockedUntil: Date
    public var timeZone: String
    /// `booked` or `cancelled`.
    public var status: String
    public var customerName: String
    public var customerPhone: String?
    public var customerEmail: String?
    public var callID: String?
    /// Cal.com booking uid and id when the booking lives there too.
    public var calcomUID: String?
    public var calcomID: Int?
    public var previousUID: String?
    /// `local` (built-in calendar), `synced`, `pending` (waiting for Cal.com), `conflict`.
    public var syncStatus: String
}

/// The plugin's tables and the queries the calendar needs; every function runs on the database it is
/// given (the tool's transaction for writes).
enum AppointmentStore {
    static let migrations: [Migration] = [
        Migration("001_appointments") { db, _ in
            try await db.create(table: "appointments").ifNotExists()
                .column("id", type: .text, .primaryKey(autoIncrement: false))
                .column("agent_id", type: .text, .notNull)
                .column("service_id", type: .text, .notNull)
                .column("staff_id", type: .text, .notNull)
                .column("start_at", type: .bigint, .notNull)
                .column("end_at", type: .bigint, .notNull)
                .column("blocked_until", type: .bigint, .notNull)
                .column("time_zone", type: .text, .notNull)
                .column("status", type: .text, .notNull)
                .column("customer_name", type: .text, .notNull)
                .column("customer_phone", type: .text)
                .column("customer_email", type: .text)
                .column("call_id", type: .text)
                .column("calcom_uid", type: .text)
                .column("calcom_id", type: .bigint)
                .column("previous_uid", type: .text)
                .column("sync_status", type: .text, .notNull)
                .column("created_at", type: .bigint, .notNull)
                .column("updated_at", type: .bigint, .notNull)
                .run()
            try await db.create(index: "appointments_agent_start").on("appointments").column("agent_id").column("start_at").run()
            try await db.create(index: "appointments_phone").on("appointments").column("customer_phone").run()
        },
    ]

    static let columns = [
        "id", "agent_id", "service_id", "staff_id", "start_at", "end_at", "blocked_until", "time_zone", "status",
        "customer_name", "customer_phone", "customer_email", "call_id", "calcom_uid", "calcom_id", "previous_uid",
        "sync_status",
    ]

    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
    static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }

    /// Booked appointments of `agentID` that overlap [`from`, `to`).
    static func booked(agentID: String, from: Date, to: Date, on db: any SQLDatabase) async throws -> [Appointment] {
        try await db.select().columns(columns.map { SQLColumn($0) }).from("appointments")
            .where("agent_id", .equal, SQLBind(agentID))
            .where("status", .equal, SQLBind("booked"))
            .where("start_at", .lessThan, SQLBind(millis(to)))
            .where("blocked_until", .greaterThan, SQLBind(millis(from)))
            .orderBy("start_at")
            .all().map(decode)
    }

    static func insert(_ appointment: Appointment, now: Date, on db: any SQLDatabase) async throws {
        let stamp = millis(now)
        try await db.insert(into: "appointments")
            .columns(columns + ["created_at", "updated_at"])
            .values(
                SQLBind(appointment.id), SQLBind(appointment.agentID), SQLBind(appointment.serviceID), SQLBind(appointment.staffID),
                SQLBind(millis(appointment.start)), SQLBind(millis(appointment.end)), SQLBind(millis(appointment.blockedUntil)),
                SQLBind(appointment.timeZone), SQLBind(appointment.status), SQLBind(appointment.customerName),
                SQLBind(appointment.customerPhone), SQLBind(appointment.customerEmail), SQLBind(appointment.callID),
                SQLBind(appointment.calcomUID), SQLBind(appointment.calcomID), SQLBind(appointment.previousUID),
                SQLBind(appointment.syncStatus), SQLBind(stamp), SQLBind(stamp))
            .run()
    }

    /// Writes every field of `appointment` back (by id).
    static func update(_ appointment: Appointment, now: Date, on db: any SQLDatabase) async throws {
        try await db.update("appointments")
            .set("service_id", to: SQLBind(appointment.serviceID))
            .set("staff_id", to: SQLBind(appointment.staffID))
            .set("start_at", to: SQLBind(millis(appointment.start)))
            .set("end_at", to: SQLBind(millis(appointment.end)))
            .set("blocked_until", to: SQLBind(millis(appointment.blockedUntil)))
            .set("status", to: SQLBind(appointment.status))
            .set("customer_name", to: SQLBind(appointment.customerName))
            .set("customer_phone", to: SQLBind(appointment.customerPhone))
            .set("customer_email", to: SQLBind(appointment.customerEmail))
            .set("calcom_uid", to: SQLBind(appointment.calcomUID))
            .set("calcom_id", to: SQLBind(appointment.calcomID))
            .set("previous_uid", to: SQLBind(appointment.previousUID))
            .set("sync_status", to: SQLBind(appointment.syncStatus))
            .set("updated_at", to: SQLBind(millis(now)))
            .where("id", .equal, SQLBind(appointment.id))
            .run()
    }

    static func find(id: String, agentID: String, on db: any SQLDatabase) async throws -> Appointment? {
        try await db.select().columns(columns.map { SQLColumn($0) }).from("appointments")
            .where("id", .equal, SQLBind(id)).where("agent_id", .equal, SQLBind(agentID))
            .first().map(decode)
    }

    /// Booked appointments for `phone` that have not started before `after`, soonest first.
    static func upcoming(phone: String, agentID: String, after: Date, on db: any SQLDatabase) async throws -> [Appointment] {
        try await db.select().columns(columns.map { SQLColumn($0) }).from("appointments")
            .where("agent_id", .equal, SQLBind(agentID))
            .where("customer_phone", .equal, SQLBind(phone))
            .where("status", .equal, SQLBind("booked"))
            .where("start_at", .greaterThanOrEqual, SQLBind(millis(after)))
            .orderBy("start_at")
            .all().map(decode)
    }

    /// The newest appointments (for the read API), optionally of one agent and since a time.
    static func list(agentID: String?, since: Date?, limit: Int, on db: any SQLDatabase) async throws -> [Appointment] {
        var query = db.select().columns(columns.map { SQLColumn($0) }).from("appointments")
        if let agentID { query = query.where("agent_id", .equal, SQLBind(agentID)) }
        if let since { query = query.where("start_at", .greaterThanOrEqual, SQLBind(millis(since))) }
        return try await query.orderBy("start_at").limit(limit).all().map(decode)
    }

    static func decode(_ row: any SQLRow) throws -> Appointment {
        Appointment(
            id: try row.decode(column: "id", as: String.self),
            agentID: try row.decode(column: "agent_id", as: String.self),
            serviceID: try row.decode(column: "service_id", as: String.self),
            staffID: try row.decode(column: "staff_id", as: String.self),
            start: date(try row.decode(column: "start_at", as: Int64.self)),
            end: date(try row.decode(column: "end_at", as: Int64.self)),
            blockedUntil: date(try row.decode(column: "blocked_until", as: Int64.self)),
            timeZone: try row.decode(column: "time_zone", as: String.self),
            status: try row.decode(column: "status", as: String.self),
            customerName: try row.decode(column: "customer_name", as: String.self),
            customerPhone: try row.decode(column: "customer_phone", as: String?.self),
            customerEmail: try row.decode(column: "customer_email", as: String?.self),
            callID: try row.decode(column: "call_id", as: String?.self),
            calcomUID: try row.decode(column: "calcom_uid", as: String?.self),
            calcomID: try row.decode(column: "calcom_id", as: Int?.self),
            previousUID: try row.decode(column: "previous_uid", as: String?.self),
            syncStatus: try row.decode(column: "sync_status", as: String.self))
    }
}

extension Appointment {
    /// The JSON the tools and the read API show.
    func json(timeZone: TimeZone, serviceName: String?, staffName: String?) -> JSONValue {
        let date = LocalDate(start, in: timeZone)
        let time = LocalTime(start, in: timeZone)
        return [
            "appointment_id": .string(id),
            "service_id": .string(serviceID),
            "service": serviceName.map(JSONValue.string) ?? .null,
            "staff_id": staffID.isEmpty ? .null : .string(staffID),
            "staff": staffName.map(JSONValue.string) ?? .null,
            "date": .string(date.description),
            "time": .string(time.description),
            "start": .string(ISO8601.string(start)),
            "end": .string(ISO8601.string(end)),
            "status": .string(status),
            "customer_name": .string(customerName),
            "customer_phone": customerPhone.map(JSONValue.string) ?? .null,
            "sync_status": .string(syncStatus),
            "calcom_uid": calcomUID.map(JSONValue.string) ?? .null,
        ]
    }
}

/// ISO 8601 instants in UTC (`2026-03-03T13:30:00Z`), and parsing with or without fractional seconds.
enum ISO8601 {
    static func string(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}
