import Foundation
import SwitchboardTesting

/// Retell stand-ins that only ping, over blocking sockets on threads of their own: the echo they measure is
/// the server's, without the load generator's own task scheduling (its cooperative pool is busy with the
/// paced calls, which adds milliseconds to what an async caller sees).
enum PingProbe {
    /// Runs `count` probes until `end`, each pinging every `interval` from a random offset; their round trips
    /// in milliseconds.
    static func run(count: Int, port: Int, until end: ContinuousClock.Instant, interval: Duration) async -> [Double] {
        await withTaskGroup(of: [Double].self) { group in
            for index in 0..<count {
                group.addTask {
                    (try? await RawWebSocket.onThread {
                        var socket = try RawWebSocket(port: port, path: "/llm-websocket/bench/probe_\(index)")
                        defer { socket.close() }
                        return try pings(&socket, until: end, interval: interval)
                    }) ?? []
                }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
    }

    private static func pings(_ socket: inout RawWebSocket, until end: ContinuousClock.Instant, interval: Duration) throws -> [Double] {
        var trips: [Double] = []
        var next = ContinuousClock.now + .milliseconds(Int.random(in: 0..<Int(interval.components.seconds * 1000)))
        var timestamp = 0
        while next < end {
            let wait = ContinuousClock.now.duration(to: next)
            if wait > .zero { Thread.sleep(forTimeInterval: Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18) }
            timestamp = max(timestamp + 1, Int(Date().timeIntervalSince1970 * 1000))
            let sent = ContinuousClock.now
            try socket.send(#"{"interaction_type":"ping_pong","timestamp":\#(timestamp)}"#)
            let echo = #""response_type":"ping_pong","timestamp":\#(timestamp)}"#
            while try !socket.readFrame().text.hasSuffix(echo) {}
            let trip = ContinuousClock.now - sent
            trips.append(Double(trip.components.seconds) * 1000 + Double(trip.components.attoseconds) / 1e15)
            next += interval
        }
        return trips
    }
}
