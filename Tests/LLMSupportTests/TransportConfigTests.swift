import LLMSupport
import PluginAPI
import Testing

@Suite("Transport configuration")
struct TransportConfigTests {
    func node(_ pairs: [(String, ConfigNode.Value)]) -> ConfigNode {
        ConfigNode(.mapping(pairs.map { key, value in
            (key: key, value: ConfigNode(value, location: SourceLocation(file: "agents.yaml", line: 3, column: 5), path: ["llms", "flash", key]))
        }), path: ["llms", "flash"])
    }

    @Test("timeouts, retries and delays are read from durations such as 8s and 50ms")
    func reads() {
        var reader = ConfigReader(node([
            ("timeouts", .mapping([("connect", ConfigNode(.string("2s"))), ("first_chunk", ConfigNode(.string("3s"))), ("idle", ConfigNode(.string("800ms")))])),
            ("max_retries", .int(1)), ("retry_delay", .string("10ms")), ("max_retry_delay", .string("50ms")),
            ("http_client", .string("async-http-client")),
        ]))
        let config = reader.transportConfig()
        reader.finish()
        #expect(reader.issues.isEmpty)
        #expect(config.httpClient == .asyncHTTPClient)
        #expect(TransportConfig().httpClient == .automatic)
        #expect(config.timeouts == StreamTimeouts(connect: .seconds(2), firstChunk: .seconds(3), idle: .milliseconds(800)))
        #expect(config.retry == RetryPolicy(maxRetries: 1, baseDelay: .milliseconds(10), maxDelay: .milliseconds(50)))
    }

    @Test("a bad duration, an unknown timeout and too many retries are each reported at their place")
    func reportsProblems() {
        let timeouts = ConfigNode(.mapping([
            ("idle", ConfigNode(.string("soon"), path: ["llms", "flash", "timeouts", "idle"])),
            ("frist_chunk", ConfigNode(.string("2s"), path: ["llms", "flash", "timeouts", "frist_chunk"])),
        ]), path: ["llms", "flash", "timeouts"])
        var reader = ConfigReader(node([("timeouts", timeouts.value), ("max_retries", .int(50)), ("http_client", .string("async-http"))]))
        _ = reader.transportConfig()
        reader.finish()
        let text = reader.issues.map(\.description)
        #expect(text.contains { $0.contains("idle") && $0.contains("duration") })
        #expect(text.contains { $0.contains("frist_chunk") && $0.contains("did you mean 'first_chunk'") })
        #expect(text.contains { $0.contains("max_retries") && $0.contains("between 0 and 5") })
        #expect(text.contains { $0.contains("http_client") && $0.contains("auto, async-http-client") })
    }

    @Test("base URLs must be http or https; trailing slashes are dropped")
    func baseURL() {
        var good = ConfigReader(node([("base_url", .string("http://127.0.0.1:11434/v1/"))]))
        #expect(good.baseURL("base_url", default: "https://x") == "http://127.0.0.1:11434/v1")
        #expect(good.issues.isEmpty)
        var bad = ConfigReader(node([("base_url", .string("localhost:11434"))]))
        _ = bad.baseURL("base_url", default: "https://x")
        #expect(bad.issues.count == 1)
    }
}
