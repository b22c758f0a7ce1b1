import Foundation  // memcmp

/// A forward-only reader over the UTF-8 bytes of one JSON text, for hot paths that need a few members of a
/// known shape (Retell's socket frames, LLM stream chunks) without building a tree of values.
///
/// Members are pulled in document order; what the caller does not want is skipped by a byte scan that
/// checks the structure but decodes nothing (Retell's per-word timings, say):
///
/// ```swift
/// var reader = JSONReader(bytes)
/// try reader.enterObject()
/// while let key = try reader.nextKey() {
///     switch key {
///     case "role": role = try reader.readString()
///     case "content": content = try reader.readString()
///     default: try reader.skipValue()
///     }
/// }
/// try reader.expectEnd()
/// ```
///
/// The bytes must stay valid while the reader (and any ``Key`` it returned) is used; keys are compared as
/// raw bytes, so a key written with escape sequences matches nothing. Text is taken as UTF-8; invalid
/// sequences become U+FFFD.
public struct JSONReader {
    private let bytes: UnsafeRawBufferPointer
    /// The byte the reader looks at next.
    public private(set) var offset = 0
    /// Whether the container just entered has produced no member yet (no comma expected).
    private var atFirstMember = false
    /// Nesting allowed in ``readValue()`` and ``skipValue()``.
    public static let maxDepth = 512

    /// A reader at the start of `bytes`.
    public init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// An object member's name, valid as long as the bytes it points into.
    public struct Key: CustomStringConvertible {
        let raw: UnsafeRawBufferPointer

        /// Compares the key's bytes with `name`.
        public static func == (key: Key, name: StaticString) -> Bool {
            key.raw.count == name.utf8CodeUnitCount && (key.raw.isEmpty || memcmp(key.raw.baseAddress!, name.utf8Start, key.raw.count) == 0)
        }

        /// Lets a `switch` over a key use string literals as cases.
        public static func ~= (name: StaticString, key: Key) -> Bool { key == name }

        /// The key as text.
        public var description: String { String(decoding: raw, as: UTF8.self) }
    }

    // MARK: Containers

    /// Consumes `{`.
    public mutating func enterObject() throws(JSONReadError) {
        try expect(UInt8(ascii: "{"), "an object")
        atFirstMember = true
    }

    /// The next member's key (having consumed the `:` after it), or `nil` after consuming the closing `}`.
    /// The caller must then read or skip the member's value.
    public mutating func nextKey() throws(JSONReadError) -> Key? {
        guard try nextMember(closedBy: UInt8(ascii: "}"), container: "object") else { return nil }
        skipWhitespace()
        guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else { throw error("expected a member name") }
        let start = offset + 1
        try skipString()
        let key = Key(raw: UnsafeRawBufferPointer(rebasing: bytes[start..<(offset - 1)]))
        try expect(UInt8(ascii: ":"), "':'")
        return key
    }

    /// Consumes `[`.
    public mutating func enterArray() throws(JSONReadError) {
        try expect(UInt8(ascii: "["), "an array")
        atFirstMember = true
    }

    /// The bytes from the current offset to the end of the text.
    public var remainingBytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: bytes[offset...]) }

    /// Moves on to `newOffset`, past members of the current container that the caller has accounted for
    /// without reading them (bytes it knows to be whole members, equal to members of an earlier text it did
    /// read). Reading goes on as after any member. `newOffset` must not lie before the current offset.
    public mutating func skipMembers(to newOffset: Int) {
        precondition(newOffset >= offset && newOffset <= bytes.count, "skipMembers(to:) moves forward within the text")
        offset = newOffset
        atFirstMember = false
    }

    /// Moves to the next element and returns `true`, or consumes the closing `]` and returns `false`.
    public mutating func nextElement() throws(JSONReadError) -> Bool {
        try nextMember(closedBy: UInt8(ascii: "]"), container: "array")
    }

    /// Consumes the closing byte (`false`) or the comma before a member that is not the first (`true`).
    private mutating func nextMember(closedBy close: UInt8, container: String) throws(JSONReadError) -> Bool {
        skipWhitespace()
        guard offset < bytes.count else { throw error("the \(container) is not closed") }
        if bytes[offset] == close {
            offset += 1
            atFirstMember = false
            return false
        }
        if atFirstMember {
            atFirstMember = false
        } else {
            try expect(UInt8(ascii: ","), close == UInt8(ascii: "}") ? "',' or '}'" : "',' or ']'")
        }
        return true
    }

    // MARK: Scalars

    /// Whether the next value is `null` (consumed if so).
    public mutating func readNull() -> Bool {
        skipWhitespace()
        guard matches("null") else { return false }
        offset += 4
        return true
    }

    /// Reads a string.
    public mutating func readString() throws(JSONReadError) -> String {
        skipWhitespace()
        guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else { throw error("expected a string") }
        let stop = JSONStringScan.firstSpecial(bytes, from: offset + 1)
        guard stop < bytes.count else { throw error("the string is not closed") }
        switch bytes[stop] {
        case UInt8(ascii: "\""):
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[(offset + 1)..<stop]), as: UTF8.self)
            offset = stop + 1
            return text
        case UInt8(ascii: "\\"):
            return try readEscapedString(plainUpTo: stop)
        default:
            throw JSONReadError(offset: stop, reason: "control character in a string")
        }
    }

    /// Reads a string, or `nil` for `null`.
    public mutating func readOptionalString() throws(JSONReadError) -> String? {
        readNull() ? nil : try readString()
    }

    /// Reads an integer (a number with a zero fraction, like `3.0`, counts).
    public mutating func readInt() throws(JSONReadError) -> Int {
        skipWhitespace()
        let start = offset
        guard startsNumber else { throw error("expected an integer") }
        if let integer = try scanNumber() { return integer }
        if let value = Double(text(start..<offset)), value.rounded() == value, abs(value) < 9.0e18 { return Int(value) }
        throw JSONReadError(offset: start, reason: "expected an integer")
    }

    /// Reads a number.
    public mutating func readDouble() throws(JSONReadError) -> Double {
        skipWhitespace()
        let start = offset
        guard startsNumber else { throw error("expected a number") }
        if let integer = try scanNumber() { return Double(integer) }
        guard let value = Double(text(start..<offset)) else { throw JSONReadError(offset: start, reason: "expected a number") }
        return value
    }

    /// Reads `true` or `false`.
    public mutating func readBool() throws(JSONReadError) -> Bool {
        skipWhitespace()
        if matches("true") {
            offset += 4
            return true
        }
        if matches("false") {
            offset += 5
            return false
        }
        throw error("expected true or false")
    }

    // MARK: Whole values

    /// Reads any value into a ``JSONValue`` (for the parts of a hot shape that are free-form).
    public mutating func readValue() throws(JSONReadError) -> JSONValue {
        try readValue(depth: 0)
    }

    /// Skips one value of any kind, checking its structure without decoding it.
    public mutating func skipValue() throws(JSONReadError) {
        try skipValue(depth: 0)
    }

    /// Checks that only whitespace is left.
    public mutating func expectEnd() throws(JSONReadError) {
        skipWhitespace()
        if offset < bytes.count { throw error("unexpected text after the JSON value") }
    }

    // MARK: Internals

    private mutating func readValue(depth: Int) throws(JSONReadError) -> JSONValue {
        switch try firstByteOfValue(depth: depth) {
        case UInt8(ascii: "{"):
            try enterObject()
            var members: [String: JSONValue] = [:]
            while let key = try nextKey() {
                // Decoded again only when it holds escapes; the common case copies the bytes once.
                let name = key.raw.contains(UInt8(ascii: "\\")) ? try unescapedKey(key) : key.description
                members[name] = try readValue(depth: depth + 1)
            }
            return .object(members)
        case UInt8(ascii: "["):
            try enterArray()
            var elements: [JSONValue] = []
            while try nextElement() { elements.append(try readValue(depth: depth + 1)) }
            return .array(elements)
        case UInt8(ascii: "\""):
            return .string(try readString())
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            return .bool(try readBool())
        case UInt8(ascii: "n"):
            if readNull() { return .null }
            throw error("expected a value")
        default:
            let start = offset
            if let integer = try scanNumber() { return .int(integer) }
            guard let value = Double(text(start..<offset)) else { throw JSONReadError(offset: start, reason: "expected a number") }
            return .double(value)
        }
    }

    /// The byte the next value starts with, once the nesting is known to be within ``maxDepth``.
    private mutating func firstByteOfValue(depth: Int) throws(JSONReadError) -> UInt8 {
        guard depth < Self.maxDepth else { throw error("nested deeper than \(Self.maxDepth) levels") }
        skipWhitespace()
        guard offset < bytes.count else { throw error("expected a value") }
        return bytes[offset]
    }

    private mutating func skipValue(depth: Int) throws(JSONReadError) {
        switch try firstByteOfValue(depth: depth) {
        case UInt8(ascii: "{"):
            try enterObject()
            while try nextKey() != nil { try skipValue(depth: depth + 1) }
        case UInt8(ascii: "["):
            try enterArray()
            while try nextElement() { try skipValue(depth: depth + 1) }
        case UInt8(ascii: "\""):
            try skipString()
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            _ = try readBool()
        case UInt8(ascii: "n"):
            if !readNull() { throw error("expected a value") }
        default:
            _ = try scanNumber()
        }
    }

    /// Moves past a string starting at `offset` (the opening quote) without decoding it.
    private mutating func skipString() throws(JSONReadError) {
        var index = offset + 1
        while true {
            index = JSONStringScan.firstSpecial(bytes, from: index)
            guard index < bytes.count else { throw error("the string is not closed") }
            switch bytes[index] {
            case UInt8(ascii: "\""):
                offset = index + 1
                return
            case UInt8(ascii: "\\"):
                index += 2
            default:
                throw JSONReadError(offset: index, reason: "control character in a string")
            }
        }
    }

    /// Scans a number per RFC 8259; returns its value when it is written as an integer that fits `Int`.
    private mutating func scanNumber() throws(JSONReadError) -> Int? {
        let start = offset
        var index = offset
        var negative = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        let digitsStart = index
        var magnitude: UInt64 = 0
        var overflow = false
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
            let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(bytes[index] &- UInt8(ascii: "0")))
            overflow = overflow || o1 || o2
            magnitude = sum
            index += 1
        }
        guard index > digitsStart else { throw JSONReadError(offset: start, reason: "expected a value") }
        if index - digitsStart > 1, bytes[digitsStart] == UInt8(ascii: "0") {
            throw JSONReadError(offset: start, reason: "a number with a leading zero")
        }
        var plain = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            plain = false
            index += 1
            let fraction = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            guard index > fraction else { throw JSONReadError(offset: start, reason: "a number without digits after '.'") }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            plain = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            let exponent = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            guard index > exponent else { throw JSONReadError(offset: start, reason: "a number without exponent digits") }
        }
        offset = index
        guard plain, !overflow else { return nil }
        if negative { return magnitude <= UInt64(Int.max) + 1 ? Int(truncatingIfNeeded: 0 &- magnitude) : nil }
        return magnitude <= UInt64(Int.max) ? Int(magnitude) : nil
    }

    /// Reads a string holding escape sequences; bytes before `plainUpTo` need none.
    private mutating func readEscapedString(plainUpTo firstEscape: Int) throws(JSONReadError) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(firstEscape - offset + 16)
        output.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[(offset + 1)..<firstEscape]))
        var index = firstEscape
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                offset = index + 1
                return String(decoding: output, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard index + 1 < bytes.count else { throw error("the string is not closed") }
                index += 1
                switch bytes[index] {
                case UInt8(ascii: "\""): output.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): output.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "/"): output.append(UInt8(ascii: "/"))
                case UInt8(ascii: "b"): output.append(0x08)
                case UInt8(ascii: "f"): output.append(0x0C)
                case UInt8(ascii: "n"): output.append(0x0A)
                case UInt8(ascii: "r"): output.append(0x0D)
                case UInt8(ascii: "t"): output.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hexQuad(at: index + 1)
                    index += 4
                    if (0xD800..<0xDC00).contains(scalar), index + 6 < bytes.count,
                        bytes[index + 1] == UInt8(ascii: "\\"), bytes[index + 2] == UInt8(ascii: "u")
                    {
                        let low = try hexQuad(at: index + 3)
                        if (0xDC00..<0xE000).contains(low) {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                            index += 6
                        }
                    }
                    let character = Unicode.Scalar(scalar) ?? "\u{FFFD}"  // a lone surrogate
                    output.append(contentsOf: UTF8.encode(character)!)
                default:
                    throw JSONReadError(offset: index - 1, reason: "unknown escape sequence")
                }
                index += 1
            case 0..<0x20:
                throw JSONReadError(offset: index, reason: "control character in a string")
            default:
                output.append(byte)
                index += 1
            }
        }
        throw error("the string is not closed")
    }

    private func hexQuad(at start: Int) throws(JSONReadError) -> UInt32 {
        guard start + 4 <= bytes.count else { throw JSONReadError(offset: start, reason: "a \\u escape needs four hex digits") }
        var value: UInt32 = 0
        for index in start..<(start + 4) {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw JSONReadError(offset: index, reason: "a \\u escape needs four hex digits")
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// A key holding escape sequences, read again as a string.
    private func unescapedKey(_ key: Key) throws(JSONReadError) -> String {
        var copy = self
        copy.offset = (key.raw.baseAddress! - bytes.baseAddress!) - 1
        return try copy.readString()
    }

    private mutating func skipWhitespace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): offset += 1
            default: return
            }
        }
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(JSONReadError) {
        skipWhitespace()
        guard offset < bytes.count, bytes[offset] == byte else { throw error("expected \(what)") }
        offset += 1
    }

    private func matches(_ word: StaticString) -> Bool {
        offset + word.utf8CodeUnitCount <= bytes.count && memcmp(bytes.baseAddress! + offset, word.utf8Start, word.utf8CodeUnitCount) == 0
    }

    private var startsNumber: Bool {
        offset < bytes.count && (bytes[offset] == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[offset]))
    }

    private func text(_ range: Range<Int>) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    private func error(_ reason: String) -> JSONReadError {
        JSONReadError(offset: offset, reason: offset < bytes.count ? reason : reason + " (the text ends early)")
    }
}

/// Why a JSON text could not be read, and where.
public struct JSONReadError: Error, CustomStringConvertible, Sendable {
    /// The byte offset of the problem.
    public var offset: Int
    public var reason: String
    public var description: String { "\(reason) at byte \(offset)" }
}

extension JSONReader {
    /// Runs `body` with a reader over `text`'s UTF-8 bytes.
    public static func read<Result>(_ text: String, _ body: (inout JSONReader) throws -> Result) rethrows -> Result {
        var text = text
        return try text.withUTF8 { utf8 in
            var reader = JSONReader(UnsafeRawBufferPointer(utf8))
            return try body(&reader)
        }
    }
}
