import Appointments
import Foundation
import Host
import PluginAPI
import SwitchboardTesting

/// A small practice used by the tool tests: Monday–Friday 08:00–12:00 and 14:00–18:00 (Bavaria),
/// two doctors, "now" = Monday 2026-03-02 10:00 Berlin.
enum AppointmentsFixtures {
    static let now = ISO8601DateFormatter().date(from: "2026-03-02T09:00:00Z")!
    static let caller = "+4915112345678"

    static func yaml(
        calendar: String = "builtin", calcomBaseURL: String? = nil, toolTimeout: String = "60s", calcomTimeout: String = "2s"
    ) -> String {
        let calcom = calcomBaseURL.map { "\n          calcom: { api_key: cal_test_key, base_url: \"\($0)\", timeout: \(calcomTimeout) }" } ?? ""
        return """
        llms:
          test: { plugin: scripted }
        agents:
          praxis:
            language: de-DE
            persona: prompts/termine.md
            llm: test
            tool_timeout: \(toolTimeout)
            tools: [end_call, transfer_call]
            transfer_number: "+4981511234567"
            skills:
              - appointments:
                  calendar: \(calendar)
                  business: data/business.yaml
                  services: data/services.yaml
                  staff: data/staff.yaml\(calcom)
        """
    }

    static let files: [String: String] = [
        "prompts/termine.md": "Sie sind der Assistent von {{appointments.name}}. Heute ist {{appointments.today}}. {{appointments.services}}",
        "data/business.yaml": """
            name: Praxis Test
            timezone: Europe/Berlin
            state: BY
            opening_hours:
              monday: "08:00-12:00, 14:00-18:00"
              tuesday: "08:00-12:00, 14:00-18:00"
              wednesday: "08:00-12:00, 14:00-18:00"
              thursday: "08:00-12:00, 14:00-18:00"
              friday: "08:00-12:00, 14:00-18:00"
            closed_days:
              - { from: 2026-03-12, to: 2026-03-13, reason: Fortbildung }
            """,
        "data/services.yaml": """
            services:
              - id: kontrolle
                name: Kontrolluntersuchung
                synonyms: [Kontrolle, Check-up]
                duration: 30
                staff: [dr-berg, dr-yilmaz]
                calcom_event_type_id: 4711
              - id: beratung
                name: Beratung
                synonyms: [Erstberatung]
                duration: 45
                buffer: 15
                staff: [dr-berg]
                calcom_event_type_id: 4712
            """,
        "data/staff.yaml": """
            staff:
              - id: dr-berg
                name: Dr. Anna Berg
              - id: dr-yilmaz
                name: Dr. Deniz Yilmaz
                absences:
                  - { from: 2026-03-09, to: 2026-03-09 }
            """,
    ]

    static func runtime(
        database: String?, calendar: String = "builtin", calcomBaseURL: String? = nil, toolTimeout: String = "60s",
        calcomTimeout: String = "2s"
    ) async throws -> SwitchboardRuntime {
        try await TestFixtures.runtime(
            yaml: yaml(calendar: calendar, calcomBaseURL: calcomBaseURL, toolTimeout: toolTimeout, calcomTimeout: calcomTimeout), files: files,
            plugins: [AppointmentsPlugin(), ScriptedLLMPlugin(ScriptedLLM([]))], database: database, clock: .fixed(now))
    }

    /// Runs `tool` through the runtime's router, as a call from `caller` would.
    static func run(
        _ runtime: SwitchboardRuntime, _ tool: String, _ arguments: JSONValue, call: String = "call-" + UUID().uuidString,
        from: String? = caller, now: Date = now, toolCallID: String = "tc-" + UUID().uuidString
    ) async throws -> ToolResult {
        let agent = try require(runtime.catalog.agent("praxis"))
        let info = CallInfo(callID: call, agentID: agent.id, fromNumber: from, direction: "inbound")
        return try await runtime.tools.run(.init(
            agent: agent, call: info, toolCall: ToolCall(id: toolCallID, name: tool, arguments: arguments),
            turnIndex: nil, source: "test", clock: .fixed(now))).result
    }
}

struct MissingValue: Error {}

/// `#require` for code outside a test function.
func require<T>(_ value: T?) throws -> T {
    guard let value else { throw MissingValue() }
    return value
}
