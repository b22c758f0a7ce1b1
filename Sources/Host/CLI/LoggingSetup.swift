import Foundation
import Logging
import Synchronization

/// Sends swift-log output to standard error (stdout is reserved for command output) at a chosen level.
enum LoggingSetup {
    private static let done = Mutex(false)

    /// Bootstraps logging once per process; later calls only build loggers.
    static func logger(level: Logger.Level, label: String = "switchboard") -> Logger {
        done.withLock { bootstrapped in
            if !bootstrapped {
                LoggingSystem.bootstrap { label in
                    var handler = StandardErrorLogHandler(label: label)
                    handler.logLevel = .trace
                    return handler
                }
                bootstrapped = true
            }
        }
        var logger = Logger(label: label)
        logger.logLevel = level
        return logger
    }
}
