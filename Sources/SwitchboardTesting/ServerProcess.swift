import Foundation

/// A `switchboard serve` child process of this build on an ephemeral loopback port, logging to a file.
public final class ServerProcess: Sendable {
    public let process: ChildProcess
    /// Where the server's standard output and error go.
    public let log: URL

    /// Starts the server with `config` and `database`. With `openFileSoftLimit`, it is started through
    /// `/bin/sh` with that soft limit on open files first (`ulimit -Sn`), as a login shell might leave it.
    public init(config: String, database: String, log: URL, openFileSoftLimit: Int? = nil) throws {
        self.log = log
        let binary = try BuiltBinary.path()
        let serve = ["serve", "--config", config, "--port", "0", "--database", database]
        let environment = ProcessInfo.processInfo.environment
        if let openFileSoftLimit {
            // `exec` keeps the shell's pid, so `process.pid` is the server's.
            process = try ChildProcess(
                executable: "/bin/sh", arguments: ["-c", "ulimit -Sn \(openFileSoftLimit) && exec \"$0\" \"$@\"", binary] + serve,
                environment: environment, output: log.path, error: log.path)
        } else {
            process = try ChildProcess(executable: binary, arguments: serve, environment: environment, output: log.path, error: log.path)
        }
    }

    /// The port from the server's `listening` log line (waits for start-up, at most a minute).
    public func waitUntilListening() async throws -> Int {
        for _ in 0..<600 {
            if let line = logText.split(separator: "\n").first(where: { $0.contains("listening") }),
                let port = line.split(whereSeparator: { !$0.isNumber }).last.flatMap({ Int($0) }), port > 0
            {
                return port
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ServerDidNotStart(log: logText)
    }

    /// What the server has logged so far.
    public var logText: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// SIGKILL: no shutdown, no flush, like a power cut for the process (not for the OS).
    public func kill() { process.send(SIGKILL) }
    /// SIGTERM: a graceful shutdown.
    public func terminate() { process.send(SIGTERM) }
    public func waitUntilExit() async { _ = await process.exit() }
}

/// The server exited or never logged its `listening` line.
public struct ServerDidNotStart: Error, CustomStringConvertible {
    public var log: String
    public var description: String { "switchboard serve did not start listening:\n\(log)" }
}
