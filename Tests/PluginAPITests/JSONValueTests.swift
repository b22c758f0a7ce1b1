import Foundation
import PluginAPI
import Testing

@Suite struct JSONValueTests {
    @Test func parsesAndWritesCanonicalJSON() throws {
        let value = try JSONValue(parsing: #"{"b": [1, 2.5, true, null], "a": "x\"y\n", "c": {"z": 1, "y": "ü"}}"#)
        #expect(value["b"]?[0] == .int(1))
        #expect(value["b"]?[1] == .double(2.5))
        #expect(value.canonicalJSON == #"{"a":"x\"y\n","b":[1,2.5,true,null],"c":{"y":"ü","z":1}}"#)
    }

    @Test func equalValuesGiveEqualBytes() throws {
        let first = try JSONValue(parsing: #"{"quantity": 2, "item": "pizza"}"#)
        let second = try JSONValue(parsing: #"{"item":"pizza","quantity":2}"#)
        #expect(first.canonicalJSON == second.canonicalJSON)
    }

    @Test func keepsIntegersExact() throws {
        let value = try JSONValue(parsing: "[9007199254740993, 12.0, 1e3]")
        #expect(value[0] == .int(9_007_199_254_740_993))
        #expect(value[1]?.intValue == 12)
        #expect(value.canonicalJSON == "[9007199254740993,12,1000]")
    }

    @Test func escapesControlCharacters() {
        let value = JSONValue.string("tab\tbell\u{07}")
        #expect(value.canonicalJSON == #""tab\tbell\u0007""#)
    }

    @Test func reportsMalformedJSON() {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: #"{"a": "#) }
    }

    @Test func roundTripsThroughCodable() throws {
        let value: JSONValue = ["name": "Ada", "tags": ["x", 1, 2.5, false, nil]]
        let data = try JSONEncoder().encode(value)
        #expect(try JSONDecoder().decode(JSONValue.self, from: data) == value)
    }
}
