/// Money in integer minor units (cents) with the arithmetic the restaurant needs.
///
/// Rounding: every division rounds half up (away from zero for the non-negative amounts used here),
/// once per order, never per line. Tax on tax-exclusive prices is `round(subtotal × rate)`; on
/// tax-inclusive prices (German menus) the tax contained is `subtotal − round(subtotal ÷ (1 + rate))`.
public struct Money: Sendable, Hashable, Comparable {
    /// The amount in minor units (cents).
    public var minor: Int

    public init(minor: Int) { self.minor = minor }

    public static let zero = Money(minor: 0)

    public static func + (lhs: Money, rhs: Money) -> Money { Money(minor: lhs.minor + rhs.minor) }
    public static func - (lhs: Money, rhs: Money) -> Money { Money(minor: lhs.minor - rhs.minor) }
    public static func * (lhs: Money, rhs: Int) -> Money { Money(minor: lhs.minor * rhs) }
    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.minor < rhs.minor }

    /// Parses a decimal amount with at most two decimals (`"16"`, `"3.5"`, `"+3.00"`, `"-1.25"`).
    public static func parse(_ text: String) -> Money? {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        var sign = 1
        if rest.first == "+" { rest = rest.dropFirst() } else if rest.first == "-" { sign = -1; rest = rest.dropFirst() }
        let parts = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].allSatisfy(\.isASCII), let whole = Int(parts[0]), whole >= 0 else {
            return nil
        }
        var cents = 0
        if parts.count == 2 {
            let fraction = parts[1]
            guard (1...2).contains(fraction.count), fraction.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(fraction) else {
                return nil
            }
            cents = fraction.count == 1 ? value * 10 : value
        }
        return Money(minor: sign * (whole * 100 + cents))
    }
}

/// A tax rate in millionths (8.625 % = 86 250), so that rates with up to four decimals stay exact.
public struct TaxRate: Sendable, Hashable {
    public var millionths: Int
    /// Whether menu prices already contain the tax (usual in Germany) or it is added on top (usual in the US).
    public var included: Bool

    public init(millionths: Int, included: Bool) {
        self.millionths = millionths
        self.included = included
    }

    /// Parses a percentage with at most four decimals (`"8.625"` → 86 250).
    public static func parsePercent(_ text: String) -> Int? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = Int(parts[0]), whole >= 0 else { return nil }
        var fraction = 0
        if parts.count == 2 {
            let digits = parts[1]
            guard (1...4).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(digits) else { return nil }
            fraction = value
            for _ in digits.count..<4 { fraction *= 10 }
        }
        return whole * 10_000 + fraction
    }

    /// The tax on `subtotal`: added on top when prices exclude it, contained in it when they include it.
    public func tax(on subtotal: Money) -> Money {
        guard subtotal.minor > 0, millionths > 0 else { return .zero }
        if included {
            let divisor = 1_000_000 + millionths
            let net = (subtotal.minor * 1_000_000 + divisor / 2) / divisor
            return Money(minor: subtotal.minor - net)
        }
        return Money(minor: (subtotal.minor * millionths + 500_000) / 1_000_000)
    }

    /// `8.625%` / `7%`.
    public var percentText: String {
        let whole = millionths / 10_000
        var fraction = String(millionths % 10_000)
        while fraction.count < 4 { fraction = "0" + fraction }
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return fraction.isEmpty ? "\(whole)%" : "\(whole).\(fraction)%"
    }
}

/// Formats amounts the way the agent's language says them: `$16.50` (en) or `16,50 €` (de).
public struct MoneyFormat: Sendable, Hashable {
    /// ISO 4217 code (`USD`, `EUR`).
    public var currency: String
    /// Whether to write the German way (comma decimals, symbol after).
    public var german: Bool

    public init(currency: String, language: String) {
        self.currency = currency
        self.german = language.lowercased().hasPrefix("de")
    }

    public var symbol: String {
        switch currency {
        case "USD", "CAD", "AUD": return "$"
        case "EUR": return "€"
        case "GBP": return "£"
        case "CHF": return "CHF"
        default: return currency
        }
    }

    /// The amount as text.
    public func format(_ money: Money) -> String {
        let negative = money.minor < 0
        let absolute = abs(money.minor)
        let cents = absolute % 100
        let number = "\(absolute / 100)" + (german ? "," : ".") + (cents < 10 ? "0" : "") + "\(cents)"
        let sign = negative ? "-" : ""
        return german ? "\(sign)\(number) \(symbol)" : "\(sign)\(symbol)\(number)"
    }
}
