import Foundation
@testable import Host
import PluginAPI
import SwitchboardTesting
import Testing

/// `switchboard retell plan/apply` against a fake Retell API.
@Suite struct RetellProvisioningTests {
    @Test func buildsTheWebSocketAndWebhookURLsFromThePublicURL() throws {
        #expect(try RetellProvisioner.webSocketURL(publicURL: "https://sb.example.com/", agentID: "bella") == "wss://sb.example.com/llm-websocket/bella")
        #expect(try RetellProvisioner.webSocketURL(publicURL: "http://localhost:8080", agentID: "bella") == "ws://localhost:8080/llm-websocket/bella")
        #expect(try RetellProvisioner.webhookURL(publicURL: "https://sb.example.com/base/") == "https://sb.example.com/base/retell/webhook")
        #expect(throws: RetellProvisioner.Failure.self) { try RetellProvisioner.webhookURL(publicURL: "sb.example.com") }
    }

    @Test func plansEverythingToCreateOnAFreshAccount() async throws {
        try await FakeRetellAPI.run { fake in
            await RetellTestConfig.addNumbers(fake)
            let runtime = try await RetellTestConfig.runtime(fake)
            defer { Task { await runtime.shutdown() } }
            let plan = try await RetellTestConfig.provisioner(fake, runtime: runtime).plan()
            #expect(plan.hasChanges)
            let text = plan.description
            #expect(text.contains("""
                agent bella
                  + voice agent (create)
                      agent_name: "Bella Napoli"
                      voice_id: "11labs-Adrian"
                      language: "en-US"
                      response_engine.type: "custom-llm"
                      response_engine.llm_websocket_url: "wss://sb.example.com/llm-websocket/bella"
                      webhook_url: "https://sb.example.com/retell/webhook"
                  + SMS LLM (create)
                      begin_message: "{{message}}"
                  + SMS chat agent (from +14155550100) (create)
                """))
            #expect(text.contains("""
                  ~ phone number +14155550100 (calls and SMS)
                      inbound_agents: (none) -> "(new voice agent of bella)"
                      outbound_agents: (none) -> "(new voice agent of bella)"
                      outbound_sms_agents: (none) -> "(new SMS chat agent of bella)"
                """))
            #expect(text.contains("Plan: 3 agent(s) to create, 0 to change, 0 to publish, 1 SMS LLM(s), 2 phone number(s) to bind."))
            #expect(await fake.mutatingRequests().isEmpty, "plan only reads")
        }
    }

    @Test(arguments: try TestFixtures.databases())
    func appliesOnceAndASecondApplyChangesNothing(database: String?) async throws {
        try await FakeRetellAPI.run { fake in
            await RetellTestConfig.addNumbers(fake)
            let runtime = try await RetellTestConfig.runtime(fake, database: database)
            defer { Task { await runtime.shutdown() } }
            let provisioner = RetellTestConfig.provisioner(fake, runtime: runtime)
            let done = try await provisioner.apply(try await provisioner.plan())
            #expect(done.count == 6)

            let records = try await RetellAgentStore(database: runtime.database.sql).all()
            #expect(records.map { "\($0.agentID)/\($0.role.rawValue)" } == ["bella/sms", "bella/sms_llm", "bella/voice", "praxis/voice"])
            let voiceID = try #require(records.first { $0.agentID == "bella" && $0.role == .voice }?.retellID)
            let chatID = try #require(records.first { $0.role == .sms }?.retellID)
            let llmID = try #require(records.first { $0.role == .smsLLM }?.retellID)

            let voice = try #require(await fake.state.agent(voiceID))
            #expect(voice["response_engine"] == ["type": "custom-llm", "llm_websocket_url": "wss://sb.example.com/llm-websocket/bella"])
            #expect(voice["webhook_url"] == "https://sb.example.com/retell/webhook")
            #expect(voice["voice_id"] == "11labs-Adrian")
            #expect(voice["is_published"] == true)
            let praxisID = try #require(records.first { $0.agentID == "praxis" }?.retellID)
            let praxis = try #require(await fake.state.agent(praxisID))
            #expect(praxis["language"] == "de-DE")
            #expect(praxis["agent_name"] == "praxis")
            let chat = try #require(await fake.state.agent(chatID))
            #expect(chat["response_engine"] == ["type": "retell-llm", "llm_id": .string(llmID)])
            #expect(chat["is_published"] == true)
            #expect(await fake.state.llms[llmID]?["begin_message"] == "{{message}}")
            let number = try #require(await fake.state.phoneNumber("+14155550100"))
            #expect(number["inbound_agents"] == [["agent_id": .string(voiceID), "weight": 1]])
            #expect(number["outbound_sms_agents"] == [["agent_id": .string(chatID), "weight": 1]])

            let changesBefore = await fake.mutatingRequests().count
            let second = try await provisioner.plan()
            #expect(!second.hasChanges)
            #expect(second.description.hasSuffix("No changes: Retell matches agents.yaml."))
            #expect(try await provisioner.apply(second).isEmpty)
            #expect(await fake.mutatingRequests().count == changesBefore)
            #expect(try await RetellAgentStore(database: runtime.database.sql).all() == records)
        }
    }

    @Test func aChangedVoiceGoesOnANewDraftThatIsPublished() async throws {
        try await FakeRetellAPI.run { fake in
            await RetellTestConfig.addNumbers(fake)
            let runtime = try await RetellTestConfig.runtime(fake)
            defer { Task { await runtime.shutdown() } }
            let first = RetellTestConfig.provisioner(fake, runtime: runtime)
            try await first.apply(try await first.plan())
            let voiceID = try #require(try await RetellAgentStore(database: runtime.database.sql).record(agentID: "bella", role: .voice)?.retellID)

            let changed = try await TestFixtures.catalog(
                yaml: RetellTestConfig.yaml(voice: "11labs-Emily"), files: Fixtures.files, plugins: Fixtures.plugins(),
                environment: RetellTestConfig.environment(fake))
            let provisioner = RetellTestConfig.provisioner(fake, runtime: runtime, catalog: changed)
            let plan = try await provisioner.plan()
            #expect(plan.description.contains("""
                  ~ voice agent \(voiceID) (update, on a new draft of published v0)
                      voice_id: "11labs-Adrian" -> "11labs-Emily"
                """))
            let before = await fake.mutatingRequests().count
            let done = try await provisioner.apply(plan)
            #expect(done == ["bella: voice agent: updated \(voiceID) (voice_id) and published v1"])
            let requests = await fake.mutatingRequests().dropFirst(before)
            #expect(requests.map { "\($0.method) \($0.path)" } == [
                "POST /create-agent-version/\(voiceID)", "PATCH /update-agent/\(voiceID)", "POST /publish-agent-version/\(voiceID)",
            ])
            #expect(requests.dropFirst().first?.body == ["voice_id": "11labs-Emily"])
            #expect(requests.dropFirst().first?.query == ["version": "1"])
            #expect(await fake.state.agent(voiceID)?["is_published"] == true)
            #expect(try await RetellAgentStore(database: runtime.database.sql).record(agentID: "bella", role: .voice)?.version == 1)
            #expect(try await !provisioner.plan().hasChanges)
        }
    }

    @Test func noPublishKeepsDraftsUntilAPublishingApply() async throws {
        try await FakeRetellAPI.run { fake in
            await RetellTestConfig.addNumbers(fake)
            let runtime = try await RetellTestConfig.runtime(fake)
            defer { Task { await runtime.shutdown() } }
            let provisioner = RetellTestConfig.provisioner(fake, runtime: runtime)
            try await provisioner.apply(try await provisioner.plan(publish: false), publish: false)
            #expect(await fake.requests().allSatisfy { !$0.path.hasPrefix("/publish-agent-version") })
            #expect(await fake.state.agents.values.allSatisfy { $0.last?["is_published"] == false })
            #expect(try await !provisioner.plan(publish: false).hasChanges)

            let publishing = try await provisioner.plan(publish: true)
            #expect(publishing.description.contains(": publish draft v0"))
            try await provisioner.apply(publishing)
            #expect(await fake.state.agents.values.allSatisfy { $0.last?["is_published"] == true })
            #expect(try await !provisioner.plan().hasChanges)
        }
    }

    @Test func adoptsTheConfiguredRetellAgentID() async throws {
        try await FakeRetellAPI.run { fake in
            await RetellTestConfig.addNumbers(fake)
            let existing = try await RetellClientTests.client(fake).createAgent(RetellAgentRequest(
                responseEngine: .customLLM("wss://old.example.com/llm-websocket"), voiceID: "11labs-Adrian", agentName: "Bella Napoli"))
            let runtime = try await RetellTestConfig.runtime(fake, yaml: RetellTestConfig.yaml(retellAgentID: existing.agentID))
            defer { Task { await runtime.shutdown() } }
            let provisioner = RetellTestConfig.provisioner(fake, runtime: runtime)
            let plan = try await provisioner.plan()
            #expect(plan.description.contains("""
                  ~ voice agent \(existing.agentID) (update)
                      language: (none) -> "en-US"
                      response_engine.llm_websocket_url: "wss://old.example.com/llm-websocket" -> "wss://sb.example.com/llm-websocket/bella"
                      webhook_url: (none) -> "https://sb.example.com/retell/webhook"
                """))
            try await provisioner.apply(plan)
            let patch = try #require(await fake.requests().first { $0.method == "PATCH" && $0.path.hasPrefix("/update-agent/") })
            #expect(patch.body == [
                "response_engine": ["type": "custom-llm", "llm_websocket_url": "wss://sb.example.com/llm-websocket/bella"],
                "language": "en-US", "webhook_url": "https://sb.example.com/retell/webhook",
            ])
            #expect(await fake.state.agents.count == 3, "bella keeps its one voice agent (plus praxis and the SMS chat agent)")
        }
    }

    @Test func warnsAboutNumbersThatAreNotOnTheAccount() async throws {
        try await FakeRetellAPI.run { fake in
            await fake.state.addPhoneNumber("+14155550100")
            let runtime = try await RetellTestConfig.runtime(fake)
            defer { Task { await runtime.shutdown() } }
            let provisioner = RetellTestConfig.provisioner(fake, runtime: runtime)
            let plan = try await provisioner.plan()
            #expect(plan.agents[1].warnings == [
                "phone number +4930555010 is not on the Retell account: buy it (switchboard retell numbers buy --area-code N) or import it from your SIP trunk (switchboard retell numbers import), then apply again",
            ])
            try await provisioner.apply(plan)
            #expect(try await RetellAgentStore(database: runtime.database.sql).record(agentID: "praxis", role: .voice) != nil)
        }
    }

    @Test func recreatesAnAgentDeletedOnRetell() async throws {
        try await FakeRetellAPI.run { fake in
            await RetellTestConfig.addNumbers(fake)
            let runtime = try await RetellTestConfig.runtime(fake)
            defer { Task { await runtime.shutdown() } }
            let provisioner = RetellTestConfig.provisioner(fake, runtime: runtime)
            try await provisioner.apply(try await provisioner.plan())
            let store = RetellAgentStore(database: runtime.database.sql)
            let old = try #require(try await store.record(agentID: "praxis", role: .voice)?.retellID)
            try await RetellClientTests.client(fake).deleteAgent(old)
            let plan = try await provisioner.plan()
            #expect(plan.description.contains("(\(old) no longer exists on Retell)"))
            try await provisioner.apply(plan)
            let new = try #require(try await store.record(agentID: "praxis", role: .voice)?.retellID)
            #expect(new != old)
            #expect(await fake.state.phoneNumber("+4930555010")?["inbound_agents"] == [["agent_id": .string(new), "weight": 1]])
        }
    }

    @Test func theCatalogKnowsTheAgentIDsApplyRecorded() async throws {
        try await FakeRetellAPI.run { fake in
            await RetellTestConfig.addNumbers(fake)
            let runtime = try await RetellTestConfig.runtime(fake)
            let provisioner = RetellTestConfig.provisioner(fake, runtime: runtime)
            try await provisioner.apply(try await provisioner.plan())
            let records = try await RetellAgentStore(database: runtime.database.sql).all()
            let databasePath = runtime.database.displayName
            await runtime.shutdown()

            let restarted = try await RetellTestConfig.runtime(fake, database: databasePath)
            defer { Task { await restarted.shutdown() } }
            for record in records where record.role != .smsLLM {
                #expect(restarted.catalog.agent(retellAgentID: record.retellID)?.id == record.agentID)
            }
            #expect(restarted.catalog.agent(retellAgentID: "agent_unknown") == nil)
        }
    }

    @Test func aRunningServerPicksUpAnApplyMadeMeanwhile() async throws {
        try await FakeRetellAPI.run { fake in
            await RetellTestConfig.addNumbers(fake)
            let runtime = try await RetellTestConfig.runtime(fake)
            defer { Task { await runtime.shutdown() } }
            let provisioner = RetellTestConfig.provisioner(fake, runtime: runtime)
            try await provisioner.apply(try await provisioner.plan())
            let voiceID = try #require(try await RetellAgentStore(database: runtime.database.sql).record(agentID: "bella", role: .voice)?.retellID)
            #expect(runtime.catalog.agent(retellAgentID: voiceID) == nil, "not known before the refresh")
            await RetellDirectoryRefresher(runtime: runtime).refresh()
            #expect(runtime.catalog.agent(retellAgentID: voiceID)?.id == "bella")
        }
    }

    @Test func needsThePublicURL() async throws {
        try await FakeRetellAPI.run { fake in
            let yaml = RetellTestConfig.yaml().replacingOccurrences(of: "  public_url: https://sb.example.com/\n", with: "  port: 8080\n")
            let runtime = try await RetellTestConfig.runtime(fake, yaml: yaml)
            defer { Task { await runtime.shutdown() } }
            await #expect(throws: RetellProvisioner.Failure.self) { try await RetellTestConfig.provisioner(fake, runtime: runtime).plan() }
        }
    }

    @Test func rejectsUnknownKeysInAnAgentsRetellSection() async throws {
        let yaml = RetellTestConfig.yaml().replacingOccurrences(of: "retell: { voice_id: 11labs-Adrian", with: "retell: { voice: 11labs-Adrian")
        do {
            _ = try await TestFixtures.catalog(yaml: yaml, files: Fixtures.files, plugins: Fixtures.plugins())
            Issue.record("expected a config error")
        } catch let error as ConfigErrors {
            #expect(error.issues.contains { $0.keyPath == "agents.bella.retell.voice" && $0.message.contains("unknown key") }, "\(error.issues)")
        }
    }
}
