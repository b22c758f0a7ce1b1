import Foundation

/// Reads a mapping from a configuration file and collects every problem instead of stopping at the first.
///
/// ```swift
/// var reader = ConfigReader(node)
/// let menu = reader.string("menu")                 // required
/// let timezone = reader.string("timezone", default: "UTC")
/// let seats = reader.int("max_party_size", default: 8, in: 1...100)
/// reader.finish()                                  // unknown keys, with "did you mean"
/// if !reader.issues.isEmpty { throw ConfigErrors(reader.issues) }
/// ```
public struct ConfigReader: Sendable {
    /// The node being read.
    public let node: ConfigNode
    /// Everything wrong so far.
    public private(set) var issues: [ConfigIssue] = []
    private var knownKeys: [String] = []

    /// Starts reading `node`, which must be a mapping (an empty mapping when it is null).
    public init(_ node: ConfigNode) {
        if case .null = node.value {
            self.node = ConfigNode(.mapping([]), location: node.location, path: node.path)
        } else {
            self.node = node
            if case .mapping = node.value {} else {
                issues.append(ConfigIssue(node: node, "expected a mapping, got \(node.kindName)"))
            }
        }
    }

    /// Records a problem about `node` (or about the mapping itself).
    public mutating func report(_ message: String, at node: ConfigNode? = nil, severity: ConfigIssue.Severity = .error) {
        issues.append(ConfigIssue(severity, node: node ?? self.node, message))
    }

    /// Adds issues found elsewhere (e.g. by a nested reader).
    public mutating func absorb(_ more: [ConfigIssue]) { issues += more }

    /// The raw member for `key`, marking the key as known.
    public mutating func node(_ key: String) -> ConfigNode? {
        knownKeys.append(key)
        return node[key]
    }

    /// Marks keys as known without reading them.
    public mutating func allow(_ keys: String...) { knownKeys += keys }

    /// A required string.
    public mutating func string(_ key: String) -> String? {
        guard let member = node(key) else {
            report("missing required key '\(key)'")
            return nil
        }
        return stringValue(member)
    }

    /// An optional string, `fallback` when absent.
    public mutating func string(_ key: String, default fallback: String?) -> String? {
        guard let member = node(key), member.value != .null else { return fallback }
        return stringValue(member)
    }

    /// An optional string that must be one of `allowed`.
    public mutating func choice(_ key: String, _ allowed: [String], default fallback: String) -> String {
        guard let member = node(key), member.value != .null else { return fallback }
        guard let text = stringValue(member) else { return fallback }
        guard allowed.contains(text) else {
            report("must be one of \(allowed.joined(separator: ", ")), got '\(text)'" + Self.suggestion(for: text, among: allowed), at: member)
            return fallback
        }
        return text
    }

    /// An optional integer within `range`.
    public mutating func int(_ key: String, default fallback: Int?, in range: ClosedRange<Int>? = nil) -> Int? {
        guard let member = node(key), member.value != .null else { return fallback }
        let number: Int?
        switch member.value {
        case .int(let value): number = value
        case .string(let text) where Int(text) != nil: number = Int(text)
        default: number = nil
        }
        guard let number else {
            report("expected an integer, got \(member.kindName)", at: member)
            return fallback
        }
        if let range, !range.contains(number) {
            report("must be between \(range.lowerBound) and \(range.upperBound), got \(number)", at: member)
            return fallback
        }
        return number
    }

    /// An optional number within `range`.
    public mutating func double(_ key: String, default fallback: Double?, in range: ClosedRange<Double>? = nil) -> Double? {
        guard let member = node(key), member.value != .null else { return fallback }
        let number: Double?
        switch member.value {
        case .int(let value): number = Double(value)
        case .double(let value): number = value
        case .string(let text): number = Double(text)
        default: number = nil
        }
        guard let number else {
            report("expected a number, got \(member.kindName)", at: member)
            return fallback
        }
        if let range, !range.contains(number) {
            report("must be between \(range.lowerBound) and \(range.upperBound), got \(number)", at: member)
            return fallback
        }
        return number
    }

    /// An optional boolean.
    public mutating func bool(_ key: String, default fallback: Bool) -> Bool {
        guard let member = node(key), member.value != .null else { return fallback }
        switch member.value {
        case .bool(let value): return value
        case .string(let text) where ["true", "false"].contains(text.lowercased()): return text.lowercased() == "true"
        default:
            report("expected true or false, got \(member.kindName)", at: member)
            return fallback
        }
    }

    /// An optional list of strings (a single string counts as a list of one).
    public mutating func strings(_ key: String) -> [String] {
        guard let member = node(key), member.value != .null else { return [] }
        switch member.value {
        case .string(let text): return [text]
        case .sequence(let items): return items.compactMap { stringValue($0) }
        default:
            report("expected a list of strings, got \(member.kindName)", at: member)
            return []
        }
    }

    /// An optional duration in seconds: a number (`8`, `1.5`) or a string with a unit (`"800ms"`, `"8s"`, `"2m"`).
    public mutating func duration(_ key: String, default fallback: Duration) -> Duration {
        guard let member = node(key), member.value != .null else { return fallback }
        switch member.value {
        case .int(let seconds): return .seconds(seconds)
        case .double(let seconds): return .milliseconds(Int((seconds * 1000).rounded()))
        case .string(let text):
            if let parsed = Self.parseDuration(text) { return parsed }
        default: break
        }
        report("expected a duration such as 8s, 800ms or 2m, got \(member.kindName == "a string" ? "'\(member.json.stringValue ?? "")'" : member.kindName)", at: member)
        return fallback
    }

    /// Reports every key of the mapping that was never asked for, with a suggestion when one is close.
    public mutating func finish() {
        guard case .mapping(let pairs) = node.value else { return }
        for (key, member) in pairs where !knownKeys.contains(key) {
            issues.append(ConfigIssue(at: member.keyLocation ?? member.location, keyPath: (node.path + [key]).joined(separator: "."),
                                      "unknown key" + Self.suggestion(for: key, among: knownKeys)))
        }
    }

    private mutating func stringValue(_ member: ConfigNode) -> String? {
        switch member.value {
        case .string(let text): return text
        case .int(let number): return String(number)
        case .double(let number): return String(number)
        default:
            report("expected a string, got \(member.kindName)", at: member)
            return nil
        }
    }

    /// `" (did you mean 'x'?)"` when a candidate is within a small edit distance of `word`, else `""`.
    public static func suggestion(for word: String, among candidates: [String]) -> String {
        let scored = candidates.map { ($0, TextDistance.levenshtein(word.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, word.count / 3) else { return "" }
        return " (did you mean '\(best.0)'?)"
    }

    /// Parses `"800ms"`, `"8s"`, `"2m"`, `"1h"` or a bare number of seconds.
    public static func parseDuration(_ text: String) -> Duration? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, scale) in units where trimmed.hasSuffix(suffix) {
            let number = trimmed.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)
            if let value = Double(number), value >= 0 { return .milliseconds(Int((value * scale * 1000).rounded())) }
        }
        if let value = Double(trimmed), value >= 0 { return .milliseconds(Int((value * 1000).rounded())) }
        return nil
    }
}

