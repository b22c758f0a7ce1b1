import Foundation
import PluginAPI
import SwitchboardTesting
import Testing

@testable import Appointments

/// Mistakes in the business data files are reported with file, line and key.
@Suite struct AppointmentsConfigTests {
    typealias F = AppointmentsFixtures

    func issues(replacing file: String, with contents: String) async throws -> [ConfigIssue] {
        var files = F.files
        files[file] = contents
        do {
            _ = try await TestFixtures.catalog(yaml: F.yaml(), files: files, plugins: [AppointmentsPlugin(), ScriptedLLMPlugin(ScriptedLLM([]))])
            return []
        } catch let error as ConfigErrors {
            return error.issues.filter { $0.severity == .error }
        }
    }

    @Test func badOpeningHoursArePointedAt() async throws {
        let found = try await issues(replacing: "data/business.yaml", with: """
            name: Praxis Test
            state: XY
            opening_hours:
              montag: "08:00-12:00"
              funday: "08:00-12:00"
              tuesday: "8 bis 12"
            """)
        let text = found.map(\.description)
        #expect(text.contains { $0.contains("business.yaml:2:8: state: unknown Bundesland 'XY' (one of BW, BY, BE, BB, HB, HH, HE, MV, NI, NW, RP, SL, SN, ST, SH, TH)") }, "\(text)")
        #expect(text.contains { $0.contains("business.yaml:5:3: opening_hours.funday: unknown weekday (did you mean 'sunday'?)") })
        #expect(text.contains { $0.contains("business.yaml:6:12: opening_hours.tuesday: '8 bis 12' is not a time range like 08:00-12:00") })
    }

    @Test func servicesMustNameKnownStaffAndADuration() async throws {
        let found = try await issues(replacing: "data/services.yaml", with: """
            services:
              - id: kontrolle
                name: Kontrolle
                staff: [dr-bergg]
            """)
        let text = found.map(\.description)
        #expect(text.contains { $0.contains("services.yaml:4:12: services.0.staff: unknown staff 'dr-bergg' (did you mean 'dr-berg'?)") })
        #expect(text.contains { $0.contains("services.0: missing required key 'duration' (minutes)") })
    }

    @Test func calcomNeedsEventTypes() async throws {
        var files = F.files
        files["data/services.yaml"] = "services:\n  - { id: kontrolle, name: Kontrolle, duration: 30 }\n"
        await #expect(throws: ConfigErrors.self) {
            _ = try await TestFixtures.catalog(
                yaml: F.yaml(calendar: "calcom", calcomBaseURL: "http://127.0.0.1:9"), files: files,
                plugins: [AppointmentsPlugin(), ScriptedLLMPlugin(ScriptedLLM([]))])
        }
    }

    @Test func theRepositoryPracticeLoads() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var files: [String: String] = [:]
        for name in ["business.yaml", "services.yaml", "staff.yaml"] {
            files["data/praxis-am-see/\(name)"] = try String(contentsOf: root.appendingPathComponent("data/praxis-am-see/\(name)"), encoding: .utf8)
        }
        files["prompts/termine.md"] = try String(contentsOf: root.appendingPathComponent("prompts/termine.md"), encoding: .utf8)
        let yaml = """
            llms:
              flash: { plugin: scripted }
            agents:
              praxis-am-see:
                language: de-DE
                persona: prompts/termine.md
                llm: flash
                skills:
                  - appointments: { calendar: builtin, business: data/praxis-am-see/business.yaml, services: data/praxis-am-see/services.yaml, staff: data/praxis-am-see/staff.yaml }
            """
        let catalog = try await TestFixtures.catalog(yaml: yaml, files: files, plugins: [AppointmentsPlugin(), ScriptedLLMPlugin(ScriptedLLM([]))])
        let agent = try #require(catalog.agent("praxis-am-see"))
        #expect(agent.tools.map(\.definition.name).contains("resolve_datetime"))
        #expect(agent.timeZone.identifier == "Europe/Berlin")
    }
}
