/// A compact JSON serialiser with sorted keys and minimal escaping (non-ASCII stays UTF-8).
///
/// Written by hand rather than through `JSONEncoder` because the output must be canonical (keys sorted,
/// integers without a fractional part, no escaped slashes) for idempotency keys, and because it is on the
/// path of every tool result.
enum JSONWriter {
    static func write(_ value: JSONValue, to output: inout String) {
        switch value {
        case .null: output += "null"
        case .bool(let flag): output += flag ? "true" : "false"
        case .int(let number): output += String(number)
        case .double(let number): writeDouble(number, to: &output)
        case .string(let text): writeString(text, to: &output)
        case .array(let elements):
            output += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { output += "," }
                write(element, to: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { output += "," }
                writeString(key, to: &output)
                output += ":"
                write(members[key]!, to: &output)
            }
            output += "}"
        }
    }

    static func writeDouble(_ number: Double, to output: inout String) {
        guard number.isFinite else {
            output += "null"
            return
        }
        if number.rounded() == number, abs(number) < 1e15 {
            output += String(Int(number))
        } else {
            output += "\(number)"
        }
    }

    /// Writes `text` as a JSON string literal.
    static func writeString(_ text: String, to output: inout String) {
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }
}

extension JSONValue {
    /// Appends `text` as a JSON string literal (quotes included) to `output`: for code that writes JSON
    /// by hand on a hot path.
    public static func appendQuoted(_ text: String, to output: inout String) {
        JSONWriter.writeString(text, to: &output)
    }
}
