import Foundation
import PluginAPI

/// An option chosen for an order line, with its price at the time it was added.
public struct ChosenOption: Sendable, Hashable, Codable {
    public var group: String
    public var id: String
    public var name: String
    public var priceMinor: Int

    public init(group: String, id: String, name: String, priceMinor: Int) {
        self.group = group
        self.id = id
        self.name = name
        self.priceMinor = priceMinor
    }

    enum CodingKeys: String, CodingKey {
        case group, id, name
        case priceMinor = "price_minor"
    }
}

/// One line of an order: an item, how many, its options and notes.
public struct OrderLine: Sendable, Hashable {
    public var id: Int64
    public var itemID: String
    public var itemName: String
    public var quantity: Int
    /// Base price plus options, for one.
    public var unitPrice: Money
    public var options: [ChosenOption]
    public var notes: String?
    public var prepMinutes: Int

    public var total: Money { unitPrice * quantity }

    /// "Large Pepperoni Pizza" style description: options first when there are any.
    public var label: String {
        options.isEmpty ? itemName : itemName + " (" + options.map(\.name).joined(separator: ", ") + ")"
    }
}

/// What an order comes to. See ``Money`` for the rounding rules.
public struct OrderTotals: Sendable, Hashable {
    public var subtotal: Money
    /// The tax: added to the total when prices exclude it, only reported when they include it.
    public var tax: Money
    public var taxIncluded: Bool
    public var deliveryFee: Money
    public var total: Money

    /// Totals for `lines`, with the delivery fee when `delivery` is true.
    public static func of(_ lines: [OrderLine], tax rate: TaxRate, deliveryFee: Money?) -> OrderTotals {
        let subtotal = lines.reduce(Money.zero) { $0 + $1.total }
        let tax = rate.tax(on: subtotal)
        let fee = deliveryFee ?? .zero
        let total = subtotal + (rate.included ? .zero : tax) + fee
        return OrderTotals(subtotal: subtotal, tax: tax, taxIncluded: rate.included, deliveryFee: fee, total: total)
    }
}

/// A stored order.
public struct OrderRecord: Sendable {
    public var id: Int64
    public var agentID: String
    public var callID: String
    public var status: String
    public var customerName: String?
    public var customerPhone: String?
    public var fulfilment: String?
    public var address: String?
    public var postcode: String?
    public var currency: String
    public var totals: OrderTotals
    public var readyAt: Date?
    public var createdAt: Date
    public var confirmedAt: Date?
    public var lines: [OrderLine]

    /// The number a caller is told: short and speakable.
    public var number: String { Self.number(forID: id) }

    /// The spoken order number of the row `id`.
    public static func number(forID id: Int64) -> String { String(1000 + id) }
}
