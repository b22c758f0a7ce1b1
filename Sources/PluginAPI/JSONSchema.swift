/// A JSON Schema (draft 2020-12 subset) describing a tool's arguments.
///
/// The schema is kept as its JSON form, so anything a provider or an integrator writes survives
/// unchanged; the builders below cover what tool authors need, and ``validate(_:)`` checks the keywords
/// that matter for tool arguments: `type` (also a list of types), `properties`, `required`,
/// `additionalProperties: false`, `enum`, `const`, `items`, `minimum`/`maximum`, `minLength`/`maxLength`,
/// `minItems`/`maxItems` and `anyOf`/`oneOf`. Other keywords are carried but not checked.
public struct JSONSchema: Sendable, Hashable, Codable {
    /// The schema document.
    public var json: JSONValue

    /// Wraps a schema document as is.
    public init(_ json: JSONValue) { self.json = json }

    public init(from decoder: any Decoder) throws { json = try JSONValue(from: decoder) }
    public func encode(to encoder: any Encoder) throws { try json.encode(to: encoder) }
}

extension JSONSchema {
    /// One named property of an object schema.
    public struct Property: Sendable {
        public var name: String
        public var schema: JSONSchema
        public var isRequired: Bool

        /// A property; `required` properties are listed in the object's `required`.
        public init(_ name: String, _ schema: JSONSchema, required: Bool = false) {
            self.name = name
            self.schema = schema
            self.isRequired = required
        }
    }

    /// An object with the given properties; unknown properties are rejected unless `additionalProperties`.
    public static func object(
        _ properties: [Property], description: String? = nil, additionalProperties: Bool = false
    ) -> JSONSchema {
        var members: [String: JSONValue] = [
            "type": "object",
            "properties": .object(Dictionary(properties.map { ($0.name, $0.schema.json) }, uniquingKeysWith: { $1 })),
            "additionalProperties": .bool(additionalProperties),
        ]
        let required = properties.filter(\.isRequired).map { JSONValue.string($0.name) }
        if !required.isEmpty { members["required"] = .array(required) }
        if let description { members["description"] = .string(description) }
        return JSONSchema(.object(members))
    }

    /// A string, optionally limited to `allowed` values or described by a `format` (e.g. `date`).
    public static func string(
        _ description: String? = nil, enum allowed: [String]? = nil, format: String? = nil,
        minLength: Int? = nil, maxLength: Int? = nil
    ) -> JSONSchema {
        var members: [String: JSONValue] = ["type": "string"]
        if let description { members["description"] = .string(description) }
        if let allowed { members["enum"] = .array(allowed.map(JSONValue.string)) }
        if let format { members["format"] = .string(format) }
        if let minLength { members["minLength"] = .int(minLength) }
        if let maxLength { members["maxLength"] = .int(maxLength) }
        return JSONSchema(.object(members))
    }

    /// An integer within optional bounds.
    public static func integer(_ description: String? = nil, minimum: Int? = nil, maximum: Int? = nil) -> JSONSchema {
        var members: [String: JSONValue] = ["type": "integer"]
        if let description { members["description"] = .string(description) }
        if let minimum { members["minimum"] = .int(minimum) }
        if let maximum { members["maximum"] = .int(maximum) }
        return JSONSchema(.object(members))
    }

    /// A number within optional bounds.
    public static func number(_ description: String? = nil, minimum: Double? = nil, maximum: Double? = nil) -> JSONSchema {
        var members: [String: JSONValue] = ["type": "number"]
        if let description { members["description"] = .string(description) }
        if let minimum { members["minimum"] = .double(minimum) }
        if let maximum { members["maximum"] = .double(maximum) }
        return JSONSchema(.object(members))
    }

    /// A boolean.
    public static func boolean(_ description: String? = nil) -> JSONSchema {
        var members: [String: JSONValue] = ["type": "boolean"]
        if let description { members["description"] = .string(description) }
        return JSONSchema(.object(members))
    }

    /// An array whose elements match `items`.
    public static func array(
        of items: JSONSchema, _ description: String? = nil, minItems: Int? = nil, maxItems: Int? = nil
    ) -> JSONSchema {
        var members: [String: JSONValue] = ["type": "array", "items": items.json]
        if let description { members["description"] = .string(description) }
        if let minItems { members["minItems"] = .int(minItems) }
        if let maxItems { members["maxItems"] = .int(maxItems) }
        return JSONSchema(.object(members))
    }

    /// An object that takes no arguments.
    public static let empty = JSONSchema.object([])
}

/// One way an instance fails its schema, located by a JSON pointer-like path (`/items/0/quantity`).
public struct SchemaViolation: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Where in the instance (`""` for the root).
    public var path: String
    /// What is wrong, in words.
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

extension JSONSchema {
    /// Every way `instance` fails this schema (empty when it is valid).
    public func validate(_ instance: JSONValue) -> [SchemaViolation] {
        var violations: [SchemaViolation] = []
        Self.check(instance, against: json, at: "", into: &violations)
        return violations
    }

    private static func check(
        _ instance: JSONValue, against schema: JSONValue, at path: String, into violations: inout [SchemaViolation]
    ) {
        guard case .object(let keywords) = schema else { return }  // `true`/`{}` accept anything.
        if let type = keywords["type"], !matches(instance, type: type) {
            let expected = type.arrayValue?.compactMap(\.stringValue).joined(separator: " or ") ?? type.stringValue ?? "?"
            violations.append(SchemaViolation(path: path, message: "expected \(expected), got \(instance.typeName)"))
            return
        }
        if let allowed = keywords["enum"]?.arrayValue, !allowed.contains(where: { equalAsJSON($0, instance) }) {
            let list = allowed.map(\.canonicalJSON).joined(separator: ", ")
            violations.append(SchemaViolation(path: path, message: "must be one of \(list)"))
        }
        if let constant = keywords["const"], !equalAsJSON(constant, instance) {
            violations.append(SchemaViolation(path: path, message: "must be \(constant.canonicalJSON)"))
        }
        checkAlternatives(instance, keywords, at: path, into: &violations)
        switch instance {
        case .object(let members): checkObject(members, keywords, at: path, into: &violations)
        case .array(let elements): checkArray(elements, keywords, at: path, into: &violations)
        case .string(let text): checkString(text, keywords, at: path, into: &violations)
        case .int, .double: checkNumber(instance.doubleValue ?? 0, keywords, at: path, into: &violations)
        default: break
        }
    }

    private static func checkAlternatives(
        _ instance: JSONValue, _ keywords: [String: JSONValue], at path: String,
        into violations: inout [SchemaViolation]
    ) {
        for keyword in ["anyOf", "oneOf"] {
            guard let options = keywords[keyword]?.arrayValue, !options.isEmpty else { continue }
            let passing = options.filter { option in
                var scratch: [SchemaViolation] = []
                check(instance, against: option, at: path, into: &scratch)
                return scratch.isEmpty
            }.count
            if passing == 0 || (keyword == "oneOf" && passing > 1) {
                violations.append(SchemaViolation(path: path, message: "must match \(keyword == "oneOf" ? "exactly one" : "at least one") of \(options.count) alternatives"))
            }
        }
    }

    private static func checkObject(
        _ members: [String: JSONValue], _ keywords: [String: JSONValue], at path: String,
        into violations: inout [SchemaViolation]
    ) {
        let properties = keywords["properties"]?.objectValue ?? [:]
        for name in keywords["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where members[name] == nil {
            violations.append(SchemaViolation(path: path + "/" + name, message: "is required"))
        }
        for name in members.keys.sorted() {
            let value = members[name]!
            if let property = properties[name] {
                check(value, against: property, at: path + "/" + name, into: &violations)
            } else if let extra = keywords["additionalProperties"] {
                if extra == .bool(false) {
                    violations.append(SchemaViolation(path: path + "/" + name, message: "is not an allowed property"))
                } else {
                    check(value, against: extra, at: path + "/" + name, into: &violations)
                }
            }
        }
    }

    private static func checkArray(
        _ elements: [JSONValue], _ keywords: [String: JSONValue], at path: String,
        into violations: inout [SchemaViolation]
    ) {
        if let minimum = keywords["minItems"]?.intValue, elements.count < minimum {
            violations.append(SchemaViolation(path: path, message: "must have at least \(minimum) items"))
        }
        if let maximum = keywords["maxItems"]?.intValue, elements.count > maximum {
            violations.append(SchemaViolation(path: path, message: "must have at most \(maximum) items"))
        }
        if let items = keywords["items"] {
            for (index, element) in elements.enumerated() {
                check(element, against: items, at: path + "/" + String(index), into: &violations)
            }
        }
    }

    private static func checkString(
        _ text: String, _ keywords: [String: JSONValue], at path: String, into violations: inout [SchemaViolation]
    ) {
        if let minimum = keywords["minLength"]?.intValue, text.count < minimum {
            violations.append(SchemaViolation(path: path, message: "must be at least \(minimum) characters"))
        }
        if let maximum = keywords["maxLength"]?.intValue, text.count > maximum {
            violations.append(SchemaViolation(path: path, message: "must be at most \(maximum) characters"))
        }
    }

    private static func checkNumber(
        _ number: Double, _ keywords: [String: JSONValue], at path: String, into violations: inout [SchemaViolation]
    ) {
        if let minimum = keywords["minimum"]?.doubleValue, number < minimum {
            violations.append(SchemaViolation(path: path, message: "must be ≥ \(JSONValue.double(minimum))"))
        }
        if let maximum = keywords["maximum"]?.doubleValue, number > maximum {
            violations.append(SchemaViolation(path: path, message: "must be ≤ \(JSONValue.double(maximum))"))
        }
    }

    private static func matches(_ instance: JSONValue, type: JSONValue) -> Bool {
        if let names = type.arrayValue { return names.contains { matches(instance, type: $0) } }
        switch (type.stringValue, instance) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("null", .null),
            ("number", .int), ("number", .double), ("integer", .int):
            return true
        case ("integer", .double(let number)):
            return number.rounded() == number
        default:
            return false
        }
    }

    /// JSON equality, where `1` and `1.0` are the same number.
    private static func equalAsJSON(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        if let left = lhs.doubleValue, let right = rhs.doubleValue { return left == right }
        return lhs == rhs
    }
}
