import Foundation
import PluginAPI
import Restaurant
import SwitchboardTesting
import Testing

/// Mistakes in a restaurant's data files are all reported at once, each with its file, line, column and key.
@Suite struct ConfigErrorTests {
    static let agents = """
        llms:
          test: { plugin: scripted }
        agents:
          bistro:
            persona: prompts/p.md
            llm: test
            skills:
              - restaurant: { profile: data/bistro.yaml, menus: data/menu.yaml }
        """

    static let profile = """
        name: Broken Bistro
        timezone: Europe/Berln
        tax_rat: 7
        hours:
          monday: "25:00-26:00"
          tuesday: ["11:00-15:00", "14:00-22:00"]
          wednesday: closed
          thursday: closed
          friday: closed
          saturday: closed
        specials:
          - item: pizza-salam
        menu:
          categories:
            - id: pizza
              name: Pizza
              items:
                - id: pizza-fungi
                  name: Pizza Funghi
                  price: 9.999
                  options: [size]
                - id: pizza-salami
                  name: Pizza Salami
                  price: 9.50
        """

    @Test func everyProblemIsLocated() async throws {
        let error = await #expect(throws: ConfigErrors.self) {
            try await TestFixtures.catalog(
                yaml: Self.agents, files: ["prompts/p.md": "Hi", "data/bistro.yaml": Self.profile],
                plugins: [RestaurantPlugin(), ScriptedLLMPlugin(ScriptedLLM([]))])
        }
        let lines = try #require(error).issues.map { issue in
            // Paths are temporary folders: keep the file name.
            issue.description.replacingOccurrences(of: (issue.location?.file ?? "") + ":", with: (issue.location.map { URL(fileURLWithPath: $0.file).lastPathComponent } ?? "") + ":")
        }
        #expect(lines == [
            "agents.yaml:8:50: agents.bistro.skills.0.restaurant.menus: unknown key (did you mean 'menu'?)",
            "bistro.yaml:2:11: timezone: unknown IANA timezone 'Europe/Berln' (e.g. America/Los_Angeles, Europe/Berlin)",
            "bistro.yaml:3:1: tax_rat: unknown key (did you mean 'tax_rate'?)",
            "bistro.yaml:5:3: hours: missing 'sunday' (write `sunday: closed` for a closed day)",
            "bistro.yaml:5:11: hours.monday: expected a range such as \"17:00-23:00\" (an end before the start runs past midnight), got '25:00-26:00'",
            "bistro.yaml:6:28: hours.tuesday.1: overlaps the range 11:00-15:00 of the same day",
            "bistro.yaml:12:11: specials.0.item: no menu item 'pizza-salam' (did you mean 'pizza-salami'?)",
            "bistro.yaml:20:18: menu.categories.0.items.0.price: expected an amount such as 12.50 (at most two decimals), got a number",
            "bistro.yaml:21:21: menu.categories.0.items.0.options.0: no option group 'size'",
        ])
    }

    @Test func aMissingDataFileIsReportedWhereItIsNamed() async throws {
        let error = await #expect(throws: ConfigErrors.self) {
            try await TestFixtures.catalog(
                yaml: Self.agents.replacingOccurrences(of: ", menus: data/menu.yaml", with: ""), files: ["prompts/p.md": "Hi"],
                plugins: [RestaurantPlugin(), ScriptedLLMPlugin(ScriptedLLM([]))])
        }
        let issue = try #require(error?.issues.first)
        #expect(issue.keyPath == "agents.bistro.skills.0.restaurant.profile")
        #expect(issue.location?.line == 8)
        #expect(issue.message.hasPrefix("cannot read "))
    }
}
