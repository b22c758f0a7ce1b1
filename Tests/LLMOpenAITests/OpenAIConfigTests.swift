import LLMOpenAI
import PluginAPI
import SwitchboardTesting
import Testing

@Suite("OpenAI-compatible configuration")
struct OpenAIConfigTests {
    func entry(_ pairs: [(String, ConfigNode.Value)]) -> ConfigNode {
        ConfigNode(.mapping(pairs.map { key, value in (key: key, value: ConfigNode(value, path: ["llms", "gpt", key])) }), path: ["llms", "gpt"])
    }

    @Test("OpenAI itself gets max_completion_tokens; other servers get max_tokens; the key is optional")
    func defaults() throws {
        let openai = try OpenAIConfig(reading: entry([("model", .string("gpt-4o-mini")), ("api_key", .string("sk-x"))]))
        #expect(openai.baseURL == "https://api.openai.com/v1")
        #expect(openai.quirks.maxTokensField == "max_completion_tokens")
        let ollama = try OpenAIConfig(reading: entry([("model", .string("llama3.1")), ("base_url", .string("http://localhost:11434/v1"))]))
        #expect(ollama.apiKey.isEmpty)
        #expect(ollama.quirks.maxTokensField == "max_tokens")
        #expect(ollama.quirks.streamUsage)
    }

    @Test("unknown keys and bad values are reported together")
    func mistakes() {
        #expect {
            try OpenAIConfig(reading: entry([
                ("model", .string("gpt-4o-mini")), ("base_url", .string("api.openai.com")), ("max_tokens_field", .string("tokens")),
                ("stream_usge", .bool(false)),
            ]))
        } throws: { error in
            let lines = (error as? ConfigErrors)?.issues.map(\.description) ?? []
            return lines.count == 3 && lines.contains("llms.gpt.stream_usge: unknown key (did you mean 'stream_usage'?)")
        }
    }
}
