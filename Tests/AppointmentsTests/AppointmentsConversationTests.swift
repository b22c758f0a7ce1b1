import Appointments
import Foundation
import Host
import PluginAPI
import SQLKit
import SwitchboardTesting
import Testing

/// A German caller books and then moves an appointment, end to end: fake Retell caller → real server
/// and engine → scripted LLM → appointment tools → database.
@Suite struct AppointmentsConversationTests {
    @Test func aCallerBooksThenReschedules() async throws {
        let llm = ScriptedLLM([
            .init(.userSays("kontrolle"), toolCalls: [("check_availability", ["service": "Kontrolle", "date_time": "morgen um halb drei"])]),
            .init(.toolResult("check_availability"), say: ["Morgen um 14:30 Uhr ist frei. ", "Darf ich den Termin für Sie buchen?"]),
            .init(.userSays("ja, bitte buchen"), toolCalls: [("book_appointment", ["name": "Jürgen Weiß", "service": "kontrolle", "slot": "2026-03-03T14:30:00+01:00"])]),
            .init(.toolResult("book_appointment"), say: ["Ihr Termin ist gebucht: Dienstag, 3. März, 14:30 Uhr."]),
            .init(.userSays("verschieben"), toolCalls: [("reschedule_appointment", ["new_slot": "Mittwoch um 9 Uhr"])]),
            .init(.toolResult("reschedule_appointment"), say: ["Erledigt, Ihr Termin ist jetzt am Mittwoch um 9 Uhr."]),
        ])
        let runtime = try await TestFixtures.runtime(
            yaml: AppointmentsFixtures.yaml(), files: AppointmentsFixtures.files,
            plugins: [AppointmentsPlugin(), ScriptedLLMPlugin(llm)], clock: .fixed(AppointmentsFixtures.now))
        try await LiveServer.run(runtime) { port in
            try await FakeRetellCaller.call("ws://127.0.0.1:\(port)/llm-websocket/praxis/call_termin") { caller in
                try await caller.sendCallDetails(callID: "call_termin", from: AppointmentsFixtures.caller)
                _ = try await caller.response(0)
                try await caller.ask(1, "Ich hätte gern eine Kontrolle, morgen um halb drei")
                #expect(try await caller.response(1).text == "Morgen um 14:30 Uhr ist frei. Darf ich den Termin für Sie buchen?")
                try await caller.ask(2, "Ja, bitte buchen, Jürgen Weiß")
                #expect(try await caller.response(2).text == "Ihr Termin ist gebucht: Dienstag, 3. März, 14:30 Uhr.")
                try await caller.ask(3, "Ach, kann ich den auf Mittwoch um neun verschieben?")
                #expect(try await caller.response(3).text == "Erledigt, Ihr Termin ist jetzt am Mittwoch um 9 Uhr.")
                let moved = try await caller.waitFor {
                    $0["response_type"] == "tool_call_result" && $0["content"]?.stringValue?.contains("verschoben") == true
                }
                #expect(moved["successful"] == true)
            }
        }
        let rows = try await runtime.database.sql.select().column("*").from("appointments").all()
        #expect(rows.count == 1)
        let row = try #require(rows.first)
        #expect(try row.decode(column: "customer_name", as: String.self) == "Jürgen Weiß")
        #expect(try row.decode(column: "customer_phone", as: String.self) == AppointmentsFixtures.caller)
        let invocations = try await runtime.database.sql.select().column("tool").from("tool_invocations")
            .where("call_id", .equal, SQLBind("call_termin")).orderBy("id").all()
        #expect(try invocations.map { try $0.decode(column: "tool", as: String.self) } == ["check_availability", "book_appointment", "reschedule_appointment"])
        await runtime.shutdown()
    }
}
