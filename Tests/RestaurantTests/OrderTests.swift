import Foundation
import Host
import PluginAPI
import Restaurant
import SQLKit
import SwitchboardTesting
import Testing

/// Taking a phone order through the real tool router: the cart lives in the database.
@Suite struct OrderTests {
    @Test(arguments: try TestFixtures.databases())
    func totalsAddUpOptionsAndTaxExactly(_ database: String?) async throws {
        let runtime = try await RestaurantFixtures.runtime(database: database)
        let caller = Caller(runtime: runtime, agentID: "bella-napoli")
        // 2 × (16.00 + large 5.00 + extra cheese 1.50) = 45.00
        let pizzas = try await caller.run("add_to_order", ["item": "pepperoni pizza", "quantity": 2, "options": ["large", "extra cheese"]])
        #expect(!pizzas.isError)
        #expect(pizzas.value["added"]?["total_minor"] == 4500)
        // 11.00 + shrimp 7.00 = 18.00
        try await caller.run("add_to_order", ["item": "caesar-salad", "options": ["shrimp"], "notes": "dressing on the side"])
        let order = try await caller.run("view_order")
        #expect(order.value["subtotal_minor"] == 6300)
        #expect(order.value["tax_minor"] == 543)  // 8.625 % of 63.00 = 5.43375, rounded half up once per order
        #expect(order.value["total_minor"] == 6843)
        #expect(order.value["total"] == "$68.43")
        #expect(order.value["lines"]?[1]?["notes"] == "dressing on the side")
        #expect(order.text == "1) 2 × Pepperoni Pizza (Large 16 inch, Extra cheese) $45.00; 2) 1 × Caesar Salad (Shrimp) $18.00. Subtotal $63.00, tax $5.43, total $68.43.")
        await runtime.shutdown()
    }

    @Test func germanPricesIncludeTheTax() async throws {
        let runtime = try await RestaurantFixtures.runtime()
        let caller = Caller(runtime: runtime, agentID: "trattoria-da-enzo")
        try await caller.run("add_to_order", ["item": "Pizza Salami", "options": ["groß"]])      // 12,50 + 3,00
        try await caller.run("add_to_order", ["item": "Apfelschorle", "options": ["0,5 Liter"]])  // 3,50 + 1,20
        let order = try await caller.run("view_order")
        #expect(order.value["total_minor"] == 2020)
        #expect(order.value["tax_minor"] == 132)  // 20,20 − round(20,20 ÷ 1,07) = 20,20 − 18,88
        #expect(order.value["total"] == "20,20 €")
        #expect(order.value["tax_included"] == true)
        await runtime.shutdown()
    }

    @Test func aMissingRequiredChoiceIsNamedAndNothingIsAdded() async throws {
        let runtime = try await RestaurantFixtures.runtime()
        let caller = Caller(runtime: runtime, agentID: "bella-napoli")
        let result = try await caller.run("add_to_order", ["item": "margherita"])
        #expect(result.isError)
        #expect(result.value["missing"]?[0]?["group"] == "Size")
        #expect(result.value["missing"]?[0]?["choices"] == ["Small 10 inch", "Medium 12 inch +$2.00", "Large 16 inch +$5.00"])
        #expect(result.text == "Nothing was added. Still needed — Size: Small 10 inch, Medium 12 inch or Large 16 inch.")
        #expect(try await caller.run("view_order").value["empty"] == true)

        let unknown = try await caller.run("add_to_order", ["item": "margherita", "options": ["small", "anchovies"]])
        #expect(unknown.value["unknown_options"] == ["anchovies"])
        let tooMany = try await caller.run("add_to_order", ["item": "margherita", "options": ["small", "large"]])
        #expect(tooMany.value["too_many"]?[0]?["max"] == 1)
        await runtime.shutdown()
    }

    @Test func itemsThatCannotBeOrderedSaySo() async throws {
        let runtime = try await RestaurantFixtures.runtime()
        let caller = Caller(runtime: runtime, agentID: "bella-napoli")
        #expect(try await caller.run("add_to_order", ["item": "gelato"]).value["error"] == "sold_out")
        #expect(try await caller.run("add_to_order", ["item": "sushi platter"]).value["error"] == "not_on_menu")
        await runtime.shutdown()
    }

    @Test func linesCanBeChangedAndRemoved() async throws {
        let runtime = try await RestaurantFixtures.runtime()
        let caller = Caller(runtime: runtime, agentID: "bella-napoli")
        try await caller.run("add_to_order", ["item": "pizza-margherita", "options": ["small"]])
        try await caller.run("add_to_order", ["item": "tiramisu", "quantity": 2])
        let updated = try await caller.run("update_order_item", ["line": 1, "options": ["medium", "mushrooms"], "quantity": 3])
        #expect(updated.value["updated"]?["total_minor"] == 5250)  // 3 × (14.00 + medium 2.00 + mushrooms 1.50)
        let removed = try await caller.run("remove_from_order", ["line": 2])
        #expect(removed.value["order"]?["subtotal_minor"] == 5250)
        #expect(try await caller.run("remove_from_order", ["line": 5]).value["error"] == "no_such_line")
        await runtime.shutdown()
    }

    @Test(arguments: try TestFixtures.databases())
    func confirmingGivesANumberAndAReadyTimeThatCountsTheQueue(_ database: String?) async throws {
        let runtime = try await RestaurantFixtures.runtime(database: database)
        let first = Caller(runtime: runtime, agentID: "bella-napoli")
        try await first.run("add_to_order", ["item": "lasagna"])  // 20 minutes
        let placed = try await first.run("confirm_order", ["name": "Maria", "fulfilment": "pickup"])
        #expect(!placed.isError)
        #expect(placed.value["ready_at"] == "2026-03-06T18:20")
        #expect(placed.value["ready_time"] == "today at 6:20 PM")
        #expect(placed.value["phone"] == "+14155550199")  // the caller's number
        let number = try #require(placed.value["order_number"]?.stringValue)
        #expect(placed.text == "Order \(number) confirmed for Maria. Ready for pickup today at 6:20 PM. Subtotal $19.00, tax $1.64, total $20.64.")

        // The next caller waits for the lasagna too: 15 minutes for the pizza plus 4 per order in the kitchen.
        let second = Caller(runtime: runtime, agentID: "bella-napoli")
        try await second.run("add_to_order", ["item": "pepperoni", "options": ["small"]])
        let queued = try await second.run("confirm_order", ["name": "Sam", "fulfilment": "pickup", "phone": "+14155550111"])
        #expect(queued.value["ready_at"] == "2026-03-06T18:19")
        #expect(try await second.run("view_order").value["empty"] == true)  // the cart is closed

        let listed = try await runtime.catalog.agent("bella-napoli")!.skills[0].skill.readEndpoints
            .first { $0.name == "orders" }!.handle(["agent": "bella-napoli"], runtime.database)
        #expect(listed["orders"]?.arrayValue?.count == 2)
        #expect(listed["orders"]?[1]?["status"] == "confirmed")
        #expect(listed["orders"]?[1]?["lines"]?[0]?["item_id"] == "lasagna")
        #expect(listed["orders"]?[1]?["total_minor"] == 2064)
        await runtime.shutdown()
    }

    @Test func deliveryChecksThePostcodeAndTheMinimum() async throws {
        let runtime = try await RestaurantFixtures.runtime()
        let caller = Caller(runtime: runtime, agentID: "bella-napoli")
        try await caller.run("add_to_order", ["item": "tiramisu"])
        let far = try await caller.run("confirm_order", ["name": "Lee", "fulfilment": "delivery", "address": "1 Market St, San Francisco 94105"])
        #expect(far.value["error"] == "outside_delivery_area")
        let small = try await caller.run("confirm_order", ["name": "Lee", "fulfilment": "delivery", "address": "500 Union St, 94133"])
        #expect(small.value["error"] == "below_minimum")
        #expect(small.value["missing"] == "$16.00")
        try await caller.run("add_to_order", ["item": "cioppino"])
        let delivered = try await caller.run("confirm_order", ["name": "Lee", "fulfilment": "delivery", "address": "500 Union St, 94133"])
        #expect(delivered.value["delivery_fee_minor"] == 499)
        #expect(delivered.value["total_minor"] == 4953)  // 41.00 + tax 3.54 (8.625 %: 3.53625) + fee 4.99
        #expect(delivered.value["ready_at"] == "2026-03-06T18:55")  // 25 kitchen + 30 driving
        await runtime.shutdown()
    }

    @Test func orderingWhileClosedOffersToSchedule() async throws {
        // Monday: closed all day.
        let monday = RestaurantFixtures.date("2026-03-09T19:00:00Z")
        let runtime = try await RestaurantFixtures.runtime(at: monday)
        var caller = Caller(runtime: runtime, agentID: "bella-napoli")
        caller.now = monday
        try await caller.run("add_to_order", ["item": "calzone"])
        let closed = try await caller.run("confirm_order", ["name": "Kim", "fulfilment": "pickup"])
        #expect(closed.value["error"] == "closed")
        #expect(closed.value["next_opening"] == "2026-03-10T11:30")
        let scheduled = try await caller.run("confirm_order", ["name": "Kim", "fulfilment": "pickup", "time": "2026-03-10T12:00"])
        #expect(scheduled.value["ready_at"] == "2026-03-10T12:00")
        await runtime.shutdown()
    }

    @Test func theCartSurvivesAReconnectToAnotherInstance() async throws {
        let file = try TestFixtures.temporaryDirectory().appendingPathComponent("shared.sqlite").path
        let first = try await RestaurantFixtures.runtime(database: file)
        let callID = "reconnecting-call"
        try await Caller(runtime: first, agentID: "bella-napoli", callID: callID).run("add_to_order", ["item": "cannoli", "quantity": 2])
        await first.shutdown()
        let second = try await RestaurantFixtures.runtime(database: file)
        let order = try await Caller(runtime: second, agentID: "bella-napoli", callID: callID).run("view_order")
        #expect(order.value["subtotal_minor"] == 1600)
        await second.shutdown()
    }

    @Test func anOrderLeftOpenWhenTheCallEndsIsMarkedAbandoned() async throws {
        let runtime = try await RestaurantFixtures.runtime()
        let caller = Caller(runtime: runtime, agentID: "bella-napoli")
        try await caller.run("add_to_order", ["item": "garlic bread"])
        let skill = runtime.catalog.agent("bella-napoli")!.skills[0].skill
        let context = HookContext(
            agentID: "bella-napoli", timeZone: TimeZone(identifier: "America/Los_Angeles")!, clock: .fixed(caller.now),
            logger: TestFixtures.quietLogger, storage: runtime.database, jobs: runtime.jobs, services: runtime.services)
        try await skill.callEnded(CallOutcome(call: caller.call, disconnectionReason: "user_hangup"), context: context)
        let rows = try await runtime.database.sql.select().columns("status", "subtotal_minor").from("restaurant_orders").all()
        #expect(rows.count == 1)
        #expect(try rows[0].decode(column: "status", as: String.self) == "abandoned")
        #expect(try rows[0].decode(column: "subtotal_minor", as: Int.self) == 650)
        #expect(try await caller.run("view_order").value["empty"] == true)
        await runtime.shutdown()
    }
}
