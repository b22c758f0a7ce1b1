import Foundation

/// A WebSocket client over a blocking socket that reads exactly what the server put on the wire: for tests
/// where a client library could blur the bytes (a frame sent right behind the `101` response) and for
/// benchmark probes whose timing must not include a task scheduler. Use it from a thread of its own
/// (``onThread(_:)``); every read gives up after the timeout given at connection.
public struct RawWebSocket {
    /// One frame as received (server frames are never masked).
    public struct Frame: Sendable {
        public var opcode: UInt8
        public var payload: [UInt8]

        public var text: String { String(decoding: payload, as: UTF8.self) }
    }

    public enum Failure: Error, CustomStringConvertible {
        case io(String, errno: Int32 = errno)
        case refused(String)

        public var description: String {
            switch self {
            case .io(let what, let code): return "socket \(what) failed (errno \(code))"
            case .refused(let status): return "upgrade refused: \(status)"
            }
        }
    }

    private let socket: Int32
    private var buffer: [UInt8] = []

    /// Connects to 127.0.0.1:`port` and upgrades `path` to a WebSocket.
    public init(port: Int, path: String, timeout: Duration = .seconds(10)) throws {
        socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard socket >= 0 else { throw Failure.io("socket") }
        var noDelay: Int32 = 1
        setsockopt(socket, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
        var wait = timeval(tv_sec: Int(timeout.components.seconds), tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Foundation.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        do {
            guard connected == 0 else { throw Failure.io("connect") }
            try upgrade(path)
        } catch {
            Foundation.close(socket)
            throw error
        }
    }

    /// Sends the upgrade request for `path` and reads the response head.
    private mutating func upgrade(_ path: String) throws {
        try write(Array((
            "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").utf8))
        let end = Array("\r\n\r\n".utf8)
        while buffer.firstRange(of: end) == nil { try fill() }
        let head = buffer[..<buffer.firstRange(of: end)!.upperBound]
        buffer.removeFirst(head.count)
        let status = String(decoding: head.prefix { $0 != 13 }, as: UTF8.self)
        guard status.hasPrefix("HTTP/1.1 101") else { throw Failure.refused(status) }
    }

    /// Closes the socket (without a closing handshake).
    public func close() { Foundation.close(socket) }

    /// Sends `text` as one masked text frame.
    public func send(_ text: String) throws {
        let payload = Array(text.utf8)
        let mask: [UInt8] = [0x37, 0xFA, 0x21, 0x3D]
        var frame: [UInt8] = [0x81]
        switch payload.count {
        case ..<126: frame.append(0x80 | UInt8(payload.count))
        case ..<65536: frame += [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        default: frame += [0x80 | 127] + (0..<8).reversed().map { UInt8((payload.count >> ($0 * 8)) & 0xFF) }
        }
        frame += mask
        for (index, byte) in payload.enumerated() { frame.append(byte ^ mask[index % 4]) }
        try write(frame)
    }

    /// The next frame, whatever its kind.
    public mutating func readFrame() throws -> Frame {
        try need(2)
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
        let frame = Frame(opcode: buffer[0] & 0x0F, payload: Array(buffer[header..<header + length]))
        buffer.removeFirst(header + length)
        return frame
    }

    /// Runs blocking `work` on a thread of its own, off the cooperative pool.
    public static func onThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }

    private mutating func need(_ count: Int) throws {
        while buffer.count < count { try fill() }
    }

    private mutating func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { read(socket, $0.baseAddress, $0.count) }
        guard count > 0 else { throw Failure.io(count == 0 ? "read (closed by the server)" : "read") }
        buffer += chunk[0..<count]
    }

    private func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Foundation.write(socket, $0.baseAddress, $0.count) }
            guard written > 0 else { throw Failure.io("write") }
            offset += written
        }
    }
}
