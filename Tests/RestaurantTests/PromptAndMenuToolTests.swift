import Foundation
import Host
import PluginAPI
import Restaurant
import SwitchboardTesting
import Testing

/// What the LLM sees: the persona filled with the restaurant's variables, and the menu tools' answers.
@Suite struct PromptAndMenuToolTests {
    func persona(_ agentID: String, at now: Date) async throws -> String {
        let runtime = try await RestaurantFixtures.runtime(at: now)
        let agent = try #require(runtime.catalog.agent(agentID))
        let context = HookContext(
            agentID: agentID, timeZone: agent.timeZone, clock: .fixed(now), logger: TestFixtures.quietLogger,
            storage: runtime.database, jobs: runtime.jobs, services: runtime.services)
        let variables = try await agent.skills[0].skill.promptVariables(for: CallInfo(callID: "c", agentID: agentID), context: context)
        await runtime.shutdown()
        return agent.persona.render([
            "restaurant": variables, "now": ["weekday": "Friday", "date": "2026-03-06", "time": "18:00"],
            "call": ["caller_number": "+14155550199"],
        ])
    }

    @Test func theEnglishPersonaCarriesHoursSpecialsAndMenu() async throws {
        let text = try await persona("bella-napoli", at: RestaurantFixtures.fridayEveningInSanFrancisco)
        #expect(text.hasPrefix("You are the phone host of Bella Napoli, 1418 Stockton Street, San Francisco, CA 94133."))
        #expect(text.contains("Open now until 1 AM. Today's hours: 11:30 AM to 2:30 PM and 5 PM to 1 AM."))
        #expect(text.contains("Today's specials: Diavola Pizza, $17.00, with Calabrian chili honey; Cioppino, $32.00, fresh from the wharf."))
        #expect(text.contains("Pizza: Margherita Pizza $14.00, Pepperoni Pizza $16.00,"))
        #expect(!text.contains("Gelato"))  // sold out today
        #expect(text.contains("defaults to the caller's number (+14155550199)"))
        #expect(!text.contains("{{"))
    }

    @Test func theGermanPersonaSpeaksGerman() async throws {
        // Saturday 2026-03-07, 11:00 in Munich: closed until 17:00.
        let text = try await persona("trattoria-da-enzo", at: RestaurantFixtures.date("2026-03-07T10:00:00Z"))
        #expect(text.contains("Jetzt geschlossen; wir öffnen heute um 17:00 Uhr. Öffnungszeiten heute: 17:00 Uhr bis 0:30 Uhr."))
        #expect(text.contains("Tagesempfehlungen: Saltimbocca alla Romana, 24,50 €, mit frischem Salbei; Risotto ai Funghi, 17,50 €, mit Steinpilzen aus dem Allgäu."))
        #expect(text.contains("Lieferung in 80799, 80798, 80801, 80333; Mindestbestellwert 20,00 €, Liefergebühr 3,50 €."))
        #expect(text.contains("Pizza: Pizza Margherita 10,50 €"))
    }

    @Test func searchMenuAnswersShortAndStructured() async throws {
        let runtime = try await RestaurantFixtures.runtime()
        let caller = Caller(runtime: runtime, agentID: "bella-napoli")
        let pep = try await caller.run("search_menu", ["query": "a large pep"])
        #expect(pep.value["best"] == "pizza-pepperoni")
        #expect(pep.value["matches"]?[0]?["options_heard"] == ["Large 16 inch"])
        #expect(pep.text == "Best match: Pepperoni Pizza, $16.00.")

        let margherita = try await caller.run("search_menu", ["query": "margarita"])
        #expect(margherita.text == "Best match: Margherita Pizza, $14.00. Needs a choice of Size: Small 10 inch, Medium 12 inch or Large 16 inch.")

        let vague = try await caller.run("search_menu", ["query": "pizza"])
        #expect(vague.value["best"] == nil)
        #expect(vague.text?.hasPrefix("Several items match: ") == true)

        let nothing = try await caller.run("search_menu", ["query": "sushi"])
        #expect(nothing.value["matches"] == [])
        #expect(nothing.text == "Nothing on the menu matches 'sushi'. Do not invent it.")

        let details = try await caller.run("get_item_details", ["item": "caesar salad"])
        #expect(details.text == "Caesar Salad, $11.00. Romaine, parmesan, croutons, house Caesar dressing. Add protein: Grilled chicken +$5.00, Shrimp +$7.00.")
        #expect(details.value["option_groups"]?[0]?["options"]?[1]?["price_minor"] == 700)
        await runtime.shutdown()
    }
}
