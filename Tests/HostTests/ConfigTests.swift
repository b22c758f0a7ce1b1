import Foundation
import Host
import PluginAPI
import SwitchboardTesting
import Testing

@Suite struct ConfigTests {
    @Test func interpolatesEnvironmentVariables() throws {
        let loader = YAMLLoader(environment: ["PORT": "9000", "KEY": "secret"])
        let root = try loader.parse("""
            port: ${PORT:-8080}
            host: ${HOST:-127.0.0.1}
            key: "${KEY}"
            missing: ${NOT_SET}
            literal: cost $$5
            """, file: "a.yaml")
        #expect(root["port"]?.value == .int(9000))
        #expect(root["host"]?.value == .string("127.0.0.1"))
        #expect(root["key"]?.value == .string("secret"))
        #expect(root["missing"]?.value == .string(""))
        #expect(root["missing"]?.unsetVariables == ["NOT_SET"])
        #expect(root["literal"]?.value == .string("cost $5"))
    }

    @Test func reportsYAMLSyntaxErrorsWithTheirPlace() {
        #expect {
            try YAMLLoader(environment: [:]).parse("agents:\n  - a\n  b: [", file: "bad.yaml")
        } throws: { error in
            let description = (error as? ConfigErrors)?.description ?? ""
            return description.hasPrefix("bad.yaml:3:") && description.contains("YAML syntax")
        }
    }

    @Test func fiveMistakesGiveFiveLocatedErrorsInOneReport() async throws {
        let yaml = """
            server:
              prot: 8080
            llms:
              test:
                plugin: scripted
            agents:
              desk:
                persona: prompts/missing.md
                llm: tset
                skills:
                  - nots: {}
                max_tool_rounds: many
            """
        await #expect {
            _ = try await TestFixtures.catalog(yaml: yaml, plugins: Fixtures.plugins())
        } throws: { error in
            guard let issues = (error as? ConfigErrors)?.issues else { return false }
            let lines = issues.map { issue in
                "\(issue.location?.line ?? 0):\(issue.location?.column ?? 0): \(issue.keyPath): \(issue.message)"
            }
            return lines.count == 5
                && lines[0] == "2:3: server.prot: unknown key (did you mean 'port'?)"
                && lines[1].hasPrefix("8:14: agents.desk.persona: persona file not found: ")
                && lines[2] == "9:10: agents.desk.llm: no LLM named 'tset' in llms (did you mean 'test'?)"
                && lines[3] == "11:9: agents.desk.skills.0: unknown skill 'nots' (did you mean 'notes'?) (known: notes)"
                && lines[4] == "12:22: agents.desk.max_tool_rounds: expected an integer, got a string"
                && issues.allSatisfy { $0.location?.file.hasSuffix("agents.yaml") == true }
        }
    }

    @Test func pluginConfigErrorsAreLocatedToo() async throws {
        let yaml = Fixtures.yaml.replacingOccurrences(of: #"{ title: "Acme Notes" }"#, with: "{ titel: x }")
        await #expect {
            _ = try await TestFixtures.catalog(yaml: yaml, files: Fixtures.files, plugins: Fixtures.plugins())
        } throws: { error in
            (error as? ConfigErrors)?.issues.map(\.description).contains { $0.contains("agents.notes-desk.skills.0.notes.titel: unknown key (did you mean 'title'?)") } == true
        }
    }

    @Test func resolvesRelativePathsAgainstTheFile() async throws {
        let catalog = try await TestFixtures.catalog(yaml: Fixtures.yaml, files: Fixtures.files, plugins: Fixtures.plugins(), environment: ["RETELL_API_KEY": "k"])
        let directory = URL(fileURLWithPath: catalog.config.file).deletingLastPathComponent().path
        #expect(catalog.config.server.database == directory + "/data/test.sqlite")
        #expect(catalog.agents[0].config.personaPath == directory + "/prompts/notes.md")
        #expect(catalog.warnings.isEmpty)
    }

    @Test func anUnsetSecretWarnsAndDegradesOnlyWhatNeedsIt() async throws {
        let yaml = Fixtures.yaml.replacingOccurrences(of: "model: script-1", with: "model: ${LLM_KEY}")
        let catalog = try await TestFixtures.catalog(yaml: yaml, files: Fixtures.files, plugins: Fixtures.plugins())
        #expect(catalog.warnings.map(\.message) == ["environment variable RETELL_API_KEY is not set", "environment variable LLM_KEY is not set"])
        #expect(catalog.agents[0].status == .degraded(reasons: ["LLM 'test' needs LLM_KEY (not set)"]))
    }
}
