import Foundation
import Logging
import Synchronization

/// Writes log lines to standard error: `2026-03-02T14:05:00+0100 info switchboard: call_id=c1 message`.
///
/// Unlike swift-log's `StreamLogHandler`, metadata is formatted when a line is written, not whenever it
/// changes: the HTTP server and client attach metadata to a logger per request and per connection, and
/// formatting it eagerly cost ~7 % of the server's CPU under engine-bench with logging at `error` (perf).
struct StandardErrorLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    /// One writer at a time, so lines from different threads never interleave.
    private static let output = Mutex(())

    init(label: String, metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider) {
        self.label = label
        self.metadataProvider = metadataProvider
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let explicit = event.metadata { merged.merge(explicit) { _, new in new } }
        var text = Self.timestamp() + " \(event.level) \(label):"
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) { text += " \(key)=\(value)" }
        text += " \(event.message)"
        if let error = event.error { text += " (\(error))" }
        text += "\n"
        Self.output.withLock { _ in FileHandle.standardError.write(Data(text.utf8)) }
    }

    private static func timestamp() -> String {
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &parts)
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
