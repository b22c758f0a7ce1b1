import PluginAPI

/// Rewrites a tool's JSON Schema into the OpenAPI subset Gemini accepts in `functionDeclarations[].parameters`.
///
/// Gemini answers 400 "Unknown name … Cannot find field" for `$ref`, `$defs`, `additionalProperties`,
/// `const`, `oneOf`, `allOf`, `not`, `exclusiveMinimum` and more, and rejects type lists. So:
/// - `$ref` to `#/$defs/…` or `#/definitions/…` is inlined (a recursive reference becomes a plain object);
/// - `oneOf` becomes `anyOf`; `allOf` is merged into one schema; a `null` branch becomes `nullable`;
/// - a type list such as `["string", "null"]` becomes one type plus `nullable`, or `anyOf`;
/// - `const` becomes a one-value `enum` when it is a string; an `enum` with non-strings is dropped;
/// - `format` is kept only where Gemini knows it (`date-time`/`enum`, `float`/`double`, `int32`/`int64`);
/// - `required` keeps only names that are properties; every other keyword is dropped.
public enum GeminiSchema {
    static let formats: [String: Set<String>] = [
        "STRING": ["date-time", "enum"], "NUMBER": ["float", "double"], "INTEGER": ["int32", "int64"],
    ]

    /// The `parameters` value for `schema`, or `nil` when the tool takes no arguments (Gemini rejects an
    /// object schema with no properties).
    public static func parameters(for schema: JSONValue) -> JSONValue? {
        let sanitized = sanitize(schema)
        guard let properties = sanitized["properties"]?.objectValue, !properties.isEmpty else { return nil }
        return sanitized
    }

    /// `schema` rewritten into Gemini's subset.
    public static func sanitize(_ schema: JSONValue) -> JSONValue {
        var definitions: [String: JSONValue] = [:]
        for key in ["$defs", "definitions"] {
            for (name, value) in schema[key]?.objectValue ?? [:] { definitions["#/\(key)/\(name)"] = value }
        }
        var sanitizer = Sanitizer(definitions: definitions)
        return sanitizer.rewrite(schema)
    }

    private struct Sanitizer {
        let definitions: [String: JSONValue]
        var resolving: [String] = []

        mutating func rewrite(_ schema: JSONValue) -> JSONValue {
            guard var members = schema.objectValue else { return .object([:]) }
            if let reference = members["$ref"]?.stringValue {
                members["$ref"] = nil
                guard let target = definitions[reference], !resolving.contains(reference) else {
                    // Unknown or recursive: keep what the model needs to know, without the reference.
                    var fallback: [String: JSONValue] = ["type": "OBJECT"]
                    if let description = members["description"] { fallback["description"] = description }
                    return .object(fallback)
                }
                resolving.append(reference)
                var resolved = rewrite(target).objectValue ?? [:]
                resolving.removeLast()
                // Keywords written next to the reference (usually a description) win over the target's.
                for (key, value) in rewrite(.object(members)).objectValue ?? [:] where key != "type" || resolved["type"] == nil {
                    resolved[key] = value
                }
                return .object(resolved)
            }
            if let all = members.removeValue(forKey: "allOf")?.arrayValue {
                members = all.reduce(into: members) { merged, part in merge(part, into: &merged) }
            }
            var output: [String: JSONValue] = [:]
            var nullable = members["nullable"]?.boolValue ?? false

            // Types: one value only, upper-case, `null` becomes `nullable`.
            var alternatives: [JSONValue] = []
            switch members["type"] {
            case .string(let type)?:
                if type == "null" { nullable = true } else { output["type"] = .string(type.uppercased()) }
            case .array(let types)?:
                let named = types.compactMap(\.stringValue)
                if named.contains("null") { nullable = true }
                let real = named.filter { $0 != "null" }
                if real.count == 1 {
                    output["type"] = .string(real[0].uppercased())
                } else if real.count > 1 {
                    alternatives = real.map { type in
                        var branch = members
                        branch["type"] = .string(type)
                        return rewrite(.object(branch))
                    }
                }
            default: break
            }
            if !alternatives.isEmpty {
                var union: [String: JSONValue] = ["anyOf": .array(alternatives)]
                if let description = members["description"] { union["description"] = description }
                if nullable { union["nullable"] = true }
                return .object(union)
            }

            // `oneOf` and `anyOf` both become `anyOf`; a `{"type": "null"}` branch becomes `nullable`.
            let branches = (members["anyOf"]?.arrayValue ?? []) + (members["oneOf"]?.arrayValue ?? [])
            if !branches.isEmpty {
                var kept: [JSONValue] = []
                for branch in branches {
                    if branch["type"]?.stringValue == "null" {
                        nullable = true
                    } else {
                        kept.append(rewrite(branch))
                    }
                }
                if kept.count == 1, var only = kept[0].objectValue {
                    if only["description"] == nil, let description = members["description"] { only["description"] = description }
                    if nullable { only["nullable"] = true }
                    return .object(only)
                }
                if !kept.isEmpty { output["anyOf"] = .array(kept) }
            }

            if let constant = members["const"] {
                if case .string = constant { output["enum"] = .array([constant]) }
            }
            if let values = members["enum"]?.arrayValue, !values.isEmpty, values.allSatisfy({ $0.stringValue != nil }) {
                output["enum"] = .array(values)
            }
            if let format = members["format"]?.stringValue, let type = output["type"]?.stringValue,
                formats[type]?.contains(format) == true
            {
                output["format"] = .string(format)
            }
            if let properties = members["properties"]?.objectValue {
                var rewritten: [String: JSONValue] = [:]
                for (name, property) in properties { rewritten[name] = rewrite(property) }
                output["properties"] = .object(rewritten)
                if let required = members["required"]?.arrayValue {
                    let names = required.compactMap(\.stringValue).filter { properties[$0] != nil }
                    if !names.isEmpty { output["required"] = .array(names.map(JSONValue.string)) }
                }
                if output["type"] == nil, output["anyOf"] == nil { output["type"] = "OBJECT" }
            }
            switch members["items"] {
            case .object?: output["items"] = rewrite(members["items"]!)
            case .array(let tuple)? where !tuple.isEmpty: output["items"] = rewrite(tuple[0])
            default:
                if output["type"] == "ARRAY" { output["items"] = ["type": "STRING"] }
            }
            for (key, value) in members where Self.plainKeywords.contains(key) { output[key] = value }
            if nullable { output["nullable"] = true }
            return .object(output)
        }

        /// Keywords copied as they are.
        static let plainKeywords: Set<String> = [
            "title", "description", "minItems", "maxItems", "propertyOrdering", "minimum", "maximum", "minLength",
            "maxLength", "pattern", "minProperties", "maxProperties", "default", "example",
        ]

        /// Folds one `allOf` part into `merged`: properties and `required` are united, other keys fill gaps.
        private func merge(_ part: JSONValue, into merged: inout [String: JSONValue]) {
            var part = part.objectValue ?? [:]
            if let reference = part["$ref"]?.stringValue, let target = definitions[reference]?.objectValue {
                part = target
            }
            for (key, value) in part {
                switch key {
                case "properties":
                    var properties = merged["properties"]?.objectValue ?? [:]
                    for (name, schema) in value.objectValue ?? [:] { properties[name] = schema }
                    merged["properties"] = .object(properties)
                case "required":
                    let names = (merged["required"]?.arrayValue ?? []) + (value.arrayValue ?? [])
                    var seen = Set<JSONValue>()
                    merged["required"] = .array(names.filter { seen.insert($0).inserted })
                default:
                    if merged[key] == nil { merged[key] = value }
                }
            }
        }
    }
}
