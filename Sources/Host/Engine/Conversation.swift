import PluginAPI

/// A tool call made during a call and its result, placed in the conversation by caller turn.
struct ToolExchange: Sendable {
    /// The caller turn it answered (number of caller utterances before it).
    var turnIndex: Int
    /// Groups the calls one LLM round made together.
    var round: Int
    var call: ToolCall
    var result: JSONValue
}

/// Builds the LLM's messages from Retell's transcript and this call's tool exchanges.
enum Conversation {
    /// The transcript as chat messages, with each tool exchange inserted right after the caller
    /// utterance it answered, so the model sees what it already did in earlier (or superseded) turns.
    static func messages(transcript: [Utterance], exchanges: [ToolExchange], isReminder: Bool) -> [ChatMessage] {
        var messages: [ChatMessage] = []
        messages.reserveCapacity(transcript.count + exchanges.count * 2 + 1)
        var callerTurns = 0
        var next = 0  // exchanges are kept in order of turn
        func flush(upTo turn: Int) {
            while next < exchanges.count, exchanges[next].turnIndex <= turn {
                let round = exchanges[next].round
                var calls: [ToolCall] = []
                var results: [ChatMessage] = []
                while next < exchanges.count, exchanges[next].round == round, exchanges[next].turnIndex <= turn {
                    calls.append(exchanges[next].call)
                    results.append(.toolResult(ToolResultMessage(callID: exchanges[next].call.id, name: exchanges[next].call.name, content: exchanges[next].result)))
                    next += 1
                }
                messages.append(.assistant(AssistantTurn(text: "", toolCalls: calls)))
                messages += results
            }
        }
        for utterance in transcript {
            switch utterance.role {
            case "user":
                flush(upTo: callerTurns)
                messages.append(.user(utterance.content))
                callerTurns += 1
            case "agent":
                flush(upTo: callerTurns)
                if !utterance.content.isEmpty { messages.append(.assistant(AssistantTurn(text: utterance.content))) }
            default:
                continue
            }
        }
        flush(upTo: callerTurns)
        if isReminder {
            messages.append(.user("(The caller has been silent for a while. Check in briefly.)"))
        }
        return messages
    }

    /// The number of caller utterances: the index of the caller turn a request answers.
    static func callerTurns(_ transcript: [Utterance]) -> Int {
        transcript.reduce(0) { $0 + ($1.role == "user" ? 1 : 0) }
    }

    /// The transcript as plain text, `Agent: …` / `User: …` lines.
    static func plainText(_ transcript: [Utterance]) -> String {
        var text = ""
        for utterance in transcript {
            text += utterance.role == "agent" ? "Agent: " : utterance.role == "user" ? "User: " : utterance.role + ": "
            text += utterance.content
            text += "\n"
        }
        return text
    }
}
