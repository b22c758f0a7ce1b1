import Foundation
import PluginAPI
import Yams

/// Reads YAML into located ``ConfigNode``s, expanding `${VAR}` and `${VAR:-default}` from the
/// environment in scalar values.
///
/// A `${VAR}` whose variable is not set becomes the empty string and is recorded on the node
/// (``ConfigNode/unsetVariables``), so the host can degrade what needs it instead of refusing to start.
public struct YAMLLoader: Sendable {
    /// The environment variables used for interpolation.
    public var environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// Parses `text` (the contents of `file`, used in locations).
    public func parse(_ text: String, file: String) throws(ConfigErrors) -> ConfigNode {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigErrors([Self.issue(for: error, file: file)])
        } catch {
            throw ConfigErrors([ConfigIssue(at: SourceLocation(file: file, line: 1, column: 1), keyPath: "", "\(error)")])
        }
        guard let root else { return ConfigNode(.mapping([]), location: SourceLocation(file: file, line: 1, column: 1)) }
        var issues: [ConfigIssue] = []
        let node = convert(root, file: file, path: [], issues: &issues)
        if !issues.isEmpty { throw ConfigErrors(issues) }
        return node
    }

    /// Reads and parses the file at `path`.
    public func load(file path: String) throws(ConfigErrors) -> ConfigNode {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigErrors([ConfigIssue(at: nil, keyPath: "", "cannot read \(path): no such file or not readable")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigErrors([ConfigIssue(at: SourceLocation(file: path, line: 1, column: 1), keyPath: "", "not UTF-8 text")])
        }
        return try parse(text, file: path)
    }

    private func convert(_ node: Node, file: String, path: [String], issues: inout [ConfigIssue]) -> ConfigNode {
        let location = node.mark.map { SourceLocation(file: file, line: $0.line, column: $0.column) }
        switch node {
        case .scalar(let scalar):
            return convertScalar(scalar, location: location, path: path, issues: &issues)
        case .sequence(let sequence):
            let items = sequence.enumerated().map { index, item in
                convert(item, file: file, path: path + [String(index)], issues: &issues)
            }
            return ConfigNode(.sequence(items), location: location, path: path)
        case .mapping(let mapping):
            var pairs: [(key: String, value: ConfigNode)] = []
            for (keyNode, valueNode) in mapping {
                let key = keyNode.string ?? ""
                let keyLocation = keyNode.mark.map { SourceLocation(file: file, line: $0.line, column: $0.column) }
                if pairs.contains(where: { $0.key == key }) {
                    issues.append(ConfigIssue(at: keyLocation, keyPath: (path + [key]).joined(separator: "."), "duplicate key"))
                    continue
                }
                var value = convert(valueNode, file: file, path: path + [key], issues: &issues)
                value.keyLocation = keyLocation
                pairs.append((key, value))
            }
            return ConfigNode(.mapping(pairs), location: location, path: path)
        case .alias:
            issues.append(ConfigIssue(at: location, keyPath: path.joined(separator: "."), "YAML aliases are not supported here"))
            return ConfigNode(.null, location: location, path: path)
        }
    }

    private func convertScalar(
        _ scalar: Node.Scalar, location: SourceLocation?, path: [String], issues: inout [ConfigIssue]
    ) -> ConfigNode {
        let (text, unset) = interpolate(scalar.string, location: location, path: path, issues: &issues)
        if scalar.string.isEmpty, scalar.style == .plain || scalar.style == .any {
            return ConfigNode(.null, location: location, path: path)
        }
        guard scalar.style == .plain || scalar.style == .any else {
            return ConfigNode(.string(text), location: location, path: path, unsetVariables: unset)
        }
        return ConfigNode(Self.resolvePlain(text), location: location, path: path, unsetVariables: unset)
    }

    /// Types an unquoted scalar as YAML 1.2's core schema does.
    static func resolvePlain(_ text: String) -> ConfigNode.Value {
        switch text {
        case "": return .string("")
        case "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        default: break
        }
        if let number = Int(text) { return .int(number) }
        if text.first.map({ $0.isNumber || $0 == "-" || $0 == "+" || $0 == "." }) == true, let number = Double(text),
            number.isFinite
        {
            return .double(number)
        }
        return .string(text)
    }

    /// Expands `${VAR}` and `${VAR:-default}`; `$$` is a literal `$`.
    func interpolate(
        _ text: String, location: SourceLocation?, path: [String], issues: inout [ConfigIssue]
    ) -> (String, [String]) {
        guard text.contains("$") else { return (text, []) }
        var output = ""
        var unset: [String] = []
        var rest = Substring(text)
        while let dollar = rest.firstIndex(of: "$") {
            output += rest[..<dollar]
            let after = rest[rest.index(after: dollar)...]
            if after.first == "$" {
                output += "$"
                rest = after.dropFirst()
                continue
            }
            guard after.first == "{", let close = after.firstIndex(of: "}") else {
                output += "$"
                rest = after
                continue
            }
            let expression = after[after.index(after: after.startIndex)..<close]
            let name: Substring
            let fallback: Substring?
            if let marker = expression.range(of: ":-") {
                name = expression[..<marker.lowerBound]
                fallback = expression[marker.upperBound...]
            } else {
                name = expression
                fallback = nil
            }
            if name.isEmpty || !name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
                issues.append(ConfigIssue(at: location, keyPath: path.joined(separator: "."), "malformed variable reference '${\(expression)}'"))
            } else if let value = environment[String(name)], !value.isEmpty || fallback == nil {
                output += value
            } else if let fallback {
                output += fallback
            } else {
                unset.append(String(name))
            }
            rest = after[after.index(after: close)...]
        }
        output += rest
        return (output, unset)
    }

    private static func issue(for error: YamlError, file: String) -> ConfigIssue {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = context.map { "\(problem) (\($0.text))" } ?? problem
            return ConfigIssue(at: SourceLocation(file: file, line: mark.line, column: mark.column), keyPath: "", "YAML syntax: \(detail)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ConfigIssue(at: SourceLocation(file: file, line: context.mark.line, column: context.mark.column), keyPath: "",
                               "duplicate keys: \(duplicates.joined(separator: ", "))")
        default:
            return ConfigIssue(at: SourceLocation(file: file, line: 1, column: 1), keyPath: "", "YAML: \(error)")
        }
    }
}

/// The host's ``DataFileLoading``: YAML files relative to the folder of agents.yaml.
public struct DataFileLoader: DataFileLoading {
    /// The folder relative paths resolve against.
    public var baseDirectory: String
    public var yaml: YAMLLoader

    public init(baseDirectory: String, yaml: YAMLLoader) {
        self.baseDirectory = baseDirectory
        self.yaml = yaml
    }

    public func resolve(_ path: String) -> String {
        path.hasPrefix("/") ? path : URL(fileURLWithPath: baseDirectory).appendingPathComponent(path).standardizedFileURL.path
    }

    public func load(_ path: String) throws(ConfigErrors) -> ConfigNode {
        try yaml.load(file: resolve(path))
    }
}
