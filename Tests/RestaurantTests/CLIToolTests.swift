import Foundation
import PluginAPI
import SwitchboardTesting
import Testing

/// `switchboard tool` on the shipped restaurants: stdout is exactly the tool's JSON.
@Suite struct CLIToolTests {
    static let yaml = """
        llms:
          flash: { plugin: gemini, model: gemini-2.5-flash, api_key: "${SWITCHBOARD_TEST_UNSET_KEY}" }
        agents:
          bella-napoli:
            language: en-US
            persona: prompts/restaurant.md
            llm: flash
            skills:
              - restaurant: { profile: data/bella-napoli/restaurant.yaml, menu: data/bella-napoli/menu.yaml }
        """

    @Test func searchMenuFromTheCommandLine() async throws {
        let config = try TestFixtures.writeConfig(Self.yaml, files: RestaurantFixtures.files())
        let result = try await BuiltBinary.run(["tool", "bella-napoli", "search_menu", #"{"query":"a large pep"}"#, "--config", config])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try JSONValue(parsing: result.stdout)
        #expect(json["best"] == "pizza-pepperoni")
        #expect(json["matches"]?[0]?["options_heard"] == ["Large 16 inch"])
        #expect(result.stderr.contains("say: Best match: Pepperoni Pizza, $16.00."))
    }

    @Test func runsShareACallsOrder() async throws {
        let config = try TestFixtures.writeConfig(Self.yaml, files: RestaurantFixtures.files())
        let common = ["--config", config, "--call", "cli-order", "--now", "2026-03-06T18:00:00-08:00"]
        let added = try await BuiltBinary.run(["tool", "bella-napoli", "add_to_order", #"{"item":"margherita","options":["large"]}"#] + common)
        #expect(added.status == 0, "\(added.stderr)")
        let missing = try await BuiltBinary.run(["tool", "bella-napoli", "add_to_order", #"{"item":"margherita"}"#] + common)
        #expect(missing.status == 1)  // a tool error: the size is missing
        let viewed = try await BuiltBinary.run(["tool", "bella-napoli", "view_order", "{}"] + common)
        #expect(try JSONValue(parsing: viewed.stdout)["total_minor"] == 2064)  // 19.00 + 8.625 % tax
    }
}
