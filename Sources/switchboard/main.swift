import Host
import LLMGemini
import LLMOpenAI
import Restaurant

// The only place that names concrete plugins: register every plugin this build ships.
await SwitchboardCLI.main(plugins: [RestaurantPlugin(), GeminiPlugin(), OpenAIPlugin()])
