import Foundation
import Host
import PluginAPI
import SwitchboardTesting
import Synchronization

// engine-bench: the real `switchboard serve` in its own process, an OpenAI-compatible fake LLM answering
// 20 tokens at once (in one write; `--write-per-event` writes each event apart) and the fake Retell callers
// in this process (the load generator). Prints server CPU per turn, first-content latency for a burst of
// calls (five turns each), resident memory per open call, the cost of a late turn against an early one, and
// the ping echo round trip while `paced` calls each take a turn every ~2 s for `seconds` (Retell's 2 s
// keepalive pings running alongside; 0 calls skips that phase), then the figures the issue sets limits for.
// The ping echo is reported twice: as the paced callers see it, and as seen by probe sockets on threads of
// their own, which leave out the load generator's own task scheduling.
//
//   swift build -c release --product switchboard && swift build -c release --product engine-bench
//   (SwiftPM builds only the last of several `--product` options)
//   .build/release/engine-bench [calls=50] [turns=40] [burst=500] [paced=500] [seconds=20] [--write-per-event]

let arguments = CommandLine.arguments.dropFirst().compactMap(Int.init)
let calls = arguments.count > 0 ? arguments[0] : 50
let turns = arguments.count > 1 ? arguments[1] : 40
let burst = arguments.count > 2 ? arguments[2] : 500
let paced = arguments.count > 3 ? arguments[3] : 500
let seconds = arguments.count > 4 ? arguments[4] : 20
/// The fake LLM has each answer ready at once and writes it in one go; `--write-per-event` makes it write each
/// event of the stream on its own, as a server flushing every token does (more reads for the server, and
/// many more writes for this process).
let writePerEvent = CommandLine.arguments.contains("--write-per-event")
/// Sockets that only ping during the paced phase, each from a thread of its own (see `PingProbe`).
let probes = 50
/// Turns each burst call takes, all calls asking at the same instant each time.
let burstRounds = 5

var limit = rlimit()
getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
limit.rlim_cur = limit.rlim_max
setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)

/// User + system CPU seconds of process `pid`, to the nanosecond (its CPU-time clock; /proc counts 10 ms
/// ticks, too coarse for the 200 turns of the late/early comparison).
func cpuSeconds(_ pid: Int32) -> Double {
    var clock = clockid_t()
    var time = timespec()
    guard clock_getcpuclockid(pid, &clock) == 0, clock_gettime(clock, &time) == 0 else { return 0 }
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
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

/// Lets the tasks waiting at it through together once opened, without polling (hundreds of polling tasks
/// would take the CPU the server needs).
final class Gate: Sendable {
    private let state = Mutex<(isOpen: Bool, waiting: [CheckedContinuation<Void, Never>])>((false, []))

    /// Returns once the gate is open. Cancelling a waiter opens the gate (the load's task group is being
    /// torn down after a failure, and every task must get to its next cancellation check).
    func wait() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let isOpen = state.withLock { state in
                    if !state.isOpen { state.waiting.append(continuation) }
                    return state.isOpen
                }
                if isOpen { continuation.resume() }
            }
        } onCancel: {
            open()
        }
    }

    func open() {
        let waiting = state.withLock { state in
            state.isOpen = true
            defer { state.waiting = [] }
            return state.waiting
        }
        for continuation in waiting { continuation.resume() }
    }
}

let tokens = (1...20).map { "w\($0) " }

/// The figures issue 3 sets a limit for, printed together at the end.
let scorecard = Locked<[(figure: String, value: Double, limit: Double, unit: String)]>([])
func score(_ figure: String, _ value: Double, atMost limit: Double, _ unit: String) {
    scorecard.withLock { $0.append((figure, value, limit, unit)) }
}

try await FakeOpenAIServer.run(apiKey: nil) { llm in
    let replies = calls * turns + burst * burstRounds + 20 * 100 + paced * (seconds / 2 + 2) + 100
    let reply = writePerEvent ? FakeOpenAIServer.text(tokens) : FakeOpenAIServer.text(tokens).inOneWrite
    for _ in 0..<replies { llm.enqueue(reply) }
    defer {
        print("targets (issue 3, at the default sizes):")
        for entry in scorecard.withLock({ $0 }) {
            let figure = entry.figure.padding(toLength: 34, withPad: " ", startingAt: 0)
            print(String(format: "  %@ %8.2f %@  limit %.2f %@  %@", figure, entry.value, entry.unit, entry.limit, entry.unit,
                         entry.value <= entry.limit ? "met" : "MISSED"))
        }
        // An unscripted request is answered with an error (and the server retries): a broken measurement.
        let asked = llm.requests.count
        if asked > replies { print("WARNING: the fake LLM ran out of scripted answers; \(asked - replies) requests got an error, so the figures are not valid") }
    }
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
    let serverLog = folder.appendingPathComponent("server.log").path
    let server = try ChildProcess(
        executable: try BuiltBinary.path(),
        arguments: ["serve", "--config", config.path, "--port", String(port), "--database", folder.appendingPathComponent("bench.sqlite").path],
        environment: ProcessInfo.processInfo.environment, output: serverLog, error: serverLog)
    defer { server.send(SIGTERM) }
    let pid = server.pid
    let base = "ws://127.0.0.1:\(port)/llm-websocket/bench/"
    FileHandle.standardError.write(Data("waiting for the server on port \(port) (its log: \(serverLog))\n".utf8))
    for _ in 0..<200 {
        if (try? await FakeRetellCaller.call(base + "probe") { _ in }) != nil { break }
        try await Task.sleep(for: .milliseconds(50))
    }
    FileHandle.standardError.write(Data("server is up\n".utf8))

    // 1. CPU per turn: `calls` calls at once, `turns` turns each. The turns are timed between two barriers
    //    (all calls greeted; all turns answered), so opening and closing calls are counted apart.
    let cpuAtStart = cpuSeconds(pid)
    let greeted = Locked(0)
    let answered = Locked(0)
    let allGreeted = Gate()
    let mayHangUp = Gate()
    let turnWindow = Locked<(cpuStart: Double, cpuEnd: Double, wall: Duration)>((0, 0, .zero))
    try await withThrowingTaskGroup(of: Void.self) { group in
        for call in 0..<calls {
            group.addTask {
                try await FakeRetellCaller.call(base + "cpu_\(call)") { caller in
                    try await caller.sendCallDetails(callID: "cpu_\(call)")
                    _ = try await caller.response(0)
                    greeted.withLock { $0 += 1 }
                    await allGreeted.wait()
                    for turn in 1...turns {
                        try await caller.ask(turn, "Tell me something, turn \(turn).")
                        _ = try await caller.response(turn)
                    }
                    answered.withLock { $0 += 1 }
                    await mayHangUp.wait()
                }
            }
        }
        while greeted.withLock({ $0 }) < calls { try await Task.sleep(for: .milliseconds(1)) }
        let cpuStart = cpuSeconds(pid)
        FileHandle.standardError.write(Data("turns start\n".utf8))  // a mark for profilers attached to the server
        allGreeted.open()
        let wallStart = ContinuousClock.now
        while answered.withLock({ $0 }) < calls { try await Task.sleep(for: .milliseconds(1)) }
        turnWindow.withLock { $0 = (cpuStart, cpuSeconds(pid), ContinuousClock.now - wallStart) }
        FileHandle.standardError.write(Data("turns end\n".utf8))
        mayHangUp.open()
        try await group.waitForAll()
    }
    let cpuAtEnd = cpuSeconds(pid)
    let timed = turnWindow.withLock { $0 }
    let turnCPU = timed.cpuEnd - timed.cpuStart
    print(String(format: "cpu per turn:            %.3f ms server CPU (%d calls × %d turns, %.1f s wall)",
                 turnCPU * 1000 / Double(calls * turns), calls, turns, milliseconds(timed.wall) / 1000))
    score("server CPU per turn", turnCPU * 1000 / Double(calls * turns), atMost: 0.3, "ms")
    print(String(format: "cpu per call, open+close: %.3f ms server CPU (socket, call record, greeting, transcript)",
                 (cpuAtEnd - cpuAtStart - turnCPU) * 1000 / Double(calls)))

    // 2. Late turns against early ones: 20 calls of 100 turns of plain utterances, each call asking every
    //    50 ms (staggered), so both windows run at the same pace; server CPU of turns 2–11 against turns
    //    91–100 (the transcript Retell resends is ten times longer by then). Unpaced, the late window would
    //    be slower only because the load generator takes longer to build the longer frames, and a server
    //    that waits between turns spends more per turn waking up.
    let longCalls = 20
    let interval = Duration.milliseconds(50)
    let checkpoints = [2, 12, 91, 101]  // before asking these turns (101: after the last)
    let arrived = Locked([Int: Int]())
    let release = Dictionary(uniqueKeysWithValues: checkpoints.map { ($0, Gate()) })
    try await withThrowingTaskGroup(of: Void.self) { group in
        for call in 0..<longCalls {
            group.addTask {
                try await FakeRetellCaller.call(base + "long_\(call)") { caller in
                    try await caller.sendCallDetails(callID: "long_\(call)")
                    _ = try await caller.response(0)
                    let stagger = interval / longCalls * call
                    var next = ContinuousClock.now + stagger
                    for turn in 1...101 {
                        if checkpoints.contains(turn) {
                            arrived.withLock { $0[turn, default: 0] += 1 }
                            await release[turn]?.wait()
                            next = ContinuousClock.now + stagger
                        }
                        guard turn <= 100 else { break }
                        try await Task.sleep(until: next)
                        next = next + interval
                        try await caller.ask(turn, "Another plain utterance for turn \(turn), about as long as people speak.")
                        _ = try await caller.response(turn)
                    }
                }
            }
        }
        var cpuAt: [Int: Double] = [:]
        for checkpoint in checkpoints {
            while arrived.withLock({ $0[checkpoint] ?? 0 }) < longCalls { try await Task.sleep(for: .milliseconds(1)) }
            cpuAt[checkpoint] = cpuSeconds(pid)
            release[checkpoint]?.open()
        }
        try await group.waitForAll()
        let early = (cpuAt[12]! - cpuAt[2]!) * 1000 / Double(longCalls * 10)
        let late = (cpuAt[101]! - cpuAt[91]!) * 1000 / Double(longCalls * 10)
        print(String(format: "turns 91–100 vs 2–11:    %.3f ms vs %.3f ms server CPU per turn (%.2f×; %d calls, each asking every %d ms)",
                     late, early, late / max(early, 0.001), longCalls, Int(interval.components.attoseconds / 1_000_000_000_000_000)))
        score("turns 91–100 against 2–11", late / max(early, 0.001), atMost: 1.5, "× ")
    }

    // 3. A burst: `burst` calls open, greeted, then all ask at the same instant, five times (five turns
    //    each): the first round also opens a connection to the LLM per call (HTTP/1.1), the others reuse
    //    them. Memory per open call.
    let rssBefore = residentKiB(pid)
    let rounds = burstRounds
    let go = (0...rounds).map { _ in Gate() }  // opened when the calls may ask in that round
    let ready = Locked([Int](repeating: 0, count: rounds + 1))
    let latencies = Locked<[[Double]]>(Array(repeating: [], count: rounds + 1))
    let rssOpen = Locked(0)
    let roundCPU = Locked<[Int: (server: Double, bench: Double)]>([:])  // until the last first content of a round
    try await withThrowingTaskGroup(of: Void.self) { group in
        for call in 0..<burst {
            group.addTask {
                try await FakeRetellCaller.call(base + "burst_\(call)") { caller in
                    try await caller.sendCallDetails(callID: "burst_\(call)")
                    _ = try await caller.response(0, timeout: .seconds(120))
                    for round in 1...rounds {
                        ready.withLock { $0[round] += 1 }
                        await go[round].wait()
                        let seen = caller.frames.count
                        let start = ContinuousClock.now
                        try await caller.ask(round, "Everyone asks at once.")
                        try await caller.waitFor(after: seen, timeout: .seconds(120)) {
                            $0["response_id"] == .int(round) && ($0["content"]?.stringValue ?? "") != ""
                        }
                        let waited = milliseconds(ContinuousClock.now - start)
                        latencies.withLock { $0[round].append(waited) }
                        _ = try await caller.response(round, timeout: .seconds(120))
                    }
                    while rssOpen.withLock({ $0 }) == 0 { try await Task.sleep(for: .milliseconds(5)) }
                }
            }
        }
        for round in 1...rounds {
            while ready.withLock({ $0[round] }) < burst { try await Task.sleep(for: .milliseconds(10)) }
            let open = residentKiB(pid)
            let serverBefore = cpuSeconds(pid), benchBefore = cpuSeconds(getpid())
            FileHandle.standardError.write(Data("burst round \(round) start\n".utf8))
            go[round].open()
            while latencies.withLock({ $0[round].count }) < burst { try await Task.sleep(for: .milliseconds(10)) }
            let used = (server: cpuSeconds(pid) - serverBefore, bench: cpuSeconds(getpid()) - benchBefore)
            roundCPU.withLock { $0[round] = used }
            FileHandle.standardError.write(Data("burst round \(round) end\n".utf8))
            if round == 1 { rssOpen.withLock { $0 = open } }
        }
        try await group.waitForAll()
    }
    for round in 1...rounds {
        let waits = latencies.withLock { $0[round] }
        let used = roundCPU.withLock { $0[round] } ?? (server: 0, bench: 0)
        print(String(format: "burst of %d calls, round %d: first content p50 %.1f ms, p99 %.1f ms, slowest %.1f ms; CPU until then: server %.0f ms, load generator and fake LLM %.0f ms%@",
                     burst, round, percentile(waits, 0.5), percentile(waits, 0.99), waits.max() ?? 0, used.server * 1000, used.bench * 1000,
                     round == 1 ? " (new LLM connections)" : ""))
    }
    let slowest = latencies.withLock { $0.joined().max() ?? 0 }
    print(String(format: "burst, all %d rounds:     slowest first content %.1f ms", rounds, slowest))
    score("burst, slowest first content", slowest, atMost: 250, "ms")
    print(String(format: "memory per open call:    %.1f KiB resident (%d KiB before, %d KiB with %d calls open)",
                 Double(rssOpen.withLock { $0 } - rssBefore) / Double(max(burst, 1)), rssBefore, rssOpen.withLock { $0 }, burst))
    score("memory per open call", Double(rssOpen.withLock { $0 } - rssBefore) / Double(max(burst, 1)), atMost: 64, "KiB")

    // 4. A phone-like pace: `paced` calls open at once for `seconds`. Each pings every 2 s (Retell's
    //    keepalive) and takes a turn every 2 s, both from random offsets so the calls do not align; pings and
    //    turns run side by side, so a turn in flight never holds a ping back. Measures the ping echo round
    //    trip, and the server's CPU per turn over the paced window (pings included).
    guard paced > 0 else { return }
    let echoes = Locked<[Double]>([])
    let pacedTurns = Locked(0)
    let pacedReady = Locked(0)
    let pacedStart = Locked(ContinuousClock.now)
    let pacedBegin = Gate()
    let pacedDone = Locked(0)
    let pacedMayHangUp = Gate()
    let window = Locked<(cpu: Double, bench: Double, wall: Duration)>((0, 0, .zero))
    let probeTrips = Locked<[Double]>([])
    try await withThrowingTaskGroup(of: Void.self) { group in
        for call in 0..<paced {
            group.addTask {
                try await FakeRetellCaller.call(base + "paced_\(call)") { caller in
                    try await caller.sendCallDetails(callID: "paced_\(call)")
                    _ = try await caller.response(0, timeout: .seconds(120))
                    pacedReady.withLock { $0 += 1 }
                    await pacedBegin.wait()
                    let start = pacedStart.withLock { $0 }
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
                    await pacedMayHangUp.wait()
                }
            }
        }
        group.addTask {  // opens the window once every call is greeted, closes it before anyone hangs up
            while pacedReady.withLock({ $0 }) < paced { try await Task.sleep(for: .milliseconds(10)) }
            let cpuBefore = cpuSeconds(pid), benchBefore = cpuSeconds(getpid())
            let start = ContinuousClock.now
            pacedStart.withLock { $0 = start }
            pacedBegin.open()
            let trips = await PingProbe.run(count: probes, port: port, until: start + .seconds(seconds), interval: .seconds(2))
            probeTrips.withLock { $0 = trips }
            while pacedDone.withLock({ $0 }) < paced { try await Task.sleep(for: .milliseconds(10)) }
            let cpu = cpuSeconds(pid) - cpuBefore, bench = cpuSeconds(getpid()) - benchBefore
            window.withLock { $0 = (cpu, bench, ContinuousClock.now - start) }
            pacedMayHangUp.open()
        }
        while try await group.next() != nil {}  // the first failure ends the phase (and cancels the rest)
    }
    let trips = echoes.withLock { $0 }
    let turnCount = pacedTurns.withLock { $0 }
    let (pacedCPU, benchCPU, pacedWall) = window.withLock { ($0.cpu, $0.bench, $0.wall) }
    print(String(format: "ping echo under load:    p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d calls, %d pings, %d turns; seen by their async callers)",
                 percentile(trips, 0.5), percentile(trips, 0.99), trips.max() ?? 0, paced, trips.count, turnCount))
    let probed = probeTrips.withLock { $0 }
    print(String(format: "ping echo, probe sockets: p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d probes pinging alongside, %d pings; blocking sockets on threads of their own)",
                 percentile(probed, 0.5), percentile(probed, 0.99), probed.max() ?? 0, probes, probed.count))
    score("ping echo p99, probe sockets", percentile(probed, 0.99), atMost: 5, "ms")
    let wallSeconds = max(milliseconds(pacedWall) / 1000, 0.001)
    print(String(format: "paced cpu per turn:      %.3f ms server CPU, pings included (%d turns in %.1f s; server %.0f %%, this load generator %.0f %% of a core)",
                 pacedCPU * 1000 / Double(max(turnCount, 1)), turnCount, wallSeconds, pacedCPU * 100 / wallSeconds, benchCPU * 100 / wallSeconds))
}
