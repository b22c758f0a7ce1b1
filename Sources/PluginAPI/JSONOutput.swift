/// Writes a JSON text as UTF-8 bytes, for hot paths that send a known shape (LLM request bodies, Retell
/// frames) without building a tree of values first.
///
/// Commas are placed for you: open a container, then give each member a ``key(_:)`` (objects) or an
/// ``element()`` (arrays) before its value.
///
/// ```swift
/// var json = JSONOutput()
/// json.beginObject()
/// json.key("role"); json.string("user")
/// json.key("content"); json.string(text)
/// json.endObject()
/// ```
public struct JSONOutput: Sendable {
    /// The text written so far.
    public private(set) var bytes: [UInt8] = []
    private var atFirstMember = true

    /// An empty output with room for `capacity` bytes.
    public init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    // MARK: Containers

    public mutating func beginObject() {
        bytes.append(UInt8(ascii: "{"))
        atFirstMember = true
    }

    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        atFirstMember = false
    }

    public mutating func beginArray() {
        bytes.append(UInt8(ascii: "["))
        atFirstMember = true
    }

    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        atFirstMember = false
    }

    /// Starts an object member called `name` (a name that needs no escaping).
    public mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    /// Starts an object member whose name is only known at run time.
    public mutating func key(_ name: String) {
        separate()
        appendQuoted(name)
        bytes.append(UInt8(ascii: ":"))
    }

    /// Starts an array element.
    public mutating func element() {
        separate()
    }

    // MARK: Values

    public mutating func string(_ text: String) {
        appendQuoted(text)
        atFirstMember = false
    }

    public mutating func int(_ number: Int) {
        if (0..<10).contains(number) {
            bytes.append(UInt8(ascii: "0") + UInt8(number))
        } else {
            bytes.append(contentsOf: String(number).utf8)
        }
        atFirstMember = false
    }

    /// A number; integral values below 10¹⁵ are written without a fraction, non-finite ones as `null`.
    public mutating func double(_ number: Double) {
        if !number.isFinite {
            raw("null")
        } else if number.rounded() == number, abs(number) < 1e15 {
            int(Int(number))
        } else {
            bytes.append(contentsOf: "\(number)".utf8)
        }
        atFirstMember = false
    }

    public mutating func bool(_ flag: Bool) {
        raw(flag ? "true" : "false")
    }

    public mutating func null() {
        raw("null")
    }

    /// Any value, with object keys sorted (so equal values give equal bytes).
    public mutating func value(_ value: JSONValue) {
        switch value {
        case .null: null()
        case .bool(let flag): bool(flag)
        case .int(let number): int(number)
        case .double(let number): double(number)
        case .string(let text): string(text)
        case .array(let elements):
            beginArray()
            for element in elements {
                self.element()
                self.value(element)
            }
            endArray()
        case .object(let members):
            beginObject()
            for name in members.keys.sorted() {
                key(name)
                self.value(members[name]!)
            }
            endObject()
        }
    }

    /// Literal JSON text written as is (a keyword or an already-encoded value).
    public mutating func raw(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        atFirstMember = false
    }

    /// A value that is already JSON text (written by another `JSONOutput`, say), copied as is.
    public mutating func encoded(_ json: [UInt8]) {
        bytes.append(contentsOf: json)
        atFirstMember = false
    }

    /// The text written so far.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    // MARK: Internals

    private mutating func separate() {
        if atFirstMember {
            atFirstMember = false
        } else {
            bytes.append(UInt8(ascii: ","))
        }
    }

    /// `text` in quotes, escaping only what JSON requires (non-ASCII stays UTF-8); runs that need no
    /// escaping are copied in one piece.
    private mutating func appendQuoted(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            let raw = UnsafeRawBufferPointer(utf8)
            var runStart = 0
            while true {
                let stop = JSONStringScan.firstSpecial(raw, from: runStart)
                if runStart < stop { bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[runStart..<stop])) }
                guard stop < raw.count else { break }
                let byte = raw[stop]
                runStart = stop + 1
                bytes.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                default:
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
                }
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
