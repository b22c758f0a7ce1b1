import Foundation
import PluginAPI
import SwitchboardTesting
import Testing

/// The command line as integrators use it: the real executable, its stdout, stderr and exit codes.
@Suite struct CLITests {
    static let invalid = """
        server:
          port: 80800
          log_levle: debug
        agents:
          front-desk:
            persona: prompts/none.md
            llm: nowhere
        """

    @Test func validatePrintsEveryProblemWithItsPlaceAndFails() async throws {
        let config = try TestFixtures.writeConfig(Self.invalid)
        let result = try await BuiltBinary.run(["validate", "--config", config])
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines[0] == "\(config):2:9: server.port: must be between 0 and 65535, got 80800")
        #expect(lines[1] == "\(config):3:3: server.log_levle: unknown key (did you mean 'log_level'?)")
        #expect(lines[2].hasPrefix("\(config):6:14: agents.front-desk.persona: persona file not found"))
        #expect(lines[3] == "\(config):7:10: agents.front-desk.llm: no LLM named 'nowhere' in llms (the llms section is empty)")
    }

    @Test func validateWarnsAboutUnsetSecretsButSucceeds() async throws {
        let config = try TestFixtures.writeConfig("retell:\n  api_key: ${SWITCHBOARD_TEST_UNSET_KEY}\n")
        let result = try await BuiltBinary.run(["validate", "--config", config])
        #expect(result.status == 0)
        #expect(result.stdout == "\(config):2:12: retell.api_key: warning: environment variable SWITCHBOARD_TEST_UNSET_KEY is not set\n")
    }

    @Test func configComesFromTheEnvironmentWhenNotGiven() async throws {
        let config = try TestFixtures.writeConfig("server: {port: 9}\n")
        let result = try await BuiltBinary.run(["agents", "--json"], environment: ["SWITCHBOARD_CONFIG": config])
        #expect(result.status == 0)
        #expect(result.stdout == #"{"agents":[]}"# + "\n")
    }

    @Test func toolReportsUsageErrorsWithExitCodeTwo() async throws {
        let config = try TestFixtures.writeConfig("server: {port: 9}\n")
        let badJSON = try await BuiltBinary.run(["tool", "--config", config, "desk", "x", "{nope"])
        #expect(badJSON.status == 2)
        #expect(badJSON.stdout.isEmpty)
        #expect(badJSON.stderr.contains("not valid JSON"))
        let unknownAgent = try await BuiltBinary.run(["tool", "--config", config, "desk", "x", "{}", "--now", "2026-03-02T10:00:00+01:00"])
        #expect(unknownAgent.status == 2)
        #expect(unknownAgent.stdout.isEmpty)
        #expect(unknownAgent.stderr.contains("no agent 'desk'"))
        let badNow = try await BuiltBinary.run(["tool", "--config", config, "desk", "x", "{}", "--now", "yesterday"])
        #expect(badNow.status == 2)
        let missingArgument = try await BuiltBinary.run(["tool", "--config", config])
        #expect(missingArgument.status == 2)
    }
}
