import NIOCore

/// One server-sent event, or one raw JSON document that arrived without a `data:` prefix.
public struct SSEEvent: Sendable, Hashable {
    /// The `data:` payloads joined with `\n` (or the raw JSON text).
    public var data: [UInt8]
    /// The `event:` field, when the server sent one.
    public var event: String?
    /// The `id:` field, when the server sent one.
    public var id: String?
    /// Whether this is raw JSON (no `data:` prefix), as Gemini sends some error objects.
    public var isRawJSON: Bool

    public init(data: [UInt8], event: String? = nil, id: String? = nil, isRawJSON: Bool = false) {
        self.data = data
        self.event = event
        self.id = id
        self.isRawJSON = isRawJSON
    }

    /// The payload as text.
    public var text: String { String(decoding: data, as: UTF8.self) }
}

/// An incremental server-sent-events parser working on bytes, for both Gemini and OpenAI-style streams.
///
/// Feed it network buffers as they arrive: an event may span buffers and a buffer may hold several
/// events. Lines end at `\n` with an optional `\r` before it, so `\r\n\r\n` and `\n\n` framing (and
/// mixtures) all work. Lines starting with `:` are comments; several `data:` lines are joined with `\n`;
/// lines that start a JSON object or array without `data:` are collected until their brackets balance
/// and delivered as one raw-JSON event.
public struct SSEParser: Sendable {
    private var pending: [UInt8] = []
    private var data: [UInt8] = []
    private var hasData = false
    private var event: String?
    private var id: String?
    private var raw: [UInt8] = []
    private var rawScanner = JSONBracketScanner()

    public init() {}

    /// Parses `buffer`, calling `onEvent` for every event it completes.
    public mutating func feed(_ buffer: ByteBuffer, _ onEvent: (SSEEvent) throws -> Void) rethrows {
        try buffer.withUnsafeReadableBytes { bytes in
            try feed(bytes: bytes, onEvent)
        }
    }

    /// Parses `bytes`, calling `onEvent` for every event they complete.
    public mutating func feed(bytes: UnsafeRawBufferPointer, _ onEvent: (SSEEvent) throws -> Void) rethrows {
        var rest = bytes
        if !pending.isEmpty {
            // Complete the line that an earlier buffer started.
            guard let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) else {
                pending.append(contentsOf: bytes)
                return
            }
            pending.append(contentsOf: bytes[..<newline])
            var head = pending
            pending = []
            try head.withUnsafeBytes { try line($0, onEvent) }
            head.removeAll(keepingCapacity: true)
            pending = head
            rest = UnsafeRawBufferPointer(rebasing: bytes[(newline + 1)...])
        }
        var lineStart = 0
        for index in 0..<rest.count where rest[index] == UInt8(ascii: "\n") {
            try line(UnsafeRawBufferPointer(rebasing: rest[lineStart..<index]), onEvent)
            lineStart = index + 1
        }
        if lineStart < rest.count { pending.append(contentsOf: rest[lineStart...]) }
    }

    /// The stream ended: delivers whatever is left as a final event.
    public mutating func finish(_ onEvent: (SSEEvent) throws -> Void) rethrows {
        if !pending.isEmpty {
            let rest = pending
            pending = []
            try rest.withUnsafeBytes { try line($0, onEvent) }
        }
        if !raw.isEmpty {
            let text = raw
            raw = []
            rawScanner = JSONBracketScanner()
            try onEvent(SSEEvent(data: text, isRawJSON: true))
        }
        try dispatch(onEvent)
    }

    private mutating func line(_ bytes: UnsafeRawBufferPointer, _ onEvent: (SSEEvent) throws -> Void) rethrows {
        var line = bytes
        if let last = line.last, last == UInt8(ascii: "\r") { line = UnsafeRawBufferPointer(rebasing: line.dropLast()) }
        if !raw.isEmpty {
            try rawLine(line, onEvent)
            return
        }
        guard let first = line.first else {
            try dispatch(onEvent)
            return
        }
        if first == UInt8(ascii: ":") { return }
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
            try rawLine(line, onEvent)
            return
        }
        let colon = line.firstIndex(of: UInt8(ascii: ":")) ?? line.count
        let name = UnsafeRawBufferPointer(rebasing: line[..<colon])
        var valueStart = Swift.min(colon + 1, line.count)
        if valueStart < line.count, line[valueStart] == UInt8(ascii: " ") { valueStart += 1 }
        let value = UnsafeRawBufferPointer(rebasing: line[valueStart...])
        if name.elementsEqual("data".utf8) {
            if hasData { data.append(UInt8(ascii: "\n")) }
            data.append(contentsOf: value)
            hasData = true
        } else if name.elementsEqual("event".utf8) {
            event = String(decoding: value, as: UTF8.self)
        } else if name.elementsEqual("id".utf8) {
            id = String(decoding: value, as: UTF8.self)
        }
        // `retry:` and unknown fields are legal and ignored.
    }

    private mutating func rawLine(_ line: UnsafeRawBufferPointer, _ onEvent: (SSEEvent) throws -> Void) rethrows {
        if !raw.isEmpty { raw.append(UInt8(ascii: "\n")) }
        raw.append(contentsOf: line)
        if rawScanner.scan(line) {
            let text = raw
            raw = []
            rawScanner = JSONBracketScanner()
            try onEvent(SSEEvent(data: text, isRawJSON: true))
        }
    }

    private mutating func dispatch(_ onEvent: (SSEEvent) throws -> Void) rethrows {
        guard hasData || event != nil else { return }
        var finished = SSEEvent(data: data, event: event, id: id)
        data = []
        hasData = false
        event = nil
        defer {
            // Take the buffer back for the next event: unless the consumer kept the event, no allocation.
            swap(&data, &finished.data)
            data.removeAll(keepingCapacity: true)
        }
        try onEvent(finished)
    }
}

/// Counts `{`/`[` against `}`/`]` outside JSON strings, to find where a raw JSON document ends.
struct JSONBracketScanner: Sendable {
    private var depth = 0
    private var inString = false
    private var escaped = false

    /// Scans more text; `true` once the brackets opened so far are all closed.
    mutating func scan(_ bytes: UnsafeRawBufferPointer) -> Bool {
        for byte in bytes {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            default: break
            }
        }
        return depth <= 0
    }
}
