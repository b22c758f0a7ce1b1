import PluginAPI
import Synchronization

/// The request-body form of the tool lists a backend sent last. An agent offers the same tools on every
/// turn, so their schemas are written once instead of on every request; when the host passes the same
/// array each time, the check is a pointer comparison.
public final class EncodedToolsCache: Sendable {
    private let entries = Mutex<[(tools: [ToolDefinition], json: [UInt8])]>([])
    /// How many distinct tool lists are remembered (one per agent sharing the backend, typically).
    private let capacity: Int

    public init(capacity: Int = 8) {
        self.capacity = capacity
    }

    /// The encoded form of `tools`, written by `encode` when it is not remembered yet.
    public func json(for tools: [ToolDefinition], encode: ([ToolDefinition]) -> [UInt8]) -> [UInt8] {
        if let hit = entries.withLock({ entries in entries.first { $0.tools == tools }?.json }) { return hit }
        let json = encode(tools)
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeFirst() }
            entries.append((tools, json))
        }
        return json
    }
}
