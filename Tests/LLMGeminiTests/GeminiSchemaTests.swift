import LLMGemini
import PluginAPI
import SwitchboardTesting
import Testing

@Suite("Gemini schema sanitising")
struct GeminiSchemaTests {
    @Test("$ref is inlined, oneOf/anyOf with null become nullable, and keywords Gemini rejects are dropped")
    func sanitizes() throws {
        let schema = try JSONValue(parsing: """
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "type": "object",
          "additionalProperties": false,
          "x-internal": true,
          "$defs": {
            "Item": {
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "name": {"type": "string", "minLength": 1},
                "size": {"enum": ["small", "large"]},
                "quantity": {"type": "integer", "exclusiveMinimum": 0, "format": "int32"}
              },
              "required": ["name", "ghost"]
            }
          },
          "properties": {
            "items": {"type": "array", "items": {"$ref": "#/$defs/Item"}, "minItems": 1},
            "note": {"oneOf": [{"type": "string"}, {"type": "null"}], "description": "Kitchen note"},
            "when": {"type": ["string", "null"], "format": "date-time"},
            "mode": {"const": "pickup"},
            "table": {"enum": [1, 2, 3]},
            "contact": {"anyOf": [{"type": "string", "format": "email"}, {"type": "integer"}]}
          },
          "required": ["items"]
        }
        """)
        let expected = try JSONValue(parsing: """
        {
          "type": "OBJECT",
          "properties": {
            "items": {"type": "ARRAY", "minItems": 1, "items": {
              "type": "OBJECT",
              "properties": {
                "name": {"type": "STRING", "minLength": 1},
                "size": {"enum": ["small", "large"]},
                "quantity": {"type": "INTEGER", "format": "int32"}
              },
              "required": ["name"]
            }},
            "note": {"type": "STRING", "nullable": true, "description": "Kitchen note"},
            "when": {"type": "STRING", "format": "date-time", "nullable": true},
            "mode": {"enum": ["pickup"]},
            "table": {},
            "contact": {"anyOf": [{"type": "STRING"}, {"type": "INTEGER"}]}
          },
          "required": ["items"]
        }
        """)
        #expect(GeminiSchema.sanitize(schema) == expected)
    }

    @Test("a recursive reference stops at a plain object instead of looping")
    func recursive() throws {
        let schema = try JSONValue(parsing: """
        {"type": "object", "properties": {"root": {"$ref": "#/definitions/Node"}},
         "definitions": {"Node": {"type": "object", "properties": {"child": {"$ref": "#/definitions/Node", "description": "next"}}}}}
        """)
        let sanitized = GeminiSchema.sanitize(schema)
        #expect(sanitized["properties"]?["root"]?["properties"]?["child"] == ["type": "OBJECT", "description": "next"])
    }

    @Test("allOf parts merge into one object; a tool without arguments sends no parameters")
    func allOfAndEmpty() throws {
        let schema = try JSONValue(parsing: """
        {"allOf": [{"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]},
                   {"properties": {"b": {"type": "boolean"}}, "required": ["b"]}]}
        """)
        #expect(GeminiSchema.sanitize(schema) == ["type": "OBJECT", "properties": ["a": ["type": "STRING"], "b": ["type": "BOOLEAN"]], "required": ["a", "b"]])
        #expect(GeminiSchema.parameters(for: JSONSchema.empty.json) == nil)
    }
}
