import Foundation
import PluginAPI
import SwitchboardTesting
import Testing

/// `switchboard retell …` as an operator runs it: the real executable against a fake Retell API.
@Suite struct RetellCLITests {
    static let yaml = """
        server:
          public_url: https://sb.example.com
        retell:
          api_key: ${RETELL_API_KEY}
          base_url: ${RETELL_BASE_URL}
        llms:
          flash: { plugin: gemini, model: gemini-2.5-flash, api_key: "${GEMINI_API_KEY:-}" }
        agents:
          desk:
            persona: prompts/desk.md
            llm: flash
            phone_numbers: ["+14155550100"]
            retell: { voice_id: 11labs-Emily }
        """

    /// Runs the built executable with its output in files, waiting without blocking a thread of the
    /// cooperative pool (which serves the in-process fake Retell API meanwhile).
    static func binary(_ arguments: [String], environment: [String: String] = [:]) async throws -> BuiltBinary.Result {
        try await BuiltBinary.run(arguments, environment: environment)
    }

    static func config() throws -> String {
        try TestFixtures.writeConfig(yaml, files: ["prompts/desk.md": "You answer the phone for the front desk."])
    }

    @Test func plansAppliesListsNumbersAndPlacesACall() async throws {
        try await FakeRetellAPI.run { fake in
            await fake.state.addPhoneNumber("+14155550100")
            let config = try Self.config()
            let environment = ["RETELL_API_KEY": fake.apiKey, "RETELL_BASE_URL": fake.baseURL]
            func run(_ arguments: String...) async throws -> BuiltBinary.Result {
                try await Self.binary(["retell"] + arguments + ["--config", config], environment: environment)
            }

            let plan = try await run("plan")
            #expect(plan.status == 0, "\(plan.stderr)")
            #expect(plan.stdout.contains("  + voice agent (create)\n      agent_name: \"desk\"\n      voice_id: \"11labs-Emily\""))
            #expect(plan.stdout.contains("wss://sb.example.com/llm-websocket/desk"))

            let apply = try await run("apply")
            #expect(apply.status == 0, "\(apply.stderr)")
            let agentID = try #require(await fake.state.agents.keys.first)
            #expect(apply.stdout.contains("done: desk: voice agent: created \(agentID) and published v0"))
            #expect(apply.stdout.contains("done: desk: bound phone number +14155550100 (inbound_agents, outbound_agents)"))

            let again = try await run("apply")
            #expect(again.status == 0)
            #expect(again.stdout.contains("No changes: Retell matches agents.yaml."))
            #expect(!again.stdout.contains("done:"))

            let numbers = try await run("numbers")
            #expect(numbers.status == 0, "\(numbers.stderr)")
            #expect(numbers.stdout.contains("+14155550100  retell-twilio  desk (\(agentID))  desk (\(agentID))  -"))

            let call = try await run("call", "--agent", "desk", "--to", "+16505550199")
            #expect(call.status == 0, "\(call.stderr)")
            let callID = call.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(await fake.state.calls.first?["call_id"]?.stringValue == callID)
            #expect(await fake.state.calls.first?["agent_id"]?.stringValue == agentID)

            let calls = try await run("calls", "--agent", "desk")
            #expect(calls.status == 0, "\(calls.stderr)")
            #expect(calls.stdout.contains(callID))
            #expect(calls.stdout.contains("desk"))
            #expect(calls.stdout.contains("+16505550199"))
        }
    }

    @Test func reportsUsageErrorsAndRetellErrors() async throws {
        try await FakeRetellAPI.run { fake in
            let config = try Self.config()
            let unknownAgent = try await Self.binary(
                ["retell", "call", "--agent", "dsek", "--to", "+16505550199", "--config", config],
                environment: ["RETELL_API_KEY": fake.apiKey, "RETELL_BASE_URL": fake.baseURL])
            #expect(unknownAgent.status == 2)
            #expect(unknownAgent.stderr.contains("no agent 'dsek' (did you mean 'desk'?)"))

            let badNumber = try await Self.binary(["retell", "call", "--agent", "desk", "--to", "555", "--config", config])
            #expect(badNumber.status == 2)

            let wrongKey = try await Self.binary(
                ["retell", "plan", "--config", config], environment: ["RETELL_API_KEY": "key_wrong", "RETELL_BASE_URL": fake.baseURL])
            #expect(wrongKey.status == 1)
            #expect(wrongKey.stderr.contains("failed with 401: Invalid API key (check RETELL_API_KEY)"))

            let noKey = try await Self.binary(
                ["retell", "numbers", "--config", config], environment: ["RETELL_API_KEY": "", "RETELL_BASE_URL": fake.baseURL])
            #expect(noKey.status == 1)
            #expect(noKey.stderr.contains("no Retell API key: set RETELL_API_KEY"))
        }
    }
}
