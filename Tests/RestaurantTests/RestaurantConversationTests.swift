import Foundation
import Host
import PluginAPI
import Restaurant
import SQLKit
import SwitchboardTesting
import Testing

/// A phone order end to end: fake Retell caller → real server and engine → scripted LLM → restaurant tools → database.
@Suite struct RestaurantConversationTests {
    @Test func aCallerOrdersTwoLargePizzasWithExtraCheeseAndConfirms() async throws {
        let llm = ScriptedLLM([
            .init(.userSays("two large pizzas"), say: ["Sure! "], toolCalls: [("add_to_order", ["item": "margherita", "quantity": 2, "options": ["large", "extra cheese"]])]),
            .init(.toolResult("add_to_order"), toolCalls: [("view_order", [:])]),
            .init(.toolResult("view_order"), say: ["Two large Margheritas with extra cheese. ", "Shall I place the order?"]),
            .init(.userSays("confirm"), toolCalls: [("confirm_order", ["name": "Ada", "fulfilment": "pickup"])]),
            .init(.toolResult("confirm_order"), say: ["Your order is placed, Ada. ", "See you soon!"]),
        ])
        let runtime = try await TestFixtures.runtime(
            yaml: RestaurantFixtures.yaml, files: try RestaurantFixtures.files(), plugins: [RestaurantPlugin(), ScriptedLLMPlugin(llm)],
            clock: .fixed(RestaurantFixtures.fridayEveningInSanFrancisco))
        try await LiveServer.run(runtime) { port in
            try await FakeRetellCaller.call("ws://127.0.0.1:\(port)/llm-websocket/bella-napoli/call_pizza") { caller in
                try await caller.sendCallDetails(callID: "call_pizza", from: "+14155550199")
                _ = try await caller.response(0)
                try await caller.ask(1, "Hi, I'd like two large pizzas with extra cheese, margherita please")
                let summary = try await caller.response(1)
                #expect(summary.text == "Sure! Two large Margheritas with extra cheese. Shall I place the order?")
                let view = try await caller.waitFor { $0["response_type"] == "tool_call_invocation" && $0["name"] == "view_order" }
                let viewed = try await caller.waitFor { $0["response_type"] == "tool_call_result" && $0["tool_call_id"] == view["tool_call_id"] }
                let order = try JSONValue(parsing: viewed["content"]?.stringValue ?? "{}")
                // (14.00 + 5.00 large + 1.50 extra cheese) × 2 = 41.00, plus 8.625 % tax (3.54) = 44.54.
                #expect(order["total_minor"] == 4454)
                try await caller.ask(2, "Yes, confirm it for pickup, my name is Ada")
                #expect(try await caller.response(2).text == "Your order is placed, Ada. See you soon!")
            }
        }
        let db = runtime.database.sql
        let orderRow = try #require(try await db.select().columns("id", "status", "customer_name", "customer_phone", "subtotal_minor", "tax_minor", "total_minor")
            .from("restaurant_orders").where("call_id", .equal, SQLBind("call_pizza")).first())
        #expect(try orderRow.decode(column: "status", as: String.self) == "confirmed")
        #expect(try orderRow.decode(column: "customer_name", as: String.self) == "Ada")
        #expect(try orderRow.decode(column: "customer_phone", as: String.self) == "+14155550199")
        #expect(try orderRow.decode(column: "subtotal_minor", as: Int.self) == 4100)
        #expect(try orderRow.decode(column: "total_minor", as: Int.self) == 4454)
        let lines = try await db.select().columns("item_id", "quantity", "unit_price_minor", "line_total_minor", "options").from("restaurant_order_lines")
            .where("order_id", .equal, SQLBind(try orderRow.decode(column: "id", as: Int64.self))).all()
        #expect(lines.count == 1)
        #expect(try lines.first?.decode(column: "item_id", as: String.self) == "pizza-margherita")
        #expect(try lines.first?.decode(column: "quantity", as: Int.self) == 2)
        #expect(try lines.first?.decode(column: "line_total_minor", as: Int.self) == 4100)
        #expect(try lines.first?.decode(column: "options", as: String.self).contains("extra-cheese") == true)
        await runtime.shutdown()
    }
}
