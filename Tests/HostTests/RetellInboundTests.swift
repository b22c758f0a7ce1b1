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

    /// One socket's frames in order, read through one memo, each read as if it were the first: the same
    /// transcripts, whatever changed between frames (an utterance growing, one corrected, one removed, the
    /// spacing, word timings).
    @Test func aTranscriptReadThroughTheMemoEqualsOneReadAfresh() throws {
        let frames = [
            #"{"interaction_type":"update_only","transcript":[{"role":"agent","content":"Hello, Bella Napoli."},{"role":"user","content":"A table"}]}"#,
            #"{"interaction_type":"update_only","transcript":[{"role":"agent","content":"Hello, Bella Napoli."},{"role":"user","content":"A table for two"}]}"#,
            #"{"interaction_type":"response_required","response_id":1,"transcript":[{"role":"agent","content":"Hello, Bella Napoli."},{"role":"user","content":"A table for two"},{"role":"agent","content":"At what time?"}]}"#,
            #"{"interaction_type":"update_only","transcript":[{"role":"agent","content":"Hello, Bella Napoli!"},{"role":"user","content":"A table for two"},{"role":"agent","content":"At what time?"}]}"#,
            #"{"interaction_type":"update_only","transcript":[{"role":"agent","content":"Hello, Bella Napoli!"}]}"#,
            #"{"interaction_type":"update_only","transcript":[{"role":"agent","content":"Hello, Bella Napoli!"} , {"role":"user","content":"Seven","words":[{"word":"Seven","start":1.0,"end":1.4}]}]}"#,
            #"{"interaction_type":"update_only","transcript":[{"role":"agent","content":"Hello, Bella Napoli!"} , {"role":"user","content":"Seven","words":[{"word":"Seven","start":1.0,"end":1.5}]}]}"#,
            #"{"interaction_type":"update_only","transcript":[]}"#,
            #"{"interaction_type":"update_only","transcript":[{"role":"agent","content":"Hello, Bella Napoli!"},{"role":"user","content":"Seven"}]}"#,
        ]
        var memo = TranscriptMemo()
        for frame in frames {
            let remembered = try RetellInbound.decode(frame, memo: &memo)
            let afresh = try RetellInbound.decode(frame)
            switch (remembered, afresh) {
            case (.updateOnly(let a), .updateOnly(let b)), (.responseRequired(_, let a, _), .responseRequired(_, let b, _)):
                #expect(a == b, "\(frame)")
                #expect(memo.utterances == b)
            default:
                Issue.record("not the same kind of frame: \(frame)")
            }
        }
    }

    @Test func aFrameThatFailsAfterItsTranscriptLeavesAConsistentMemo() throws {
        var memo = TranscriptMemo()
        let broken = #"{"interaction_type":"update_only","transcript":[{"role":"user","content":"Hi"}],"#
        #expect(throws: MalformedFrame.self) { try RetellInbound.decode(broken, memo: &memo) }
        let frame = #"{"interaction_type":"update_only","transcript":[{"role":"user","content":"Hi"},{"role":"agent","content":"Hello"}]}"#
        guard case .updateOnly(let transcript) = try RetellInbound.decode(frame, memo: &memo) else {
            Issue.record("not an update")
            return
        }
        #expect(transcript == [Utterance(role: "user", content: "Hi"), Utterance(role: "agent", content: "Hello")])
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
