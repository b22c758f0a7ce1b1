import Foundation
import PluginAPI
import Synchronization

/// An LLM backend that answers by rules instead of a model: the test double for conversations.
///
/// ```swift
/// let llm = ScriptedLLM([
///     .init(.userSays("two large pizzas"), toolCalls: [("add_to_order", ["item": "margherita", "quantity": 2])]),
///     .init(.toolResult("add_to_order"), say: ["Two large margheritas, ", "anything else?"]),
/// ], otherwise: .init(.always, say: ["Sorry, could you repeat that?"]))
/// ```
///
/// A rule is chosen by the last message of the request: a tool result picks the first `.toolResult`
/// rule for that tool, a caller's words the first `.userSays` rule whose text they contain
/// (case-insensitive). Every request is recorded, and so is every generation cancelled before its end.
public final class ScriptedLLM: LLMBackend {
    /// What a rule answers to.
    public enum Trigger: Sendable {
        /// The caller's last words contain this text (case-insensitive).
        case userSays(String)
        /// The last message is the result of this tool.
        case toolResult(String)
        /// Anything.
        case always
    }

    /// One rule: its trigger and its reply.
    public struct Rule: Sendable {
        public var trigger: Trigger
        /// Text chunks streamed one by one.
        public var chunks: [String]
        /// Tool calls emitted after the text.
        public var toolCalls: [(name: String, arguments: JSONValue)]
        /// Wait before each chunk (and before the first).
        public var delay: Duration
        /// Fail instead of answering (after the chunks, if any).
        public var failure: LLMError?
        /// Wait after the end of the answer before returning, like a provider whose stream stays open a
        /// while after its last event.
        public var linger: Duration
        /// Fail after the end of the answer (and the linger), like a stream that breaks after its last event.
        public var failureAfterEnd: LLMError?

        public init(
            _ trigger: Trigger, say chunks: [String] = [], toolCalls: [(name: String, arguments: JSONValue)] = [],
            delay: Duration = .zero, failure: LLMError? = nil, linger: Duration = .zero, failureAfterEnd: LLMError? = nil
        ) {
            self.trigger = trigger
            self.chunks = chunks
            self.toolCalls = toolCalls
            self.delay = delay
            self.failure = failure
            self.linger = linger
            self.failureAfterEnd = failureAfterEnd
        }
    }

    private let rules: [Rule]
    private let fallback: Rule
    private let log = Mutex<(requests: [LLMRequest], cancellations: Int, callCounter: Int)>(([], 0, 0))

    public init(_ rules: [Rule], otherwise fallback: Rule = Rule(.always, say: ["I'm not sure."])) {
        self.rules = rules
        self.fallback = fallback
    }

    /// Every request received, oldest first.
    public var requests: [LLMRequest] { log.withLock { $0.requests } }

    /// How many generations were cancelled before they finished.
    public var cancellations: Int { log.withLock { $0.cancellations } }

    /// The rule that answers `request`.
    public func rule(for request: LLMRequest) -> Rule {
        switch request.messages.last {
        case .toolResult(let result)?:
            return rules.first { if case .toolResult(result.name) = $0.trigger { return true } else { return false } } ?? fallback
        case .user(let text)?:
            let spoken = text.lowercased()
            return rules.first {
                switch $0.trigger {
                case .userSays(let phrase): return spoken.contains(phrase.lowercased())
                case .always: return true
                case .toolResult: return false
                }
            } ?? fallback
        default:
            return rules.first { if case .always = $0.trigger { return true } else { return false } } ?? fallback
        }
    }

    public func generate(_ request: LLMRequest, onEvent: @escaping LLMEventSink) async throws {
        let rule = rule(for: request)
        let firstCallNumber = log.withLock { state in
            state.requests.append(request)
            state.callCounter += rule.toolCalls.count
            return state.callCounter - rule.toolCalls.count
        }
        do {
            for chunk in rule.chunks {
                if rule.delay > .zero { try await Task.sleep(for: rule.delay) }
                try Task.checkCancellation()
                onEvent(.textDelta(chunk))
            }
            if rule.delay > .zero, rule.chunks.isEmpty { try await Task.sleep(for: rule.delay) }
            try Task.checkCancellation()
            if let failure = rule.failure { throw failure }
            for (offset, call) in rule.toolCalls.enumerated() {
                onEvent(.toolCall(ToolCall(id: "scripted-\(firstCallNumber + offset + 1)", name: call.name, arguments: call.arguments)))
            }
            onEvent(.finished(LLMFinish(reason: rule.toolCalls.isEmpty ? .stop : .toolCalls)))
            if rule.linger > .zero { try await Task.sleep(for: rule.linger) }
            if let failure = rule.failureAfterEnd { throw failure }
        } catch is CancellationError {
            log.withLock { $0.cancellations += 1 }
            throw CancellationError()
        }
    }
}

/// A plugin factory that hands out one ``ScriptedLLM`` for every `llms` entry naming it.
public struct ScriptedLLMPlugin: PluginFactory {
    public let id: String
    public let kind = PluginKind.llm
    public let llm: ScriptedLLM

    public init(id: String = "scripted", _ llm: ScriptedLLM) {
        self.id = id
        self.llm = llm
    }

    public func make(config: ConfigNode, context: PluginSetupContext) async throws -> PluginInstance {
        var reader = ConfigReader(config)
        reader.allow("model")
        reader.finish()
        if !reader.issues.isEmpty { throw ConfigErrors(reader.issues) }
        return .llm(llm)
    }
}
