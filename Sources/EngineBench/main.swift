import Foundation
import Host
import PluginAPI
import SwitchboardTesting
import Synchronization

// engine-bench: the real `switchboard serve` in its own process, an OpenAI-compatible fake LLM answering
// 20 tokens at once and the fake Retell callers in this process (the load generator). Prints server CPU
// per turn, first-content latency for a burst of calls, resident memory per open call, the cost of
// a late turn against an early one, and the ping echo round trip while `paced` calls each take a turn
// every ~2 s for `seconds` (Retell's 2 s keepalive pings running alongside; 0 calls skips that phase).
//
//   swift build -c release --product switchboard && swift build -c release --product engine-bench
//   (SwiftPM builds only the last of several `--product` options)
//   .build/release/engine-bench [calls=50] [turns=40] [burst=500] [paced=500] [seconds=20]

let arguments = CommandLine.arguments.dropFirst().compactMap(Int.init)
let calls = arguments.count > 0 ? arguments[0] : 50
let turns = arguments.count > 1 ? arguments[1] : 40
let burst = arguments.count > 2 ? arguments[2] : 500
let paced = arguments.count > 3 ? arguments[3] : 500
let seconds = arguments.count > 4 ? arguments[4] : 20

var limit = rlimit()
getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
limit.rlim_cur = limit.rlim_max
setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)

/// User + system CPU seconds of process `pid` (from /proc).
func cpuSeconds(_ pid: Int32) -> Double {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
        let close = stat.lastIndex(of: ")")
    else { return 0 }
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    let ticks = (Double(fields[11]) ?? 0) + (Double(fields[12]) ?? 0)
    return ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
}

/// Resident memory of `pid` in KiB.
func residentKiB(_ pid: Int32) -> Int {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
    let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
    return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
}

/// `duration` in milliseconds.
func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}

/// Milliseconds since 1970, as Retell stamps its pings.
func epochMilliseconds() -> Int { Int(Date().timeIntervalSince1970 * 1000) }

func percentile(_ values: [Double], _ p: Double) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return 0 }
    return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
}

/// Shared state of the load tasks.
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func withLock<Result: Sendable>(_ body: (inout sending Value) -> sending Result) -> Result { mutex.withLock(body) }
}

let tokens = (1...20).map { "w\($0) " }

try await FakeOpenAIServer.run(apiKey: nil) { llm in
    let replies = calls * turns + burst * 2 + 10 * 100 + paced * (seconds / 2 + 2) + 100
    for _ in 0..<replies { llm.enqueue(FakeOpenAIServer.text(tokens)) }
    let folder = try TestFixtures.temporaryDirectory()
    try "You are a benchmark agent.".write(to: folder.appendingPathComponent("persona.md"), atomically: true, encoding: .utf8)
    let config = folder.appendingPathComponent("agents.yaml")
    try """
        server: { log_level: error }
        llms:
          bench: { plugin: openai, model: bench, base_url: "\(llm.baseURL)", api_key: "" }
        agents:
          bench:
            persona: persona.md
            llm: bench
            begin_message: "Hello."
        """.write(to: config, atomically: true, encoding: .utf8)
    let port = Int.random(in: 20000...60000)
    let server = Process()
    server.executableURL = URL(fileURLWithPath: try BuiltBinary.path())
    server.arguments = ["serve", "--config", config.path, "--port", String(port), "--database", folder.appendingPathComponent("bench.sqlite").path]
    try server.run()
    defer { server.terminate() }
    let pid = server.processIdentifier
    let base = "ws://127.0.0.1:\(port)/llm-websocket/bench/"
    FileHandle.standardError.write(Data("waiting for the server on port \(port)\n".utf8))
    for _ in 0..<200 {
        if (try? await FakeRetellCaller.call(base + "probe") { _ in }) != nil { break }
        try await Task.sleep(for: .milliseconds(50))
    }
    FileHandle.standardError.write(Data("server is up\n".utf8))

    // 1. CPU per turn: `calls` calls at once, `turns` turns each.
    let cpuBefore = cpuSeconds(pid)
    let started = ContinuousClock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
        for call in 0..<calls {
            group.addTask {
                try await FakeRetellCaller.call(base + "cpu_\(call)") { caller in
                    try await caller.sendCallDetails(callID: "cpu_\(call)")
                    _ = try await caller.response(0)
                    for turn in 1...turns {
                        try await caller.ask(turn, "Tell me something, turn \(turn).")
                        _ = try await caller.response(turn)
                    }
                }
            }
        }
        try await group.waitForAll()
    }
    let cpu = cpuSeconds(pid) - cpuBefore
    let elapsed = ContinuousClock.now - started
    print(String(format: "cpu per turn:            %.3f ms server CPU (%d calls × %d turns, %.1f s wall)",
                 cpu * 1000 / Double(calls * turns), calls, turns, Double(elapsed.components.seconds)))

    // 2. Late turns against early ones: 10 calls of 100 turns, wall time of turn 2 and turn 100.
    let timings = Locked<(early: [Double], late: [Double])>(([], []))
    try await withThrowingTaskGroup(of: Void.self) { group in
        for call in 0..<10 {
            group.addTask {
                try await FakeRetellCaller.call(base + "long_\(call)") { caller in
                    try await caller.sendCallDetails(callID: "long_\(call)")
                    _ = try await caller.response(0)
                    for turn in 1...100 {
                        let start = ContinuousClock.now
                        try await caller.ask(turn, "Another plain utterance for turn \(turn), about as long as people speak.")
                        _ = try await caller.response(turn)
                        let ms = milliseconds(ContinuousClock.now - start)
                        if turn == 2 { timings.withLock { $0.early.append(ms) } }
                        if turn == 100 { timings.withLock { $0.late.append(ms) } }
                    }
                }
            }
        }
        try await group.waitForAll()
    }
    let (early, late) = timings.withLock { ($0.early, $0.late) }
    print(String(format: "turn 100 vs turn 2:      %.2f ms vs %.2f ms median wall time (%.2f×)",
                 percentile(late, 0.5), percentile(early, 0.5), percentile(late, 0.5) / max(percentile(early, 0.5), 0.001)))

    // 3. A burst: `burst` calls open, greeted, then all ask at the same instant; memory per open call.
    let rssBefore = residentKiB(pid)
    let go = Locked(false)
    let ready = Locked(0)
    let latencies = Locked<[Double]>([])
    let rssOpen = Locked(0)
    try await withThrowingTaskGroup(of: Void.self) { group in
        for call in 0..<burst {
            group.addTask {
                try await FakeRetellCaller.call(base + "burst_\(call)") { caller in
                    try await caller.sendCallDetails(callID: "burst_\(call)")
                    _ = try await caller.response(0, timeout: .seconds(120))
                    ready.withLock { $0 += 1 }
                    while !go.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(1)) }
                    let start = ContinuousClock.now
                    try await caller.ask(1, "Everyone asks at once.")
                    try await caller.waitFor(timeout: .seconds(120)) { $0["response_id"] == 1 && ($0["content"]?.stringValue ?? "") != "" }
                    let waited = milliseconds(ContinuousClock.now - start)
                    latencies.withLock { $0.append(waited) }
                    _ = try await caller.response(1, timeout: .seconds(120))
                    while go.withLock({ $0 }) && rssOpen.withLock({ $0 }) == 0 { try await Task.sleep(for: .milliseconds(5)) }
                }
            }
        }
        while ready.withLock({ $0 }) < burst { try await Task.sleep(for: .milliseconds(10)) }
        let open = residentKiB(pid)
        go.withLock { $0 = true }
        while latencies.withLock({ $0.count }) < burst { try await Task.sleep(for: .milliseconds(10)) }
        rssOpen.withLock { $0 = open }
        try await group.waitForAll()
    }
    let waits = latencies.withLock { $0 }
    print(String(format: "burst of %d calls:       first content p50 %.1f ms, p99 %.1f ms, slowest %.1f ms",
                 burst, percentile(waits, 0.5), percentile(waits, 0.99), waits.max() ?? 0))
    print(String(format: "memory per open call:    %.1f KiB resident (%d KiB before, %d KiB with %d calls open)",
                 Double(rssOpen.withLock { $0 } - rssBefore) / Double(burst), rssBefore, rssOpen.withLock { $0 }, burst))

    // 4. A phone-like pace: `paced` calls open at once for `seconds`. Each pings every 2 s (Retell's
    //    keepalive) and takes a turn every 2 s, both from random offsets so the calls do not align; pings and
    //    turns run side by side, so a turn in flight never holds a ping back. Measures the ping echo round
    //    trip, and the server's CPU per turn over the paced window (pings included).
    guard paced > 0 else { return }
    let echoes = Locked<[Double]>([])
    let pacedTurns = Locked(0)
    let pacedReady = Locked(0)
    let pacedStart = Locked<ContinuousClock.Instant?>(nil)
    let pacedDone = Locked(0)
    let hangUp = Locked(false)
    let window = Locked<(cpu: Double, bench: Double, wall: Duration)>((0, 0, .zero))
    try await withThrowingTaskGroup(of: Void.self) { group in
        for call in 0..<paced {
            group.addTask {
                try await FakeRetellCaller.call(base + "paced_\(call)") { caller in
                    try await caller.sendCallDetails(callID: "paced_\(call)")
                    _ = try await caller.response(0, timeout: .seconds(120))
                    pacedReady.withLock { $0 += 1 }
                    var begun = pacedStart.withLock { $0 }
                    while begun == nil {
                        try await Task.sleep(for: .milliseconds(5))
                        begun = pacedStart.withLock { $0 }
                    }
                    guard let start = begun else { return }
                    let end = start + .seconds(seconds)
                    try await withThrowingTaskGroup(of: Void.self) { pace in
                        pace.addTask {  // Retell's keepalive
                            var next = start + .milliseconds(Int.random(in: 0..<2000))
                            var timestamp = 0
                            while next < end {
                                try await Task.sleep(until: next, clock: .continuous)
                                timestamp = max(timestamp + 1, epochMilliseconds())
                                let trip = try await caller.pingRoundTrip(timestamp, timeout: .seconds(10))
                                echoes.withLock { $0.append(milliseconds(trip)) }
                                next += .seconds(2)
                            }
                        }
                        pace.addTask {  // the conversation
                            var next = start + .milliseconds(Int.random(in: 0..<2000))
                            var turn = 0
                            while next < end {
                                try await Task.sleep(until: next, clock: .continuous)
                                turn += 1
                                let id = turn
                                let mark = caller.frames.count
                                try await caller.ask(id, "A plain utterance for turn \(id), about as long as people speak.")
                                try await caller.waitFor(after: mark, timeout: .seconds(30)) {
                                    $0["response_type"] == "response" && $0["response_id"] == .int(id) && $0["content_complete"] == true
                                }
                                let said = caller.frames.dropFirst(mark)
                                    .filter { $0["response_type"] == "response" && $0["response_id"] == .int(id) }
                                    .compactMap { $0["content"]?.stringValue }.joined()
                                caller.transcript.append(role: "agent", said)
                                pacedTurns.withLock { $0 += 1 }
                                repeat { next += .seconds(2) } while next < ContinuousClock.now
                            }
                        }
                        try await pace.waitForAll()
                    }
                    pacedDone.withLock { $0 += 1 }
                    while !hangUp.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
                }
            }
        }
        group.addTask {  // opens the window once every call is greeted, closes it before anyone hangs up
            while pacedReady.withLock({ $0 }) < paced { try await Task.sleep(for: .milliseconds(10)) }
            let cpuBefore = cpuSeconds(pid), benchBefore = cpuSeconds(getpid())
            let start = ContinuousClock.now
            pacedStart.withLock { $0 = start }
            while pacedDone.withLock({ $0 }) < paced { try await Task.sleep(for: .milliseconds(10)) }
            let cpu = cpuSeconds(pid) - cpuBefore, bench = cpuSeconds(getpid()) - benchBefore
            window.withLock { $0 = (cpu, bench, ContinuousClock.now - start) }
            hangUp.withLock { $0 = true }
        }
        while try await group.next() != nil {}  // the first failure ends the phase (and cancels the rest)
    }
    let trips = echoes.withLock { $0 }
    let turnCount = pacedTurns.withLock { $0 }
    let (pacedCPU, benchCPU, pacedWall) = window.withLock { ($0.cpu, $0.bench, $0.wall) }
    print(String(format: "ping echo under load:    p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d calls, %d pings, %d turns)",
                 percentile(trips, 0.5), percentile(trips, 0.99), trips.max() ?? 0, paced, trips.count, turnCount))
    let wallSeconds = max(milliseconds(pacedWall) / 1000, 0.001)
    print(String(format: "paced cpu per turn:      %.3f ms server CPU, pings included (%d turns in %.1f s; server %.0f %%, this load generator %.0f %% of a core)",
                 pacedCPU * 1000 / Double(max(turnCount, 1)), turnCount, wallSeconds, pacedCPU * 100 / wallSeconds, benchCPU * 100 / wallSeconds))
}
