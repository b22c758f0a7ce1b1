import PluginAPI

/// A Retell custom-function request, told apart as contracts.md says: Retell's envelope
/// `{name, args, call}` only when the body has a string `name`, an `args` object and a `call` object;
/// otherwise (`args_at_root`) the body is the arguments themselves, with no call context.
struct FunctionRequest: Sendable, Equatable {
    var toolName: String
    var arguments: JSONValue
    /// Retell's call object, when the request came in the envelope.
    var call: JSONValue?

    /// Why a body cannot be a function request.
    struct Problem: Error, Equatable {
        var message: String
    }

    /// Decodes `body` for the tool named in the path (`pathTool`), or for the envelope's `name` when the
    /// path has none.
    init(body: JSONValue, pathTool: String?) throws(Problem) {
        if let name = body["name"]?.stringValue, case .object? = body["args"], case .object? = body["call"] {
            toolName = pathTool ?? name
            arguments = body["args"]!
            call = body["call"]
            return
        }
        guard let pathTool else {
            throw Problem(message: "expected Retell's envelope {\"name\": …, \"args\": {…}, \"call\": {…}}; "
                + "arguments at the root are accepted only on /retell/functions/{agent}/{tool}")
        }
        guard case .object = body else { throw Problem(message: "the arguments must be a JSON object") }
        toolName = pathTool
        arguments = body
        call = nil
    }
}
