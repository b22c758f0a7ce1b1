import LLMGemini
import PluginAPI
import SwitchboardTesting
import Testing

@Suite("Gemini model list (switchboard llm check)")
struct GeminiModelListTests {
    @Test("lists the models the key may use, without the models/ prefix")
    func listsModels() async throws {
        try await FakeGeminiServer.run { gemini in
            let models = try await makeBackend(gemini).listModels()
            #expect(models == ["gemini-2.5-flash", "gemini-2.5-pro"])
            #expect(gemini.requests.last?.headers["x-goog-api-key"] == gemini.apiKey)
        }
    }
}
