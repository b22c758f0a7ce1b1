import LLMSupport
import NIOCore
import Testing

@Suite("SSE parser")
struct SSEParserTests {
    /// Feeds `text` in pieces of `pieceSize` bytes (0 = all at once) and returns every event, with the final flush.
    func parse(_ text: String, pieceSize: Int = 0) -> [SSEEvent] {
        var parser = SSEParser()
        var events: [SSEEvent] = []
        let bytes = Array(text.utf8)
        let size = pieceSize == 0 ? max(bytes.count, 1) : pieceSize
        for start in stride(from: 0, to: bytes.count, by: size) {
            parser.feed(ByteBuffer(bytes: bytes[start..<min(start + size, bytes.count)])) { events.append($0) }
        }
        parser.finish { events.append($0) }
        return events
    }

    @Test("Gemini's CRLF framing and OpenAI's LF framing give the same events")
    func framings() {
        let crlf = parse("data: {\"a\":1}\r\n\r\ndata: {\"a\":2}\r\n\r\n")
        let lf = parse("data: {\"a\":1}\n\ndata: {\"a\":2}\n\n")
        #expect(crlf.map(\.text) == ["{\"a\":1}", "{\"a\":2}"])
        #expect(lf == crlf)
    }

    @Test("mixed line endings are accepted")
    func mixed() {
        #expect(parse("data: one\r\n\ndata: two\n\r\ndata: three\n\n").map(\.text) == ["one", "two", "three"])
    }

    @Test("an event split across network reads at any byte is still one event", arguments: [1, 2, 3, 5, 7, 13])
    func splitAnywhere(pieceSize: Int) {
        let stream = "data: {\"text\":\"Grüße, \\\"Ash\\\"\"}\r\n\r\n: keep-alive\r\n\r\ndata: {\"b\":2}\r\n\r\n"
        #expect(parse(stream, pieceSize: pieceSize).map(\.text) == ["{\"text\":\"Grüße, \\\"Ash\\\"\"}", "{\"b\":2}"])
    }

    @Test("several data lines are joined with a newline; the space after the colon is optional")
    func multiLineData() {
        #expect(parse("data: first\ndata:second\ndata:  third\n\n").map(\.text) == ["first\nsecond\n third"])
    }

    @Test("comments are ignored and event and id fields are kept")
    func fields() {
        let events = parse(": ping\n\nevent: error\nid: 7\nretry: 100\ndata: {\"error\":{}}\n\n")
        #expect(events.count == 1)
        #expect(events[0].event == "error")
        #expect(events[0].id == "7")
        #expect(events[0].text == "{\"error\":{}}")
    }

    @Test("raw JSON without data: is collected until its brackets balance, even across lines and reads", arguments: [0, 4])
    func rawJSON(pieceSize: Int) {
        let body = "{\n  \"error\": {\n    \"code\": 503,\n    \"message\": \"brace } in a string {\",\n    \"status\": \"UNAVAILABLE\"\n  }\n}\n"
        let events = parse(body, pieceSize: pieceSize)
        #expect(events.count == 1)
        #expect(events[0].isRawJSON)
        #expect(events[0].text.hasPrefix("{\n  \"error\""))
        #expect(events[0].text.hasSuffix("}"))
    }

    @Test("a raw JSON error after data events is delivered after them")
    func rawAfterData() {
        let events = parse("data: {\"a\":1}\r\n\r\n[{\"error\": {\"code\": 500}}]\r\n")
        #expect(events.map(\.isRawJSON) == [false, true])
        #expect(events[1].text == "[{\"error\": {\"code\": 500}}]")
    }

    @Test("what is left when the connection closes is flushed as a final event")
    func flushAtEnd() {
        #expect(parse("data: {\"a\":1}\r\n\r\ndata: {\"last\":true}").map(\.text) == ["{\"a\":1}", "{\"last\":true}"])
        #expect(parse("data: [DONE]\n").map(\.text) == ["[DONE]"])
    }

    @Test("blank lines alone produce no events")
    func noEmptyEvents() {
        #expect(parse("\n\n\r\n\r\n: only a comment\n\n").isEmpty)
    }
}
