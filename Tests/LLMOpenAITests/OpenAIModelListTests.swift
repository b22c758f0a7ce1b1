import LLMOpenAI
import PluginAPI
import SwitchboardTesting
import Testing

@Suite("OpenAI-compatible model list (switchboard llm check)")
struct OpenAIModelListTests {
    @Test("lists the ids of /models")
    func listsModels() async throws {
        try await FakeOpenAIServer.run { openai in
            let models = try await makeBackend(openai).listModels()
            #expect(models == ["gpt-4o-mini", "llama3.2"])
        }
    }
}
