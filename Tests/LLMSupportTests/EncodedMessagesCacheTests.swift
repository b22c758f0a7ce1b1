import LLMSupport
import PluginAPI
import Testing

@Suite("Encoded messages kept per conversation")
struct EncodedMessagesCacheTests {
    /// Writes a message as its text in quotes, counting the writes.
    final class CountingWriter {
        var writes = 0
        func write(_ message: ChatMessage, _ json: inout JSONOutput) {
            writes += 1
            if case .user(let text) = message { json.string(text) } else { json.null() }
        }
    }

    @Test("a growing conversation writes only its new messages; an edited one is written again; nil id writes all")
    func writesOnlyWhatWasAdded() {
        let cache = EncodedMessagesCache()
        let writer = CountingWriter()
        let first: [ChatMessage] = [.user("a"), .user("b")]
        #expect(String(decoding: cache.elements(of: first, conversation: "call_1", write: writer.write), as: UTF8.self) == #""a","b""#)
        #expect(writer.writes == 2)

        let grown = first + [.user("c")]
        #expect(String(decoding: cache.elements(of: grown, conversation: "call_1", write: writer.write), as: UTF8.self) == #""a","b","c""#)
        #expect(writer.writes == 3)

        let edited: [ChatMessage] = [.user("a"), .user("B"), .user("c")]
        #expect(String(decoding: cache.elements(of: edited, conversation: "call_1", write: writer.write), as: UTF8.self) == #""a","B","c""#)
        #expect(writer.writes == 6)

        _ = cache.elements(of: grown, conversation: nil, write: writer.write)
        _ = cache.elements(of: grown, conversation: "call_2", write: writer.write)
        #expect(writer.writes == 12)
        #expect(cache.elements(of: [], conversation: "call_3", write: writer.write).isEmpty)
    }

    @Test("past its byte limit the least recently used conversations are dropped and written again in full")
    func evicts() {
        let cache = EncodedMessagesCache(byteLimit: 16)
        let writer = CountingWriter()
        let long: [ChatMessage] = [.user("0123456789")]
        _ = cache.elements(of: long, conversation: "old", write: writer.write)
        _ = cache.elements(of: long, conversation: "new", write: writer.write)
        #expect(writer.writes == 2)
        _ = cache.elements(of: long, conversation: "new", write: writer.write)
        #expect(writer.writes == 2)
        _ = cache.elements(of: long, conversation: "old", write: writer.write)
        #expect(writer.writes == 3)
    }
}
