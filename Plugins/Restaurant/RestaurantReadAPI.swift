import Foundation
import PluginAPI

/// `GET /api/orders` and `GET /api/reservations`: query parameters `agent` (an agent id), `since`
/// (ISO 8601 date or date-time, or milliseconds since the epoch; compared with the creation time)
/// and `limit` (1–500, default 50). Newest first; money in minor units; times in UTC ISO 8601.
enum RestaurantReadAPI {
    static let endpoints: [ReadEndpoint] = [
        ReadEndpoint(name: "orders") { query, storage in
            let filter = try Filter(query)
            let orders = try await OrderStore(db: storage.sql).list(agentID: filter.agent, since: filter.since, limit: filter.limit)
            return ["orders": .array(orders.map(orderJSON))]
        },
        ReadEndpoint(name: "reservations") { query, storage in
            let filter = try Filter(query)
            let reservations = try await ReservationStore(db: storage.sql).list(agentID: filter.agent, since: filter.since, limit: filter.limit)
            return ["reservations": .array(reservations.map(reservationJSON))]
        },
    ]

    /// The parsed query parameters.
    struct Filter {
        var agent: String?
        var since: Date?
        var limit: Int

        init(_ query: [String: String]) throws {
            agent = query["agent"].flatMap { $0.isEmpty ? nil : $0 }
            if let text = query["since"], !text.isEmpty {
                guard let date = Self.parseSince(text) else { throw BadQuery("since must be an ISO 8601 date or date-time, or epoch milliseconds, got '\(text)'") }
                since = date
            }
            limit = 50
            if let text = query["limit"] {
                guard let value = Int(text), (1...500).contains(value) else { throw BadQuery("limit must be a number from 1 to 500, got '\(text)'") }
                limit = value
            }
        }

        static func parseSince(_ text: String) -> Date? {
            if let millis = Int64(text) { return Date(timeIntervalSince1970: Double(millis) / 1000) }
            let formatter = ISO8601DateFormatter()
            if let date = formatter.date(from: text) { return date }
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            if let date = formatter.date(from: text) { return date }
            formatter.formatOptions = [.withFullDate]
            return formatter.date(from: text)
        }
    }

    /// A query parameter that cannot be read.
    struct BadQuery: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    static func iso(_ date: Date) -> JSONValue {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return .string(formatter.string(from: date))
    }

    static func orderJSON(_ order: OrderRecord) -> JSONValue {
        [
            "order_number": .string(order.number), "id": .int(Int(order.id)), "agent": .string(order.agentID), "call_id": .string(order.callID),
            "status": .string(order.status), "customer_name": order.customerName.map(JSONValue.string) ?? .null,
            "customer_phone": order.customerPhone.map(JSONValue.string) ?? .null,
            "fulfilment": order.fulfilment.map(JSONValue.string) ?? .null, "address": order.address.map(JSONValue.string) ?? .null,
            "postcode": order.postcode.map(JSONValue.string) ?? .null, "currency": .string(order.currency),
            "subtotal_minor": .int(order.totals.subtotal.minor), "tax_minor": .int(order.totals.tax.minor),
            "delivery_fee_minor": .int(order.totals.deliveryFee.minor), "total_minor": .int(order.totals.total.minor),
            "ready_at": order.readyAt.map(iso) ?? .null, "created_at": iso(order.createdAt), "confirmed_at": order.confirmedAt.map(iso) ?? .null,
            "lines": .array(order.lines.map { line in
                [
                    "item_id": .string(line.itemID), "item": .string(line.itemName), "quantity": .int(line.quantity),
                    "unit_price_minor": .int(line.unitPrice.minor), "total_minor": .int(line.total.minor),
                    "options": .array(line.options.map { ["group": .string($0.group), "id": .string($0.id), "name": .string($0.name), "price_minor": .int($0.priceMinor)] }),
                    "notes": line.notes.map(JSONValue.string) ?? .null,
                ]
            }),
        ]
    }

    static func reservationJSON(_ record: ReservationRecord) -> JSONValue {
        [
            "reservation_number": .string(record.number), "id": .int(Int(record.id)), "agent": .string(record.agentID),
            "call_id": record.callID.map(JSONValue.string) ?? .null, "status": .string(record.status), "name": .string(record.name),
            "phone": record.phone.map(JSONValue.string) ?? .null, "party_size": .int(record.partySize),
            "starts_at": iso(record.startsAt), "ends_at": iso(record.endsAt), "table": record.tableID.map(JSONValue.string) ?? .null,
            "notes": record.notes.map(JSONValue.string) ?? .null, "created_at": iso(record.createdAt),
        ]
    }
}
