import Foundation
import Host
import PluginAPI
import Synchronization
import SwitchboardTesting

/// agents.yaml for the Retell tests: one agent with a number and SMS, one German agent with a number.
enum RetellTestConfig {
    static func yaml(voice: String = "11labs-Adrian", retellAgentID: String? = nil) -> String {
        """
        server:
          public_url: https://sb.example.com/
        retell:
          api_key: ${RETELL_API_KEY}
          base_url: ${RETELL_BASE_URL}
        llms:
          test: { plugin: scripted, model: script-1 }
        agents:
          bella:
            language: en-US
            persona: prompts/notes.md
            llm: test
        \(retellAgentID.map { "    retell_agent_id: \($0)\n" } ?? "")\
            skills:
              - notes: { title: "Bella Napoli" }
            phone_numbers: ["+14155550100"]
            sms: { from_number: "+14155550100" }
            retell: { voice_id: \(voice), agent_name: "Bella Napoli" }
          praxis:
            language: de-DE
            persona: prompts/notes.md
            llm: test
            skills:
              - notes: { title: "Praxis am See" }
            phone_numbers: ["+4930555010"]
        """
    }

    static func environment(_ fake: FakeRetellAPI) -> [String: String] {
        ["RETELL_API_KEY": fake.apiKey, "RETELL_BASE_URL": fake.baseURL]
    }

    static func runtime(_ fake: FakeRetellAPI, yaml: String = yaml(), database: String? = nil, clock: WallClock = .system) async throws -> SwitchboardRuntime {
        try await TestFixtures.runtime(
            yaml: yaml, files: Fixtures.files, plugins: Fixtures.plugins(), environment: environment(fake), database: database, clock: clock)
    }

    /// A provisioner for `catalog` over `runtime`'s database, with a fast retry backoff.
    static func provisioner(_ fake: FakeRetellAPI, runtime: SwitchboardRuntime, catalog: AgentCatalog? = nil) -> RetellProvisioner {
        RetellProvisioner(
            catalog: catalog ?? runtime.catalog, client: RetellClientTests.client(fake),
            store: RetellAgentStore(database: runtime.database.sql), clock: runtime.clock)
    }

    /// Both numbers of the config on the fake account.
    static func addNumbers(_ fake: FakeRetellAPI) async {
        await fake.state.addPhoneNumber("+14155550100")
        await fake.state.addPhoneNumber("+4930555010", type: "custom")
    }
}

/// A clock the test moves forward by hand.
final class ManualClock: Sendable {
    private let instant: Mutex<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_790_000_000)) { instant = Mutex(start) }

    var clock: WallClock { WallClock { self.instant.withLock { $0 } } }

    func advance(by seconds: TimeInterval) { instant.withLock { $0 += seconds } }
}
