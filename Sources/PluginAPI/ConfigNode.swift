/// A place in a configuration or data file, 1-based.
public struct SourceLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// A value from a YAML file (agents.yaml or a data file a plugin names), with where it was written.
///
/// Plugins read their configuration through ``ConfigReader``, which turns every mistake into a
/// ``ConfigIssue`` that points at the file, line and key path.
public struct ConfigNode: Sendable, Hashable {
    /// The value itself.
    public indirect enum Value: Sendable, Hashable {
        case null
        case bool(Bool)
        case int(Int)
        case double(Double)
        case string(String)
        case sequence([ConfigNode])
        /// Keys in file order.
        case mapping([(key: String, value: ConfigNode)])

        public static func == (lhs: Value, rhs: Value) -> Bool {
            switch (lhs, rhs) {
            case (.null, .null): return true
            case (.bool(let a), .bool(let b)): return a == b
            case (.int(let a), .int(let b)): return a == b
            case (.double(let a), .double(let b)): return a == b
            case (.string(let a), .string(let b)): return a == b
            case (.sequence(let a), .sequence(let b)): return a == b
            case (.mapping(let a), .mapping(let b)):
                return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
            default: return false
            }
        }

        public func hash(into hasher: inout Hasher) {
            switch self {
            case .null: hasher.combine(0)
            case .bool(let value): hasher.combine(value)
            case .int(let value): hasher.combine(value)
            case .double(let value): hasher.combine(value)
            case .string(let value): hasher.combine(value)
            case .sequence(let value): hasher.combine(value)
            case .mapping(let pairs):
                for pair in pairs {
                    hasher.combine(pair.key)
                    hasher.combine(pair.value)
                }
            }
        }
    }

    public var value: Value
    /// Where the value starts, when it came from a file.
    public var location: SourceLocation?
    /// Where the key that introduced this value was written (for "unknown key" errors).
    public var keyLocation: SourceLocation?
    /// The key path from the file's root, e.g. `["agents", "bella", "skills", "0", "restaurant"]`.
    public var path: [String]
    /// Environment variables the value referred to that are not set (`${VAR}` without a default).
    public var unsetVariables: [String]

    public init(
        _ value: Value, location: SourceLocation? = nil, keyLocation: SourceLocation? = nil, path: [String] = [],
        unsetVariables: [String] = []
    ) {
        self.value = value
        self.location = location
        self.keyLocation = keyLocation
        self.path = path
        self.unsetVariables = unsetVariables
    }

    /// The key path in dotted form (`agents.bella.llm`).
    public var dottedPath: String { path.joined(separator: ".") }

    /// The member for `key` when this is a mapping.
    public subscript(key: String) -> ConfigNode? {
        if case .mapping(let pairs) = value { return pairs.first { $0.key == key }?.value }
        return nil
    }

    /// Every unset environment variable this node or its children use.
    public var allUnsetVariables: [String] {
        var names = unsetVariables
        switch value {
        case .sequence(let nodes): names += nodes.flatMap(\.allUnsetVariables)
        case .mapping(let pairs): names += pairs.flatMap(\.value.allUnsetVariables)
        default: break
        }
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }

    /// A short name for the node's kind, for error messages.
    public var kindName: String {
        switch value {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int: return "an integer"
        case .double: return "a number"
        case .string: return "a string"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }

    /// The value as JSON (mappings become objects, key order is lost).
    public var json: JSONValue {
        switch value {
        case .null: return .null
        case .bool(let value): return .bool(value)
        case .int(let value): return .int(value)
        case .double(let value): return .double(value)
        case .string(let value): return .string(value)
        case .sequence(let nodes): return .array(nodes.map(\.json))
        case .mapping(let pairs):
            return .object(Dictionary(pairs.map { ($0.key, $0.value.json) }, uniquingKeysWith: { $1 }))
        }
    }
}

/// One problem found in a configuration or data file.
public struct ConfigIssue: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Errors stop the server; warnings are printed and the server still starts.
    public enum Severity: String, Sendable, Hashable, Codable { case error, warning }

    public var severity: Severity
    /// Where, when known.
    public var location: SourceLocation?
    /// The dotted key path (`agents.bella.llm`).
    public var keyPath: String
    public var message: String

    public init(_ severity: Severity = .error, at location: SourceLocation?, keyPath: String, _ message: String) {
        self.severity = severity
        self.location = location
        self.keyPath = keyPath
        self.message = message
    }

    /// An issue about `node`.
    public init(_ severity: Severity = .error, node: ConfigNode, _ message: String) {
        self.init(severity, at: node.location, keyPath: node.dottedPath, message)
    }

    /// `file:line:column: key.path: message` (with `warning:` before the message for warnings).
    public var description: String {
        let place = location.map { "\($0): " } ?? ""
        let key = keyPath.isEmpty ? "" : "\(keyPath): "
        let level = severity == .warning ? "warning: " : ""
        return "\(place)\(key)\(level)\(message)"
    }
}

/// A configuration that did not validate: every issue found, not just the first.
public struct ConfigErrors: Error, Sendable, CustomStringConvertible {
    public var issues: [ConfigIssue]

    public init(_ issues: [ConfigIssue]) { self.issues = issues }

    public var description: String { issues.map(\.description).joined(separator: "\n") }
}

/// Reads YAML data files into located ``ConfigNode``s; the host provides it (find it with
/// ``HostServices/require(_:)``), so plugins need no YAML library and report errors the same way.
public protocol DataFileLoading: Sendable {
    /// Loads a YAML file; a relative `path` resolves against the folder of agents.yaml.
    func load(_ path: String) throws(ConfigErrors) -> ConfigNode
    /// The absolute form of `path` (relative paths resolve against the folder of agents.yaml).
    func resolve(_ path: String) -> String
}
