import PluginAPI

/// An agent's `retell:` section: how `switchboard retell apply` creates its Retell voice agent.
///
/// ```yaml
/// agents:
///   bella-napoli:
///     retell: { voice_id: 11labs-Adrian, agent_name: "Bella Napoli" }
/// ```
public struct AgentRetellSettings: Sendable, Hashable {
    /// Retell's voice (e.g. `11labs-Adrian`).
    public var voiceID: String = "11labs-Adrian"
    /// The agent's name in Retell's dashboard; the agent id when not set.
    public var agentName: String?

    public init(voiceID: String = "11labs-Adrian", agentName: String? = nil) {
        self.voiceID = voiceID
        self.agentName = agentName
    }
}

extension AgentRetellSettings {
    /// Parses an agent's optional `retell:` mapping; problems go to `parent`.
    static func parse(_ node: ConfigNode?, into parent: inout ConfigReader) -> AgentRetellSettings {
        var settings = AgentRetellSettings()
        guard let node, node.value != .null else { return settings }
        var reader = ConfigReader(node)
        if let voice = reader.string("voice_id", default: settings.voiceID), !voice.isEmpty {
            settings.voiceID = voice
        } else {
            reader.report("voice_id must not be empty (e.g. 11labs-Adrian)", at: reader.node("voice_id"))
        }
        if let name = reader.string("agent_name", default: nil), !name.isEmpty { settings.agentName = name }
        reader.finish()
        parent.absorb(reader.issues)
        return settings
    }
}
