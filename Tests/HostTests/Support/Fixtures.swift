import PluginAPI
import SwitchboardTesting

/// A one-agent agents.yaml using the notes skill and a scripted LLM.
enum Fixtures {
    static let persona = "You are the assistant of {{notes.title}}. Today is {{now.weekday}}, {{now.date}}. Caller: {{call.caller_number}}. Name: {{dynamic.first_name}}."

    static let yaml = """
        server:
          database: data/test.sqlite
        retell:
          api_key: ${RETELL_API_KEY}
        llms:
          test:
            plugin: scripted
            model: script-1
        agents:
          notes-desk:
            language: en-US
            timezone: Europe/Berlin
            persona: prompts/notes.md
            llm: test
            begin_message: "Hello from {{notes.title}}!"
            skills:
              - notes: { title: "Acme Notes" }
            tools: [end_call, transfer_call]
            transfer_number: "+14155550100"
            tool_timeout: 10s
        """

    static let files = ["prompts/notes.md": persona]

    static func plugins(_ llm: ScriptedLLM = ScriptedLLM([])) -> [any PluginFactory] {
        [NotesSkillPlugin(), ScriptedLLMPlugin(llm)]
    }
}
