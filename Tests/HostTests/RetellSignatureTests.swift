import Foundation
import Host
import Hummingbird
import HummingbirdTesting
import PluginAPI
import SwitchboardTesting
import Testing

/// The test vectors of retell.md §2.7, and every way a signature must be refused.
@Suite("Retell signatures")
struct RetellSignatureTests {
    static let key = RetellFixtures.apiKey
    static let now = Date(timeIntervalSince1970: 1_754_400_000)
    static let callEnded = #"{"event":"call_ended","call":{"call_id":"call_8c1e2f","agent_id":"agent_4b7d","call_status":"ended","disconnection_reason":"user_hangup"}}"#
    static let callEndedPretty = "{\n  \"event\": \"call_ended\",\n  \"call\": {\n    \"call_id\": \"call_8c1e2f\",\n    \"agent_id\": \"agent_4b7d\",\n    \"call_status\": \"ended\",\n    \"disconnection_reason\": \"user_hangup\"\n  }\n}"
    static let nonASCII = #"{"event":"call_analyzed","call":{"call_id":"call_8c1e2f","transcript":"User: ¿Mañana a las 10?"}}"#
    static let nonASCIIEscaped = #"{"event":"call_analyzed","call":{"call_id":"call_8c1e2f","transcript":"User: \u00bfMa\u00f1ana a las 10?"}}"#
    static let function = #"{"name":"check_weather","args":{"city":"New York"},"call":{"call_id":"call_8c1e2f","agent_id":"agent_4b7d","call_status":"ongoing"}}"#

    func verify(_ body: String, _ header: String?, key: String = key, now: Date = now) throws(RetellSignature.Failure) {
        try RetellSignature.verify(body: Array(body.utf8), header: header, apiKey: key, now: now)
    }

    @Test("vector 1: compact call_ended verifies; the pretty-printed body does not")
    func vector1() throws {
        let header = "v=1754400000000,d=8a4cf48518b73f3bef988a9bb86be0c381e848adaca765f44a3909d46f1ee95e"
        #expect(RetellSignature.sign(body: Array(Self.callEnded.utf8), apiKey: Self.key, timestamp: 1_754_400_000_000) == header)
        try verify(Self.callEnded, header)
        #expect(RetellSignature.sign(body: Array(Self.callEndedPretty.utf8), apiKey: Self.key, timestamp: 1_754_400_000_000)
            == "v=1754400000000,d=a7ce6ff74496b708bcdc0afb1d26ed5b041806e1da1888c46c1e227c0d3b7914")
        #expect(throws: RetellSignature.Failure.mismatch) { try verify(Self.callEndedPretty, header) }
    }

    @Test("vector 2: non-ASCII body hashed as raw UTF-8; the \\u-escaped re-serialisation fails")
    func vector2() throws {
        #expect(Self.nonASCII.utf8.count == 99)
        let header = "v=1754400000000,d=2f8d4e19780881d249a9919fbccad823baf50ed70d9402fe4afd2c1a2664264a"
        try verify(Self.nonASCII, header)
        #expect(RetellSignature.sign(body: Array(Self.nonASCIIEscaped.utf8), apiKey: Self.key, timestamp: 1_754_400_000_000)
            == "v=1754400000000,d=52bf6a490979f6dc4ff1da1f3a0e593c5b1e50d87a3c98e02a6a6b954b1528af")
        #expect(throws: RetellSignature.Failure.mismatch) { try verify(Self.nonASCIIEscaped, header) }
    }

    @Test("vector 3: an empty body signs just the timestamp")
    func vector3() throws {
        try verify("", "v=1754400000000,d=24ee36a245bbc0cd76bb5f4a688795463c3cdac500e615d716bfbc186f89a9e9")
    }

    @Test("vector 4: custom-function body")
    func vector4() throws {
        try verify(Self.function, "v=1754400000000,d=6bcfa5e6b55ee9467d2975b6e9cec47a199a4468f87bf770eb0dbaedd7b3418a")
    }

    @Test("vector 5 (official SDK vector) and the five-minute tolerance in both directions")
    func vector5AndTolerance() throws {
        let header = "v=1700000000000,d=07024cabe7dd8f6d1c6e4a8324ca92c812e6ad4a7ee506c04f7e462e3321823e"
        let body = #"{"event":"call_ended"}"#
        func at(_ milliseconds: Int64) -> Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }
        try verify(body, header, key: "test-api-key", now: at(1_700_000_000_000))
        try verify(body, header, key: "test-api-key", now: at(1_700_000_300_000))  // exactly 5 minutes later
        try verify(body, header, key: "test-api-key", now: at(1_699_999_700_000))  // exactly 5 minutes earlier
        #expect(throws: RetellSignature.Failure.outsideTolerance(skew: 300_001)) {
            try verify(body, header, key: "test-api-key", now: at(1_700_000_300_001))
        }
        #expect(throws: RetellSignature.Failure.outsideTolerance(skew: -300_001)) {
            try verify(body, header, key: "test-api-key", now: at(1_699_999_699_999))
        }
        #expect(throws: RetellSignature.Failure.mismatch) { try verify(body, header, key: "another-key", now: at(1_700_000_000_000)) }
    }

    @Test("tampered bodies, swapped timestamps and malformed or missing headers are refused")
    func tamperCases() throws {
        let digest = "8a4cf48518b73f3bef988a9bb86be0c381e848adaca765f44a3909d46f1ee95e"
        let good = "v=1754400000000,d=\(digest)"
        let tampered = Self.callEnded.replacingOccurrences(of: "user_hangup", with: "agent_hangup")
        #expect(throws: RetellSignature.Failure.mismatch) { try verify(tampered, good) }
        #expect(throws: RetellSignature.Failure.mismatch) { try verify(Self.callEnded + "\n", good) }
        // Same digest, another timestamp inside the window: the timestamp is part of the message.
        #expect(throws: RetellSignature.Failure.mismatch) { try verify(Self.callEnded, "v=1754400000001,d=\(digest)") }
        #expect(throws: RetellSignature.Failure.missingHeader) { try verify(Self.callEnded, nil) }
        let malformed = [
            "", "v=1754400000000", "d=\(digest)", "d=\(digest),v=1754400000000", "v=,d=\(digest)", "v=17544x0000000,d=\(digest)",
            "v=1754400000000,d=\(digest.dropLast())", "v=1754400000000,d=\(digest)0", "v=1754400000000,d=\(digest.dropLast())g",
            " v=1754400000000,d=\(digest)", "v=1754400000000, d=\(digest)", "v=1754400000000,d=\(digest),x=1",
            "v=1754400000000;d=\(digest)", "v=-1754400000000,d=\(digest)", "v=17544000000000000000000,d=\(digest)",
        ]
        for header in malformed {
            #expect(throws: RetellSignature.Failure.malformedHeader, "\(header)") { try verify(Self.callEnded, header) }
        }
        try verify(Self.callEnded, good.uppercased().replacingOccurrences(of: "V=", with: "v=").replacingOccurrences(of: "D=", with: "d="))
    }
}
