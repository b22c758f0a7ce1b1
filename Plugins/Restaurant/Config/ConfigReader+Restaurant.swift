import PluginAPI

extension ConfigReader {
    /// An amount of money (`16`, `3.5`, `"+3.00"`) in minor units, at most two decimals.
    mutating func money(_ key: String, default fallback: Money?) -> Money? {
        guard let member = node(key), member.value != .null else {
            if fallback == nil { report("missing required key '\(key)'") }
            return fallback
        }
        let text: String?
        switch member.value {
        case .int(let value): text = String(value)
        case .double(let value): text = String(value)
        case .string(let value): text = value
        default: text = nil
        }
        guard let text, let money = Money.parse(text) else {
            report("expected an amount such as 12.50 (at most two decimals), got \(member.kindName)", at: member)
            return fallback
        }
        return money
    }

    /// The items of a list member (empty when absent); reports anything that is not a list.
    mutating func list(_ key: String) -> [ConfigNode] {
        guard let member = node(key), member.value != .null else { return [] }
        guard case .sequence(let items) = member.value else {
            report("expected a list, got \(member.kindName)", at: member)
            return []
        }
        return items
    }

    /// A required identifier: letters, digits, `-` and `_`.
    mutating func identifier(_ key: String) -> String? {
        guard let text = string(key) else { return nil }
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            report("ids may use letters, digits, '-' and '_' only, got '\(text)'", at: node[key])
            return nil
        }
        return text
    }
}
