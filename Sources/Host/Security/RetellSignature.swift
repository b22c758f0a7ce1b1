import Crypto
import Foundation

/// Retell's `X-Retell-Signature` (webhooks, the inbound-call webhook and custom functions):
/// `v=<timestamp ms>,d=<64 hex digits>`, where the digest is HMAC-SHA256 keyed with the Retell API key over
/// the raw body bytes followed by the timestamp's decimal digits. Accepted within five minutes of now, in
/// both directions (exactly five minutes is still accepted).
public enum RetellSignature {
    /// How far the signed timestamp may be from now, in milliseconds.
    public static let toleranceMilliseconds: Int64 = 300_000

    /// Why a signature was rejected (never mentions the key).
    public enum Failure: Error, Sendable, Hashable, CustomStringConvertible {
        case missingHeader
        case malformedHeader
        /// The timestamp is more than five minutes from now; `skew` = now − timestamp, in ms.
        case outsideTolerance(skew: Int64)
        case mismatch

        public var description: String {
            switch self {
            case .missingHeader: return "missing X-Retell-Signature header"
            case .malformedHeader: return "malformed X-Retell-Signature header (expected v=<ms>,d=<64 hex digits>)"
            case .outsideTolerance(let skew):
                return skew > 0
                    ? "signature timestamp is \(skew / 1000) s old (more than 5 minutes)"
                    : "signature timestamp is \(-skew / 1000) s in the future (more than 5 minutes)"
            case .mismatch: return "signature does not match the body"
            }
        }
    }

    /// Checks `header` against `body`. Throws ``Failure`` when it does not verify.
    public static func verify(body: some Collection<UInt8>, header: String?, apiKey: String, now: Date) throws(Failure) {
        guard let header else { throw .missingHeader }
        guard let (digits, mac) = parse(header), let timestamp = Int64(digits) else { throw .malformedHeader }
        let skew = Int64((now.timeIntervalSince1970 * 1000).rounded(.down)) - timestamp
        guard abs(skew) <= toleranceMilliseconds else { throw .outsideTolerance(skew: skew) }
        var message = Data(body)
        message.append(contentsOf: Array(digits.utf8))
        let key = SymmetricKey(data: Data(apiKey.utf8))
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: message, using: key) else { throw .mismatch }
    }

    /// The header Retell would send for `body` at `timestamp` (ms): what tests and fake servers sign with.
    public static func sign(body: some Collection<UInt8>, apiKey: String, timestamp: Int64) -> String {
        var message = Data(body)
        message.append(contentsOf: Array(String(timestamp).utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(apiKey.utf8)))
        return "v=\(timestamp),d=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    /// Splits a whole-string match of `v=(\d+),d=([0-9a-fA-F]{64})` into the timestamp digits and the
    /// 32 digest bytes; `nil` for anything else.
    static func parse(_ header: String) -> (digits: Substring, mac: [UInt8])? {
        let text = Substring(header)
        guard text.hasPrefix("v="), let comma = text.firstIndex(of: ",") else { return nil }
        let digits = text[text.index(text.startIndex, offsetBy: 2)..<comma]
        // 18 digits fit Int64 and cover every millisecond timestamp until the year 33658.
        guard (1...18).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let rest = text[text.index(after: comma)...]
        guard rest.hasPrefix("d=") else { return nil }
        let hex = Array(rest.dropFirst(2).utf8)
        guard hex.count == 64 else { return nil }
        var mac: [UInt8] = []
        mac.reserveCapacity(32)
        var index = 0
        while index < 64 {
            guard let high = hexValue(hex[index]), let low = hexValue(hex[index + 1]) else { return nil }
            mac.append(high << 4 | low)
            index += 2
        }
        return (digits, mac)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
