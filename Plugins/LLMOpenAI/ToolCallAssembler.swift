import PluginAPI

/// Assembles streamed `tool_calls` fragments into whole calls (spec §B3.3).
///
/// Fragments are keyed by `index`. Servers that get this wrong are handled too: without `index` (older
/// Ollama) a fragment with a new `id` starts a call and one without an id continues the latest call; when
/// every call arrives at `index` 0 (some proxies), a different `id` at a used index starts a new call.
public struct ToolCallAssembler: Sendable {
    /// One fragment of a streamed call.
    public struct Fragment: Sendable {
        public var index: Int?
        public var id: String?
        public var name: String?
        public var arguments: String?

        public init(index: Int?, id: String?, name: String?, arguments: String?) {
            self.index = index
            self.id = id
            self.name = name
            self.arguments = arguments
        }
    }

    private struct Slot {
        var index: Int?
        var id: String?
        var name = ""
        var arguments = ""
    }

    private var slots: [Slot] = []

    public init() {}

    /// Whether any call has started.
    public var isEmpty: Bool { slots.isEmpty }

    /// Adds one fragment.
    public mutating func add(_ fragment: Fragment) {
        let position: Int
        if let index = fragment.index {
            if let existing = slots.lastIndex(where: { $0.index == index }),
                !(fragment.id != nil && slots[existing].id != nil && fragment.id != slots[existing].id)
            {
                position = existing
            } else {
                slots.append(Slot(index: index))
                position = slots.count - 1
            }
        } else if let last = slots.indices.last, fragment.id == nil || fragment.id == slots[last].id {
            position = last
        } else {
            slots.append(Slot(index: nil))
            position = slots.count - 1
        }
        if let id = fragment.id { slots[position].id = id }
        if let name = fragment.name, !name.isEmpty, name != slots[position].name {
            slots[position].name += name
        }
        if let arguments = fragment.arguments { slots[position].arguments += arguments }
    }

    /// The finished calls in ascending index order (arrival order for calls without one). A call without an
    /// id gets `makeID(n)`; arguments that are not valid JSON are passed on as a string, so the tool's schema
    /// check tells the model what went wrong.
    public func calls(makeID: (Int) -> String) throws -> [ToolCall] {
        let ordered = slots.enumerated().sorted { ($0.element.index ?? $0.offset, $0.offset) < ($1.element.index ?? $1.offset, $1.offset) }
        return try ordered.enumerated().map { number, entry in
            let slot = entry.element
            guard !slot.name.isEmpty else { throw LLMError(.malformedResponse, message: "a streamed tool call has no function name") }
            let trimmed = slot.arguments.trimmingSpaces
            let arguments: JSONValue
            if trimmed.isEmpty {
                arguments = .object([:])
            } else if let parsed = try? JSONValue(parsing: trimmed) {
                arguments = parsed
            } else {
                arguments = .string(slot.arguments)
            }
            return ToolCall(id: slot.id ?? makeID(number + 1), name: slot.name, arguments: arguments)
        }
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        var view = Substring(self)
        while view.first?.isWhitespace == true { view = view.dropFirst() }
        while view.last?.isWhitespace == true { view = view.dropLast() }
        return String(view)
    }
}
