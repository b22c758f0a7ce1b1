import PluginAPI
import Testing

@Suite struct JSONReaderTests {
    /// Reads `{"role": …, "content": …}` the way a hot path does: pull the members wanted, skip the rest.
    private func utterance(_ json: String) throws -> (role: String, content: String) {
        try JSONReader.read(json) { reader in
            var role = ""
            var content = ""
            try reader.enterObject()
            while let key = try reader.nextKey() {
                switch key {
                case "role": role = try reader.readString()
                case "content": content = try reader.readString()
                default: try reader.skipValue()
                }
            }
            try reader.expectEnd()
            return (role, content)
        }
    }

    @Test func pullsTheMembersItWantsAndSkipsTheRest() throws {
        let json = #"{"role":"user","words":[{"word":"Hi","start":0.12,"end":0.4e1},{"word":"\"there\"","start":-1,"end":null}],"content":"Hi there","x":{"deep":[[],{},true,false]}}"#
        let read = try utterance(json)
        #expect(read.role == "user")
        #expect(read.content == "Hi there")
    }

    @Test func decodesEveryEscape() throws {
        let json = #"{"role":"agent","content":"a\"b\\c\/d\b\f\n\r\t \u00e9 \ud83d\ude00 \u20AC"}"#
        #expect(try utterance(json).content == "a\"b\\c/d\u{08}\u{0C}\n\r\t é 😀 €")
    }

    @Test func keepsUTF8AsIs() throws {
        #expect(try utterance(#"{"content":"Grüß Gott, 2 Pizzen 🍕"}"#).content == "Grüß Gott, 2 Pizzen 🍕")
    }

    @Test func reportsWhereTheTextBreaks() {
        let broken = [
            #"{"role":"user""#, #"{"role":"user",}"#, #"{"role" "user"}"#, #"{"role":"us"#, #"{"role":"a\qb"}"#,
            #"{"role":"user"} x"#, #"{"words":[1,2}"#, #"{"words":[01]}"#, #"{"words":[1.]}"#, #"{"words":[tru]}"#,
            "{\"role\":\"line\nbreak\"}", #"["not an object"]"#, "",
        ]
        for text in broken {
            #expect(throws: JSONReadError.self, "\(text)") { try utterance(text) }
        }
        #expect(throws: JSONReadError.self) { try utterance(String(repeating: "[", count: 600) + "]") }
    }

    @Test func skipsMembersTheCallerAlreadyKnows() throws {
        let earlier = #"["one", "two"]"#
        let later = #"["one", "two", "three"]"#
        // "one", "two" end at the same offset in both texts: the reader goes on after them.
        let texts = try JSONReader.read(later) { reader in
            try reader.enterArray()
            reader.skipMembers(to: earlier.utf8.count - 1)
            var texts: [String] = []
            while try reader.nextElement() { texts.append(try reader.readString()) }
            try reader.expectEnd()
            return texts
        }
        #expect(texts == ["three"])
    }

    @Test func readsNumbers() throws {
        let values = try JSONReader.read(#"[7, -12, 3.0, 2.5e2, 9223372036854775807, null]"#) { reader in
            try reader.enterArray()
            var ints: [Int] = []
            for _ in 0..<3 {
                _ = try reader.nextElement()
                ints.append(try reader.readInt())
            }
            _ = try reader.nextElement()
            let double = try reader.readDouble()
            _ = try reader.nextElement()
            ints.append(try reader.readInt())
            _ = try reader.nextElement()
            let isNull = reader.readNull()
            #expect(try reader.nextElement() == false)
            return (ints, double, isNull)
        }
        #expect(values.0 == [7, -12, 3, Int.max])
        #expect(values.1 == 250)
        #expect(values.2)
        #expect(throws: JSONReadError.self) { try JSONReader.read("2.5") { try $0.readInt() } }
    }

    @Test func readsFreeFormValues() throws {
        let value = try JSONReader.read(#"{"a":[1,2.5,"x",true,null,{"k\u00e9y":{}}],"n":-0}"#) { try $0.readValue() }
        #expect(value == ["a": [1, 2.5, "x", true, nil, ["kéy": [:]]], "n": 0])
    }
}

@Suite struct JSONOutputTests {
    @Test func writesAShapeWithCommasInPlace() {
        var json = JSONOutput()
        json.beginObject()
        json.key("model")
        json.string("m")
        json.key("messages")
        json.beginArray()
        for text in ["hi", "say \"cheese\"\n"] {
            json.element()
            json.beginObject()
            json.key("content")
            json.string(text)
            json.endObject()
        }
        json.endArray()
        json.key("empty")
        json.beginObject()
        json.endObject()
        json.key("n")
        json.double(2.5)
        json.key("args")
        json.value(["b": 1, "a": [true, nil]])
        json.endObject()
        #expect(json.text == #"{"model":"m","messages":[{"content":"hi"},{"content":"say \"cheese\"\n"}],"empty":{},"n":2.5,"args":{"a":[true,null],"b":1}}"#)
    }

    @Test func escapesASpecialCharacterWhereverItSits() throws {
        // The scanners look at eight bytes at a time: put each kind of special character at every position.
        for special in ["\"", "\\", "\n", "\u{1F}", "é", "😀"] {
            for position in 0...20 {
                var text = String(repeating: "a", count: 20)
                text.insert(contentsOf: special, at: text.index(text.startIndex, offsetBy: position))
                let json = JSONValue.string(text).canonicalJSON
                #expect(try JSONValue(parsing: json) == .string(text), "\(json)")
                #expect(try JSONReader.read(json) { try $0.readString() } == text)
            }
        }
    }

    @Test func whatItWritesReadsBack() throws {
        let value: JSONValue = ["text": "tab\t, bell\u{07}, quote \", backslash \\, é, 😀", "list": [1, -2, 3.25, false]]
        #expect(try JSONValue(parsing: value.canonicalJSON) == value)
    }
}
