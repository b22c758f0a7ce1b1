@testable import Host
import PluginAPI
import Testing

@Suite struct RetellInboundTests {
    @Test func readsARequestAndSkipsWordTimings() throws {
        let frame = #"""
            {"interaction_type":"response_required","response_id":7,"transcript":[
              {"role":"agent","content":"Hello, \"Bella\" here.","words":[{"word":"Hello,","start":0.1,"end":0.5}]},
              {"role":"user","content":"Zwei Pizzen, bitte 🍕","words":[{"word":"Zwei","start":1.0,"end":1.2},{"word":"Pizzen,","start":1.2,"end":1.6}],"metadata":{"x":[1,{"y":null}]}}
            ],"transcript_with_tool_calls":[{"role":"user","content":"ignored"}]}
            """#
        guard case .responseRequired(let id, let transcript, let isReminder) = try RetellInbound.decode(frame) else {
            Issue.record("not a request")
            return
        }
        #expect(id == 7)
        #expect(!isReminder)
        #expect(transcript == [Utterance(role: "agent", content: "Hello, \"Bella\" here."), Utterance(role: "user", content: "Zwei Pizzen, bitte 🍕")])
    }

    @Test func aResentTranscriptReadsTheSameWithOrWithoutThePreviousOne() throws {
        let previous = [Utterance(role: "agent", content: "Hello, Bella Napoli."), Utterance(role: "user", content: "A table for two")]
        let frame = #"{"interaction_type":"update_only","transcript":[{"role":"agent","content":"Hello, Bella Napoli."},{"role":"user","content":"A table for two tonight"},{"role":"agent","content":"At what time?"}]}"#
        let expected = [
            Utterance(role: "agent", content: "Hello, Bella Napoli."), Utterance(role: "user", content: "A table for two tonight"),
            Utterance(role: "agent", content: "At what time?"),
        ]
        for earlier in [previous, [], Array(previous.reversed())] {
            guard case .updateOnly(let transcript) = try RetellInbound.decode(frame, previous: earlier) else {
                Issue.record("not an update")
                return
            }
            #expect(transcript == expected)
        }
    }

    @Test func readsEveryFrameKind() throws {
        guard case .pingPong(let timestamp) = try RetellInbound.decode(#"{"interaction_type":"ping_pong","timestamp":1754400012345}"#) else {
            Issue.record("not a ping")
            return
        }
        #expect(timestamp == 1_754_400_012_345)
        guard case .callDetails(let call) = try RetellInbound.decode(#"{"interaction_type":"call_details","call":{"call_id":"c1","metadata":{"vip":true}}}"#) else {
            Issue.record("not call details")
            return
        }
        #expect(call["metadata"] == ["vip": true])
        guard case .responseRequired(_, _, true) = try RetellInbound.decode(#"{"interaction_type":"reminder_required","response_id":3,"transcript":[]}"#) else {
            Issue.record("not a reminder")
            return
        }
        guard case .unknown("something_new") = try RetellInbound.decode(#"{"interaction_type":"something_new","x":1}"#) else {
            Issue.record("not unknown")
            return
        }
    }

    @Test func namesWhatIsWrongWithABadFrame() {
        let cases: [(String, String)] = [
            (#"{"interaction_type":"response_required","transcript":[]}"#, "response_required without response_id"),
            (#"{"response_id":1}"#, "missing interaction_type"),
            (#"{"interaction_type":"response_required","response_id":"one"}"#, "response_id: expected an integer at byte 54"),
            (#"{"interaction_type":"update_only","transcript":[{"role":"user","content":"cut"#, "transcript: the string is not closed at byte 73"),
        ]
        for (frame, reason) in cases {
            #expect(throws: MalformedFrame.self) { try RetellInbound.decode(frame) }
            do {
                _ = try RetellInbound.decode(frame)
            } catch {
                #expect(error.reason == reason)
            }
        }
    }
}
