import PluginAPI
import Testing

@Suite struct JSONSchemaTests {
    let orderSchema = JSONSchema.object([
        .init("item", .string("Menu item id"), required: true),
        .init("quantity", .integer(minimum: 1, maximum: 20), required: true),
        .init("size", .string(enum: ["small", "large"])),
        .init("options", .array(of: .string(), maxItems: 3)),
    ])

    @Test func acceptsValidArguments() {
        #expect(orderSchema.validate(["item": "margherita", "quantity": 2, "size": "large", "options": ["extra cheese"]]).isEmpty)
    }

    @Test func listsEveryProblem() {
        let problems = orderSchema.validate(["quantity": 0, "size": "medium", "options": [1, "a", "b", "c"], "colour": "red"])
        let descriptions = Set(problems.map(\.description))
        #expect(descriptions == [
            "/item: is required",
            "/quantity: must be ≥ 1",
            #"/size: must be one of "small", "large""#,
            "/options: must have at most 3 items",
            "/options/0: expected string, got integer",
            "/colour: is not an allowed property",
        ])
    }

    @Test func integerAcceptsWholeDoublesOnly() {
        let schema = JSONSchema.integer()
        #expect(schema.validate(.double(3.0)).isEmpty)
        #expect(schema.validate(.double(3.5)).count == 1)
    }

    @Test func checksAlternatives() throws {
        let schema = JSONSchema(try JSONValue(parsing: #"{"oneOf": [{"type": "string"}, {"type": "integer"}]}"#))
        #expect(schema.validate("x").isEmpty)
        #expect(schema.validate(true).map(\.message) == ["must match exactly one of 2 alternatives"])
    }
}
