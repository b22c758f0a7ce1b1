import Foundation
import Synchronization

/// A child process for tests and benchmarks, started with `posix_spawn`: standard output and error go to
/// files that only the child opens, the parent's other descriptors are closed in the child, and one thread
/// of its own waits for the exit.
///
/// Not Foundation's `Process`: on Linux that one creates run loops on the calling thread (a thread of the
/// cooperative pool here), a socket pair per child and file handles the parent closes on deallocation,
/// all inside a process whose event loops own hundreds of sockets. A test process should touch no
/// descriptor it did not open itself; this type opens none in the parent.
public final class ChildProcess: Sendable {
    /// How a child ended.
    public enum Exit: Sendable, Equatable {
        case exited(Int32)
        case signalled(Int32)

        /// The exit status, or 128 + the signal (as a shell reports it).
        public var status: Int32 {
            switch self {
            case .exited(let code): return code
            case .signalled(let signal): return 128 + signal
            }
        }
    }

    /// A spawn that failed, with the `errno` it returned.
    public struct SpawnFailed: Error, CustomStringConvertible {
        public var executable: String
        public var code: Int32
        public var description: String { "cannot start \(executable): \(String(cString: strerror(code)))" }
    }

    public let pid: pid_t
    private let state = Mutex<(exit: Exit?, waiters: [CheckedContinuation<Exit, Never>])>((nil, []))

    /// Starts `executable` with `arguments` and exactly `environment`; its standard output goes to the file
    /// `output` and its standard error to `error` (the same path for both is allowed), each created or
    /// truncated. Standard input is `/dev/null`.
    public init(executable: String, arguments: [String], environment: [String: String], output: String, error: String) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if error == output {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        } else {
            posix_spawn_file_actions_addopen(&actions, 2, error, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        }
        guard let closeFrom = Self.addCloseFrom else { throw SpawnFailed(executable: executable, code: ENOSYS) }
        _ = closeFrom(&actions, 3)

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid = pid_t()
        let code = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard code == 0 else { throw SpawnFailed(executable: executable, code: code) }
        self.pid = pid
        Thread { [self] in reap() }.start()
    }

    /// Sends `signal` to the child (nothing once it has been reaped).
    public func send(_ signal: Int32) {
        state.withLock { state in
            if state.exit == nil { kill(pid, signal) }
        }
    }

    /// Whether the child has not exited yet.
    public var isRunning: Bool { state.withLock { $0.exit == nil } }

    /// Waits for the child to end, without blocking a thread of the cooperative pool.
    public func exit() async -> Exit {
        await withCheckedContinuation { continuation in
            let exit = state.withLock { state -> Exit? in
                if state.exit == nil { state.waiters.append(continuation) }
                return state.exit
            }
            if let exit { continuation.resume(returning: exit) }
        }
    }

    /// On the waiting thread: blocks in `waitpid` until the child ends, then wakes everyone waiting.
    private func reap() {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1, errno == EINTR {}
        let exit: Exit = status & 0x7F == 0 ? .exited((status >> 8) & 0xFF) : .signalled(status & 0x7F)
        let waiters = state.withLock { state in
            state.exit = exit
            defer { state.waiters = [] }
            return state.waiters
        }
        waiters.forEach { $0.resume(returning: exit) }
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which Swift's Glibc module does
    /// not import: closes every descriptor from the given one up in the child.
    private static let addCloseFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()
}
