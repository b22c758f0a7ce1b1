import Foundation
@testable import Host
import PluginAPI
import SwitchboardTesting
import Testing

@Suite struct CatalogTests {
    @Test func buildsAgentsWithSkillsToolsAndLLM() async throws {
        let catalog = try await TestFixtures.catalog(yaml: Fixtures.yaml, files: Fixtures.files, plugins: Fixtures.plugins(), environment: ["RETELL_API_KEY": "k"])
        let agent = try #require(catalog.agent("notes-desk"))
        #expect(agent.status == .ok)
        #expect(agent.skills.map(\.id) == ["notes"])
        #expect(agent.tools.map(\.definition.name) == ["add_note", "count_notes", "slow_note", "end_call", "transfer_call"])
        #expect(agent.tools.map(\.source) == ["notes", "notes", "notes", "engine", "engine"])
        #expect(agent.timeZone.identifier == "Europe/Berlin")
        #expect(agent.llm is ScriptedLLM)
        #expect(agent.config.toolTimeout == .seconds(10))
    }

    @Test func rendersThePersonaWithEveryVariableFamily() async throws {
        let catalog = try await TestFixtures.catalog(yaml: Fixtures.yaml, files: Fixtures.files, plugins: Fixtures.plugins())
        let agent = try #require(catalog.agent("notes-desk"))
        let call = CallInfo(callID: "c1", agentID: agent.id, fromNumber: "+4930123456", direction: "inbound", dynamicVariables: ["first_name": "Priya"])
        let now = try #require(ISO8601DateFormatter().date(from: "2026-03-02T23:30:00Z"))
        let variables = PromptVariables.make(agent: agent, call: call, skillVariables: ["notes": ["title": "Acme & Co"]], now: now)
        #expect(agent.persona.render(variables) == "You are the assistant of Acme & Co. Today is Tuesday, 2026-03-03. Caller: +4930123456. Name: Priya.")
        #expect(agent.beginMessage.render(variables) == "Hello from Acme & Co!")
    }

    @Test func findsAgentsByRetellIDAndNumber() async throws {
        let yaml = Fixtures.yaml.replacingOccurrences(of: "    language: en-US", with: "    language: en-US\n    retell_agent_id: agent_123\n    phone_numbers: [\"+14155550111\"]")
        let catalog = try await TestFixtures.catalog(yaml: yaml, files: Fixtures.files, plugins: Fixtures.plugins())
        #expect(catalog.agent(retellAgentID: "agent_123")?.id == "notes-desk")
        #expect(catalog.agent(phoneNumber: "+14155550111")?.id == "notes-desk")
        #expect(catalog.agent(phoneNumber: "+1999") == nil)
    }

    @Test func rejectsAPluginOfTheWrongKind() async throws {
        let yaml = Fixtures.yaml.replacingOccurrences(of: "plugin: scripted", with: "plugin: notes")
        await #expect {
            _ = try await TestFixtures.catalog(yaml: yaml, files: Fixtures.files, plugins: Fixtures.plugins())
        } throws: { error in
            (error as? ConfigErrors)?.issues.contains { $0.message == "plugin 'notes' is a skill, not a LLM plugin" } == true
        }
    }
}


@Suite struct NowVariablesTests {
    @Test func formatsEachMinuteOnceButKeepsTheSecondsAndTheOffsetRight() throws {
        let berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
        // 2026-03-29 01:00 UTC: Berlin moves from +01:00 to +02:00.
        let beforeChange = Date(timeIntervalSince1970: 1_774_745_999)  // 00:59:59 UTC
        let before = PromptVariables.nowVariables(beforeChange, timeZone: berlin, language: "de-DE")
        #expect(before["iso"] == "2026-03-29T01:59:59+01:00")
        #expect(before["weekday"] == "Sonntag")
        #expect(before["long_date"] == "Sonntag, 29. März 2026")
        let sameMinute = PromptVariables.nowVariables(beforeChange.addingTimeInterval(-30), timeZone: berlin, language: "de-DE")
        #expect(sameMinute["iso"] == "2026-03-29T01:59:29+01:00")
        let after = PromptVariables.nowVariables(beforeChange.addingTimeInterval(7), timeZone: berlin, language: "de-DE")
        #expect(after["iso"] == "2026-03-29T03:00:06+02:00")
        #expect(after["time"] == "03:00")
        let english = PromptVariables.nowVariables(beforeChange, timeZone: berlin, language: "en-US")
        #expect(english["weekday"] == "Sunday")
    }
}
