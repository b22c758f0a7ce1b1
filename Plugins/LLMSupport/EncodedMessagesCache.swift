import PluginAPI
import Synchronization

/// The request-body form of the messages a backend last sent for each conversation (a call). A call's
/// conversation grows by appending, and the LLM must be sent all of it every turn: with the earlier
/// messages kept encoded, a turn writes only what was added since, and checks the rest for equality
/// (strings the host hands over unchanged compare by pointer). Without it, writing the whole conversation
/// was the one per-turn cost that grows with the call's length.
///
/// Bounded by the bytes it keeps; the least recently used conversations go first (a call's entry is
/// dropped this way after the call ended: the backend is not told).
public final class EncodedMessagesCache: Sendable {
    private struct Entry {
        var messages: [ChatMessage]
        /// The first `covered` messages as JSON array elements separated by commas, without the brackets.
        var json: [UInt8]
        var covered: Int
        var lastUse: UInt64
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var bytes = 0
        var clock: UInt64 = 0
    }

    private let state = Mutex(State())
    private let byteLimit: Int

    /// A cache keeping at most `byteLimit` bytes of encoded messages.
    public init(byteLimit: Int = 32 << 20) {
        self.byteLimit = byteLimit
    }

    /// `messages` as JSON array elements separated by commas (without the brackets), each written by
    /// `write`. For a `conversation` seen before, only the messages added since its last request are
    /// written, provided the earlier ones are unchanged; nil `conversation` writes everything.
    public func elements(
        of messages: [ChatMessage], conversation: String?, write: (ChatMessage, inout JSONOutput) -> Void
    ) -> [UInt8] {
        guard let conversation else { return Self.encode(messages[...], after: [], write: write) }
        let prefix = reusablePrefix(of: messages, conversation: conversation)
        let json = Self.encode(messages[(prefix?.covered ?? 0)...], after: prefix?.json ?? [], write: write)
        store(json, covering: messages.count, of: messages, for: conversation)
        return json
    }

    /// What was kept for `conversation`, when `messages` begins with all the messages it was stored with:
    /// the JSON elements (comma-separated, no brackets) of the first `covered` of them. For a backend whose
    /// last element may still grow with the next messages (Gemini merges adjacent turns), `covered` stops
    /// before it.
    public func reusablePrefix(of messages: [ChatMessage], conversation: String?) -> (json: [UInt8], covered: Int)? {
        guard let conversation, let cached = state.withLock({ $0.entries[conversation] }),
            cached.messages.count <= messages.count, messages[..<cached.messages.count].elementsEqual(cached.messages)
        else { return nil }
        return (cached.json, cached.covered)
    }

    /// Keeps `json`, the elements of `messages[..<covered]`, as `conversation`'s most recent entry.
    public func store(_ json: [UInt8], covering covered: Int, of messages: [ChatMessage], for conversation: String) {
        state.withLock { state in
            state.clock += 1
            let entry = Entry(messages: messages, json: json, covered: covered, lastUse: state.clock)
            state.bytes += entry.json.count - (state.entries[conversation]?.json.count ?? 0)
            state.entries[conversation] = entry
            guard state.bytes > byteLimit else { return }
            // Down to half the limit at once (an eviction sorts), keeping the conversation just stored.
            for (key, old) in state.entries.sorted(by: { $0.value.lastUse < $1.value.lastUse })
            where state.bytes > byteLimit / 2 && key != conversation {
                state.bytes -= old.json.count
                state.entries[key] = nil
            }
        }
    }

    /// `head` followed by `messages`, comma-separated.
    private static func encode(
        _ messages: ArraySlice<ChatMessage>, after head: [UInt8], write: (ChatMessage, inout JSONOutput) -> Void
    ) -> [UInt8] {
        var json = JSONOutput(capacity: head.count + messages.count * 128)
        if !head.isEmpty {
            json.element()
            json.encoded(head)
        }
        for message in messages {
            json.element()
            write(message, &json)
        }
        return json.bytes
    }
}
