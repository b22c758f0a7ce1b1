#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's limit on open file descriptors, which caps the calls one instance can hold: each call
/// keeps Retell's socket and, while it talks, a connection to its LLM open. Shells often start processes with
/// a soft limit of 1024, far below the hard limit the system allows.
public struct OpenFileLimit: Sendable, Equatable {
    /// Descriptors the process may open now.
    public var soft: Int
    /// The ceiling the soft limit may be raised to without privileges.
    public var hard: Int

    /// Descriptors kept apart from calls: the listener, the database, log files, the runtime's own.
    static let reserved = 64

    public init(soft: Int, hard: Int) {
        self.soft = soft
        self.hard = hard
    }

    /// The limits in force, or `nil` when the system does not say.
    public static func current() -> OpenFileLimit? {
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { return nil }
        return OpenFileLimit(soft: count(limit.rlim_cur), hard: count(limit.rlim_max))
    }

    /// Raises the soft limit to the hard one and returns the limits in force afterwards (`nil` when they
    /// cannot be read). Raising the soft limit needs no privileges.
    @discardableResult
    public static func raiseToHard() -> OpenFileLimit? {
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { return nil }
        // An unlimited hard limit is not a valid soft one for descriptors (the kernel caps it at `nr_open`,
        // 2^20 by default), so that is asked for instead.
        let target = limit.rlim_max == rlim_t.max ? rlim_t(1 << 20) : limit.rlim_max
        if limit.rlim_cur < target {
            limit.rlim_cur = target
            _ = setrlimit(resource, &limit)  // on failure the limits read below tell what is in force
        }
        return current()
    }

    /// About how many calls fit in ``soft``: two descriptors per call after ``reserved``.
    public var concurrentCalls: Int { max(0, (soft - Self.reserved) / 2) }

    #if canImport(Glibc)
    private static let resource = Int32(RLIMIT_NOFILE.rawValue)
    #else
    private static let resource = RLIMIT_NOFILE
    #endif

    private static func count(_ value: rlim_t) -> Int {
        value > rlim_t(Int.max) ? Int.max : Int(value)  // RLIM_INFINITY is the largest rlim_t
    }
}
