import Appointments
import Host
import LLMGemini
import LLMOpenAI
import Restaurant

// The only place that names concrete plugins: register every plugin this build ships.
await SwitchboardCLI.main(plugins: [AppointmentsPlugin(), RestaurantPlugin(), GeminiPlugin(), OpenAIPlugin()])
