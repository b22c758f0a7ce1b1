import Foundation
import PluginAPI
import SQLKit

/// Orders and their lines in `restaurant_orders` / `restaurant_order_lines`, on whatever database
/// session it is given (inside a mutating tool: the tool's transaction).
struct OrderStore {
    let db: any SQLDatabase

    /// The call's open order (its cart), if any.
    func openOrderID(callID: String, agentID: String) async throws -> Int64? {
        try await db.select().column("id").from("restaurant_orders")
            .where("call_id", .equal, SQLBind(callID)).where("agent_id", .equal, SQLBind(agentID))
            .where("status", .equal, SQLBind("open"))
            .orderBy("id", .descending).first()?.decode(column: "id", as: Int64.self)
    }

    /// The call's open order, created when there is none.
    func openOrCreate(callID: String, agentID: String, currency: String, now: Date) async throws -> Int64 {
        if let id = try await openOrderID(callID: callID, agentID: agentID) { return id }
        let millis = Self.millis(now)
        let row = try await db.insert(into: "restaurant_orders")
            .columns("agent_id", "call_id", "status", "currency", "created_at", "updated_at")
            .values(SQLBind(agentID), SQLBind(callID), SQLBind("open"), SQLBind(currency), SQLBind(millis), SQLBind(millis))
            .returning("id").first()
        guard let id = try row?.decode(column: "id", as: Int64.self) else { throw OrderStoreError.noID }
        return id
    }

    /// The lines of an order in the order they were added.
    func lines(orderID: Int64) async throws -> [OrderLine] {
        try await db.select().columns("id", "item_id", "item_name", "quantity", "unit_price_minor", "options", "notes", "prep_minutes")
            .from("restaurant_order_lines").where("order_id", .equal, SQLBind(orderID)).orderBy("id").all()
            .map(Self.line)
    }

    /// Lines of many orders at once, by order id.
    func lines(orderIDs: [Int64]) async throws -> [Int64: [OrderLine]] {
        guard !orderIDs.isEmpty else { return [:] }
        let rows = try await db.select().columns("order_id", "id", "item_id", "item_name", "quantity", "unit_price_minor", "options", "notes", "prep_minutes")
            .from("restaurant_order_lines").where("order_id", .in, SQLBind.group(orderIDs)).orderBy("id").all()
        var result: [Int64: [OrderLine]] = [:]
        for row in rows { result[try row.decode(column: "order_id", as: Int64.self), default: []].append(try Self.line(row)) }
        return result
    }

    func addLine(orderID: Int64, item: MenuItem, quantity: Int, options: [ChosenOption], notes: String?) async throws {
        let unit = options.reduce(item.price.minor) { $0 + $1.priceMinor }
        try await db.insert(into: "restaurant_order_lines")
            .columns("order_id", "item_id", "item_name", "quantity", "unit_price_minor", "line_total_minor", "options", "notes", "prep_minutes")
            .values(
                SQLBind(orderID), SQLBind(item.id), SQLBind(item.name), SQLBind(quantity), SQLBind(unit), SQLBind(unit * quantity),
                SQLBind(try Self.encode(options)), SQLBind(notes), SQLBind(item.prepMinutes))
            .run()
    }

    func updateLine(_ line: OrderLine) async throws {
        try await db.update("restaurant_order_lines")
            .set("quantity", to: SQLBind(line.quantity))
            .set("unit_price_minor", to: SQLBind(line.unitPrice.minor))
            .set("line_total_minor", to: SQLBind(line.total.minor))
            .set("options", to: SQLBind(try Self.encode(line.options)))
            .set("notes", to: SQLBind(line.notes))
            .where("id", .equal, SQLBind(line.id)).run()
    }

    func deleteLine(id: Int64) async throws {
        try await db.delete(from: "restaurant_order_lines").where("id", .equal, SQLBind(id)).run()
    }

    /// Stores the running totals of an open order.
    func saveTotals(orderID: Int64, _ totals: OrderTotals, now: Date) async throws {
        try await db.update("restaurant_orders")
            .set("subtotal_minor", to: SQLBind(totals.subtotal.minor)).set("tax_minor", to: SQLBind(totals.tax.minor))
            .set("fee_minor", to: SQLBind(totals.deliveryFee.minor)).set("total_minor", to: SQLBind(totals.total.minor))
            .set("updated_at", to: SQLBind(Self.millis(now)))
            .where("id", .equal, SQLBind(orderID)).run()
    }

    /// The details a confirmed order gets.
    struct Confirmation {
        var name: String
        var phone: String
        var fulfilment: String
        var address: String?
        var postcode: String?
        var requestedAt: Date?
        var readyAt: Date
        var totals: OrderTotals
    }

    /// Marks an open order confirmed (only if it is still open; returns false otherwise).
    func confirm(orderID: Int64, _ details: Confirmation, now: Date) async throws -> Bool {
        let millis = Self.millis(now)
        let updated = try await db.update("restaurant_orders")
            .set("status", to: SQLBind("confirmed"))
            .set("customer_name", to: SQLBind(details.name)).set("customer_phone", to: SQLBind(details.phone))
            .set("fulfilment", to: SQLBind(details.fulfilment)).set("address", to: SQLBind(details.address))
            .set("postcode", to: SQLBind(details.postcode))
            .set("requested_at", to: SQLBind(details.requestedAt.map(Self.millis)))
            .set("ready_at", to: SQLBind(Self.millis(details.readyAt)))
            .set("subtotal_minor", to: SQLBind(details.totals.subtotal.minor)).set("tax_minor", to: SQLBind(details.totals.tax.minor))
            .set("fee_minor", to: SQLBind(details.totals.deliveryFee.minor)).set("total_minor", to: SQLBind(details.totals.total.minor))
            .set("confirmed_at", to: SQLBind(millis)).set("updated_at", to: SQLBind(millis))
            .where("id", .equal, SQLBind(orderID)).where("status", .equal, SQLBind("open"))
            .returning("id").all()
        return !updated.isEmpty
    }

    /// Confirmed orders of the agent still in the kitchen at `now` (their ready time is later).
    func kitchenQueue(agentID: String, now: Date) async throws -> Int {
        let row = try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("restaurant_orders")
            .where("agent_id", .equal, SQLBind(agentID)).where("status", .equal, SQLBind("confirmed"))
            .where("ready_at", .greaterThan, SQLBind(Self.millis(now))).first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Marks the call's open orders abandoned; returns how many.
    @discardableResult
    func abandon(callID: String, agentID: String, now: Date) async throws -> Int {
        try await db.update("restaurant_orders")
            .set("status", to: SQLBind("abandoned")).set("updated_at", to: SQLBind(Self.millis(now)))
            .where("call_id", .equal, SQLBind(callID)).where("agent_id", .equal, SQLBind(agentID))
            .where("status", .equal, SQLBind("open"))
            .returning("id").all().count
    }

    /// Orders for the read API, newest first.
    func list(agentID: String?, since: Date?, limit: Int) async throws -> [OrderRecord] {
        var query = db.select().columns("*").from("restaurant_orders")
        if let agentID { query = query.where("agent_id", .equal, SQLBind(agentID)) }
        if let since { query = query.where("created_at", .greaterThanOrEqual, SQLBind(Self.millis(since))) }
        let rows = try await query.orderBy("id", .descending).limit(limit).all()
        let ids = try rows.map { try $0.decode(column: "id", as: Int64.self) }
        let lines = try await lines(orderIDs: ids)
        return try rows.map { row in
            let id = try row.decode(column: "id", as: Int64.self)
            let totals = OrderTotals(
                subtotal: Money(minor: try row.decode(column: "subtotal_minor", as: Int.self)),
                tax: Money(minor: try row.decode(column: "tax_minor", as: Int.self)), taxIncluded: false,
                deliveryFee: Money(minor: try row.decode(column: "fee_minor", as: Int.self)),
                total: Money(minor: try row.decode(column: "total_minor", as: Int.self)))
            return OrderRecord(
                id: id, agentID: try row.decode(column: "agent_id", as: String.self), callID: try row.decode(column: "call_id", as: String.self),
                status: try row.decode(column: "status", as: String.self),
                customerName: try row.decode(column: "customer_name", as: String?.self),
                customerPhone: try row.decode(column: "customer_phone", as: String?.self),
                fulfilment: try row.decode(column: "fulfilment", as: String?.self), address: try row.decode(column: "address", as: String?.self),
                postcode: try row.decode(column: "postcode", as: String?.self), currency: try row.decode(column: "currency", as: String.self),
                totals: totals, readyAt: try row.decode(column: "ready_at", as: Int64?.self).map(Self.date),
                createdAt: Self.date(try row.decode(column: "created_at", as: Int64.self)),
                confirmedAt: try row.decode(column: "confirmed_at", as: Int64?.self).map(Self.date), lines: lines[id] ?? [])
        }
    }

    private static func line(_ row: any SQLRow) throws -> OrderLine {
        let options = try JSONDecoder().decode([ChosenOption].self, from: Data(try row.decode(column: "options", as: String.self).utf8))
        return OrderLine(
            id: try row.decode(column: "id", as: Int64.self), itemID: try row.decode(column: "item_id", as: String.self),
            itemName: try row.decode(column: "item_name", as: String.self), quantity: try row.decode(column: "quantity", as: Int.self),
            unitPrice: Money(minor: try row.decode(column: "unit_price_minor", as: Int.self)), options: options,
            notes: try row.decode(column: "notes", as: String?.self), prepMinutes: try row.decode(column: "prep_minutes", as: Int.self))
    }

    private static func encode(_ options: [ChosenOption]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(options), as: UTF8.self)
    }

    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
    static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }
}

enum OrderStoreError: Error, CustomStringConvertible {
    case noID
    var description: String { "the database returned no id for the new order" }
}
