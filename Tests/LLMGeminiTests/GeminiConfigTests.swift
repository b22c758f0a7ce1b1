import LLMGemini
import LLMSupport
import PluginAPI
import SwitchboardTesting
import Testing

@Suite("Gemini configuration")
struct GeminiConfigTests {
    func entry(_ pairs: [(String, ConfigNode.Value)]) -> ConfigNode {
        ConfigNode(.mapping(pairs.enumerated().map { line, pair in
            (key: pair.0, value: ConfigNode(
                pair.1, location: SourceLocation(file: "agents.yaml", line: line + 3, column: 14),
                keyLocation: SourceLocation(file: "agents.yaml", line: line + 3, column: 5), path: ["llms", "flash", pair.0]))
        }), location: SourceLocation(file: "agents.yaml", line: 2, column: 5), path: ["llms", "flash"])
    }

    @Test("a full entry is read, with durations, retries and safety settings")
    func reads() throws {
        let config = try GeminiConfig(reading: entry([
            ("model", .string("gemini-2.5-flash")), ("api_key", .string("k")), ("base_url", .string("http://127.0.0.1:9999/")),
            ("temperature", .double(0.3)), ("max_output_tokens", .int(256)), ("top_p", .double(0.9)), ("thinking_budget", .int(512)),
            ("safety_settings", .sequence([ConfigNode(.mapping([
                ("category", ConfigNode(.string("HARM_CATEGORY_HARASSMENT"))), ("threshold", ConfigNode(.string("BLOCK_ONLY_HIGH"))),
            ]))])),
            ("timeouts", .mapping([("idle", ConfigNode(.string("8s")))])), ("max_retries", .int(1)),
        ]))
        #expect(config.baseURL == "http://127.0.0.1:9999")
        #expect(config.thinking == .budget(512))
        #expect(config.safetySettings == [["category": "HARM_CATEGORY_HARASSMENT", "threshold": "BLOCK_ONLY_HIGH"]])
        #expect(config.transport.timeouts.idle == .seconds(8))
        #expect(config.transport.retry.maxRetries == 1)
    }

    @Test("every mistake is reported, located, with a suggestion for a misspelt key")
    func reportsMistakes() {
        #expect {
            try GeminiConfig(reading: entry([
                ("api_key", .string("k")), ("temprature", .double(0.3)), ("thinking_budget", .int(0)), ("thinking_level", .string("low")),
                ("top_p", .double(3)),
            ]))
        } throws: { error in
            let lines = (error as? ConfigErrors)?.issues.map(\.description) ?? []
            return lines.contains("agents.yaml:2:5: llms.flash: missing required key 'model'")
                && lines.contains("agents.yaml:4:5: llms.flash.temprature: unknown key (did you mean 'temperature'?)")
                && lines.contains { $0.contains("thinking_budget") && $0.contains("not both") }
                && lines.contains { $0.hasPrefix("agents.yaml:7:14: llms.flash.top_p") }
        }
    }

    @Test("an unknown thinking level is rejected with the levels Gemini knows")
    func thinkingLevel() {
        #expect(throws: ConfigErrors.self) {
            try GeminiConfig(reading: entry([("model", .string("gemini-3.6-flash")), ("thinking_level", .string("tiny"))]))
        }
    }

    @Test("an entry without a key still builds (the agent is degraded) and fails at use with an authentication error")
    func missingKey() async throws {
        let config = try GeminiConfig(reading: entry([("model", .string("gemini-2.5-flash")), ("api_key", .string(""))]))
        let backend = GeminiBackend(config: config, client: .shared, logger: .init(label: "test"))
        let outcome = await collect(backend.stream(question()))
        #expect(outcome.llmError?.kind == .authentication)
    }
}
