import Foundation
import PluginAPI
import SQLKit

/// A stored reservation.
public struct ReservationRecord: Sendable {
    public var id: Int64
    public var agentID: String
    public var callID: String?
    public var status: String
    public var name: String
    public var phone: String?
    public var partySize: Int
    public var startsAt: Date
    public var endsAt: Date
    public var tableID: String?
    public var notes: String?
    public var createdAt: Date

    /// The number a caller is told.
    public var number: String { String(5000 + id) }

    /// The id for a spoken number, if it is one.
    public static func id(fromNumber text: String) -> Int64? {
        let digits = text.filter { $0.isASCII && $0.isNumber }
        guard let value = Int64(digits), value > 5000 else { return nil }
        return value - 5000
    }
}

/// Reservations in `restaurant_reservations`, on the session it is given.
struct ReservationStore {
    let db: any SQLDatabase

    /// Booked reservations of the agent overlapping `start..<end`.
    func booked(agentID: String, overlapping start: Date, _ end: Date) async throws -> [ReservationRecord] {
        try await db.select().columns("*").from("restaurant_reservations")
            .where("agent_id", .equal, SQLBind(agentID)).where("status", .equal, SQLBind("booked"))
            .where("starts_at", .lessThan, SQLBind(OrderStore.millis(end)))
            .where("ends_at", .greaterThan, SQLBind(OrderStore.millis(start)))
            .all().map(Self.record)
    }

    func insert(
        agentID: String, callID: String?, name: String, phone: String?, partySize: Int, start: Date, end: Date, tableID: String?,
        notes: String?, now: Date
    ) async throws -> ReservationRecord {
        let row = try await db.insert(into: "restaurant_reservations")
            .columns("agent_id", "call_id", "status", "customer_name", "customer_phone", "party_size", "starts_at", "ends_at", "table_id", "notes", "created_at")
            .values(
                SQLBind(agentID), SQLBind(callID), SQLBind("booked"), SQLBind(name), SQLBind(phone), SQLBind(partySize),
                SQLBind(OrderStore.millis(start)), SQLBind(OrderStore.millis(end)), SQLBind(tableID), SQLBind(notes), SQLBind(OrderStore.millis(now)))
            .returning("id").first()
        guard let id = try row?.decode(column: "id", as: Int64.self) else { throw OrderStoreError.noID }
        return ReservationRecord(
            id: id, agentID: agentID, callID: callID, status: "booked", name: name, phone: phone, partySize: partySize, startsAt: start,
            endsAt: end, tableID: tableID, notes: notes, createdAt: now)
    }

    func reservation(id: Int64, agentID: String) async throws -> ReservationRecord? {
        try await db.select().columns("*").from("restaurant_reservations")
            .where("id", .equal, SQLBind(id)).where("agent_id", .equal, SQLBind(agentID)).first().map(Self.record)
    }

    /// Upcoming booked reservations of the agent under `phone` (most recent first).
    func upcoming(agentID: String, phone: String, from now: Date) async throws -> [ReservationRecord] {
        try await db.select().columns("*").from("restaurant_reservations")
            .where("agent_id", .equal, SQLBind(agentID)).where("status", .equal, SQLBind("booked"))
            .where("customer_phone", .equal, SQLBind(phone)).where("ends_at", .greaterThan, SQLBind(OrderStore.millis(now)))
            .orderBy("starts_at").limit(5).all().map(Self.record)
    }

    /// Cancels a booked reservation; false when it was not booked (any more).
    func cancel(id: Int64, now: Date) async throws -> Bool {
        try await !db.update("restaurant_reservations")
            .set("status", to: SQLBind("cancelled")).set("cancelled_at", to: SQLBind(OrderStore.millis(now)))
            .where("id", .equal, SQLBind(id)).where("status", .equal, SQLBind("booked"))
            .returning("id").all().isEmpty
    }

    /// Reservations for the read API, newest first.
    func list(agentID: String?, since: Date?, limit: Int) async throws -> [ReservationRecord] {
        var query = db.select().columns("*").from("restaurant_reservations")
        if let agentID { query = query.where("agent_id", .equal, SQLBind(agentID)) }
        if let since { query = query.where("created_at", .greaterThanOrEqual, SQLBind(OrderStore.millis(since))) }
        return try await query.orderBy("id", .descending).limit(limit).all().map(Self.record)
    }

    private static func record(_ row: any SQLRow) throws -> ReservationRecord {
        ReservationRecord(
            id: try row.decode(column: "id", as: Int64.self), agentID: try row.decode(column: "agent_id", as: String.self),
            callID: try row.decode(column: "call_id", as: String?.self), status: try row.decode(column: "status", as: String.self),
            name: try row.decode(column: "customer_name", as: String.self), phone: try row.decode(column: "customer_phone", as: String?.self),
            partySize: try row.decode(column: "party_size", as: Int.self),
            startsAt: OrderStore.date(try row.decode(column: "starts_at", as: Int64.self)),
            endsAt: OrderStore.date(try row.decode(column: "ends_at", as: Int64.self)),
            tableID: try row.decode(column: "table_id", as: String?.self), notes: try row.decode(column: "notes", as: String?.self),
            createdAt: OrderStore.date(try row.decode(column: "created_at", as: Int64.self)))
    }
}
