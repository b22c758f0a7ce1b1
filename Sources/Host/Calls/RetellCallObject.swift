import PluginAPI

/// Reading Retell's call object (webhooks, custom functions): what plugins and the tool router see.
enum RetellCallObject {
    /// The call as a plugin sees it; `callID` falls back to `fallbackID` when the object has none.
    static func callInfo(_ call: JSONValue, agentID: String, fallbackID: String) -> CallInfo {
        var variables: [String: String] = [:]
        for (key, value) in call["retell_llm_dynamic_variables"]?.objectValue ?? [:] {
            switch value {
            case .string(let text): variables[key] = text
            case .null: break
            default: variables[key] = value.canonicalJSON
            }
        }
        return CallInfo(
            callID: call["call_id"]?.stringValue ?? fallbackID, agentID: agentID, retellAgentID: call["agent_id"]?.stringValue,
            fromNumber: call["from_number"]?.stringValue, toNumber: call["to_number"]?.stringValue,
            direction: call["direction"]?.stringValue, metadata: call["metadata"] ?? .null, dynamicVariables: variables)
    }

    /// The transcript as text: Retell's `transcript` string, else one `Role: content` line per utterance
    /// of `transcript_object`; `nil` when the object has neither.
    static func transcriptText(_ call: JSONValue) -> String? {
        if let text = call["transcript"]?.stringValue { return text }
        guard let utterances = call["transcript_object"]?.arrayValue else { return nil }
        return utterances.map { utterance in
            let role = utterance["role"]?.stringValue ?? "unknown"
            return role.prefix(1).uppercased() + role.dropFirst() + ": " + (utterance["content"]?.stringValue ?? "") + "\n"
        }.joined()
    }

    /// The number of caller utterances in `transcript_object`: the caller turn a custom function runs for.
    static func callerTurns(_ call: JSONValue) -> Int? {
        guard let utterances = call["transcript_object"]?.arrayValue else { return nil }
        return utterances.filter { $0["role"]?.stringValue == "user" }.count
    }
}
