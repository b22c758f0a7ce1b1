import LLMSupport
import Testing

@Suite("Retry policy")
struct RetryPolicyTests {
    let policy = RetryPolicy(maxRetries: 3, baseDelay: .milliseconds(100), maxDelay: .milliseconds(500))

    @Test("backoff doubles per retry, adds up to one base step of jitter and stops at the cap")
    func exponential() {
        #expect(policy.delay(beforeRetry: 0, requested: nil, jitter: 0) == .milliseconds(100))
        #expect(policy.delay(beforeRetry: 0, requested: nil, jitter: 0.5) == .milliseconds(150))
        #expect(policy.delay(beforeRetry: 1, requested: nil, jitter: 0) == .milliseconds(200))
        #expect(policy.delay(beforeRetry: 2, requested: nil, jitter: 0.5) == .milliseconds(450))
        let patient = RetryPolicy(maxRetries: 5, baseDelay: .milliseconds(100), maxDelay: .milliseconds(500))
        #expect(patient.delay(beforeRetry: 3, requested: nil, jitter: 0) == .milliseconds(500))
    }

    @Test("no retry once the retries are used up, or when retrying is off")
    func exhausted() {
        #expect(policy.delay(beforeRetry: 3, requested: nil, jitter: 0) == nil)
        #expect(RetryPolicy(maxRetries: 0).delay(beforeRetry: 0, requested: nil, jitter: 0) == nil)
    }

    @Test("the delay the provider asks for wins, unless it is longer than the cap")
    func requested() {
        #expect(policy.delay(beforeRetry: 0, requested: .milliseconds(420), jitter: 0.9) == .milliseconds(420))
        #expect(policy.delay(beforeRetry: 0, requested: .seconds(37), jitter: 0) == nil)
    }

    @Test("protobuf durations and plain seconds parse", arguments: [
        ("12.771204034s", Duration.milliseconds(12_772)), ("37s", .seconds(37)), ("3", .seconds(3)), ("0.05s", .milliseconds(50)),
    ])
    func delays(text: String, expected: Duration) {
        #expect(parseDelay(text) == expected)
    }

    @Test("garbage is not a delay")
    func badDelay() {
        #expect(parseDelay("soon") == nil)
        #expect(parseDelay("-1s") == nil)
    }

    @Test("an API key never survives in an error message")
    func redaction() {
        #expect("bad key AIzaSyFAKE123 rejected".redacting("AIzaSyFAKE123") == "bad key [redacted] rejected")
    }
}
