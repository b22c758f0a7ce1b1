import Foundation

/// A Retell stand-in that only pings, over a blocking socket on a thread of its own: the echo it measures is
/// the server's, without the load generator's own task scheduling (its cooperative pool is busy with the
/// paced calls, which adds milliseconds to what an async caller sees).
struct PingProbe {
    let port: Int
    let path: String
    private var socket: Int32 = -1
    private var buffer: [UInt8] = []

    init(port: Int, path: String) {
        self.port = port
        self.path = path
    }

    /// Connects, upgrades to a WebSocket, then pings every `interval` (from a random offset) until `end`;
    /// returns the round trips in milliseconds. Runs on the calling thread and blocks it.
    mutating func run(until end: ContinuousClock.Instant, interval: Duration) throws -> [Double] {
        try connect()
        defer { close(socket) }
        var trips: [Double] = []
        var next = ContinuousClock.now + .milliseconds(Int.random(in: 0..<Int(interval.components.seconds * 1000)))
        var timestamp = 0
        while next < end {
            let wait = ContinuousClock.now.duration(to: next)
            if wait > .zero { Thread.sleep(forTimeInterval: Double(wait.components.attoseconds) / 1e18 + Double(wait.components.seconds)) }
            timestamp = max(timestamp + 1, Int(Date().timeIntervalSince1970 * 1000))
            let sent = ContinuousClock.now
            try send(#"{"interaction_type":"ping_pong","timestamp":\#(timestamp)}"#)
            let echo = Array(#""response_type":"ping_pong","timestamp":\#(timestamp)}"#.utf8)
            while try !readTextFrame().ends(with: echo) {}
            let trip = ContinuousClock.now - sent
            trips.append(Double(trip.components.seconds) * 1000 + Double(trip.components.attoseconds) / 1e15)
            next += interval
        }
        return trips
    }

    private mutating func connect() throws {
        socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var noDelay: Int32 = 1
        setsockopt(socket, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Foundation.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw ProbeError.io("connect") }
        try write(Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n".utf8))
        let end = Array("\r\n\r\n".utf8)
        while !buffer.contains(end) { try fill() }
        let headerEnd = buffer.firstRange(of: end)!.upperBound
        guard buffer.starts(with: Array("HTTP/1.1 101".utf8)) else { throw ProbeError.io("upgrade refused") }
        buffer.removeFirst(headerEnd)
    }

    /// Sends `text` as one masked text frame (payloads under 126 bytes).
    private func send(_ text: String) throws {
        let payload = Array(text.utf8)
        let mask: [UInt8] = [0x37, 0xFA, 0x21, 0x3D]
        var frame: [UInt8] = [0x81, 0x80 | UInt8(payload.count)] + mask
        for (index, byte) in payload.enumerated() { frame.append(byte ^ mask[index % 4]) }
        try write(frame)
    }

    /// The payload of the next text frame (other frames are skipped).
    private mutating func readTextFrame() throws -> [UInt8] {
        while true {
            try need(2)
            let opcode = buffer[0] & 0x0F
            var length = Int(buffer[1] & 0x7F)
            var header = 2
            if length == 126 {
                try need(4)
                length = Int(buffer[2]) << 8 | Int(buffer[3])
                header = 4
            } else if length == 127 {
                try need(10)
                length = buffer[2..<10].reduce(0) { $0 << 8 | Int($1) }
                header = 10
            }
            try need(header + length)
            let payload = Array(buffer[header..<header + length])
            buffer.removeFirst(header + length)
            if opcode == 0x8 { throw ProbeError.io("closed by the server") }
            if opcode == 0x1 { return payload }
        }
    }

    private mutating func need(_ count: Int) throws {
        while buffer.count < count { try fill() }
    }

    private mutating func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { read(socket, $0.baseAddress, $0.count) }
        guard count > 0 else { throw ProbeError.io("read") }
        buffer += chunk[0..<count]
    }

    private func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Foundation.write(socket, $0.baseAddress, $0.count) }
            guard written > 0 else { throw ProbeError.io("write") }
            offset += written
        }
    }

    enum ProbeError: Error { case io(String) }

    /// Runs `count` probes, each on its own thread, until `end`; their round trips in milliseconds.
    static func runAll(count: Int, port: Int, until end: ContinuousClock.Instant, interval: Duration) async -> [Double] {
        await withTaskGroup(of: [Double].self) { group in
            for index in 0..<count {
                group.addTask {
                    await withCheckedContinuation { continuation in
                        let thread = Thread {
                            var probe = PingProbe(port: port, path: "/llm-websocket/bench/probe_\(index)")
                            continuation.resume(returning: (try? probe.run(until: end, interval: interval)) ?? [])
                        }
                        thread.start()
                    }
                }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
    }
}

extension Array where Element == UInt8 {
    fileprivate func ends(with suffix: [UInt8]) -> Bool {
        count >= suffix.count && self[(count - suffix.count)...].elementsEqual(suffix)
    }
}
