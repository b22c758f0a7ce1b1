import LLMGemini
import PluginAPI
import SwitchboardTesting
import Testing

@Suite("Gemini in agents.yaml")
struct GeminiCatalogTests {
    let yaml = """
    llms:
      flash:
        plugin: gemini
        model: gemini-2.5-flash
        api_key: ${GEMINI_API_KEY}
        base_url: ${GEMINI_BASE_URL:-https://generativelanguage.googleapis.com}
        temperature: 0.3
    agents:
      demo:
        language: en-US
        persona: persona.md
        llm: flash
        begin_message: "Hello!"
    """

    @Test("an llms entry with plugin: gemini builds a streaming backend that talks to GEMINI_BASE_URL")
    func buildsFromYAML() async throws {
        try await FakeGeminiServer.run { gemini in
            let catalog = try await TestFixtures.catalog(
                yaml: yaml, files: ["persona.md": "You are a demo."], plugins: [GeminiPlugin()],
                environment: ["GEMINI_API_KEY": gemini.apiKey, "GEMINI_BASE_URL": gemini.baseURL])
            let agent = try #require(catalog.agent("demo"))
            #expect(agent.status == .ok)
            let llm = try #require(agent.llm)
            gemini.enqueue(FakeGeminiServer.text(["Hi from the fake."]))
            let outcome = await collect(llm.stream(question()))
            #expect(outcome.text == "Hi from the fake.")
            #expect(gemini.requests.first?.body?["generationConfig"]?["temperature"] == 0.3)
        }
    }

    @Test("without GEMINI_API_KEY the agent loads degraded instead of stopping the server")
    func degradedWithoutKey() async throws {
        let catalog = try await TestFixtures.catalog(yaml: yaml, files: ["persona.md": "You are a demo."], plugins: [GeminiPlugin()])
        let agent = try #require(catalog.agent("demo"))
        #expect(agent.status != .ok)
    }
}
