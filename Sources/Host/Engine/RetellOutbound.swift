import PluginAPI

/// Frames this server sends to Retell (retell.md §1.4), written by hand: optional fields are omitted,
/// never sent as null, and nothing is re-encoded on the per-token path.
enum RetellOutbound {
    static func config(autoReconnect: Bool = true, callDetails: Bool = true) -> String {
        #"{"response_type":"config","config":{"auto_reconnect":\#(autoReconnect),"call_details":\#(callDetails)}}"#
    }

    static func pingPong(timestamp: Int64) -> String {
        #"{"response_type":"ping_pong","timestamp":\#(timestamp)}"#
    }

    /// A `response` frame; `endCall` and `transferNumber` only on the final frame.
    static func response(
        id: Int, content: String, complete: Bool, endCall: Bool = false, transferNumber: String? = nil
    ) -> String {
        var frame = #"{"response_type":"response","response_id":"#
        frame += String(id)
        frame += #","content":"#
        JSONValue.appendQuoted(content, to: &frame)
        frame += complete ? #","content_complete":true"# : #","content_complete":false"#
        if endCall { frame += #","end_call":true"# }
        if let transferNumber {
            frame += #","transfer_number":"#
            JSONValue.appendQuoted(transferNumber, to: &frame)
        }
        frame += "}"
        return frame
    }

    static func toolCallInvocation(id: String, name: String, arguments: JSONValue) -> String {
        var frame = #"{"response_type":"tool_call_invocation","tool_call_id":"#
        JSONValue.appendQuoted(id, to: &frame)
        frame += #","name":"#
        JSONValue.appendQuoted(name, to: &frame)
        frame += #","arguments":"#
        JSONValue.appendQuoted(arguments.canonicalJSON, to: &frame)
        frame += "}"
        return frame
    }

    static func toolCallResult(id: String, content: JSONValue, successful: Bool) -> String {
        var frame = #"{"response_type":"tool_call_result","tool_call_id":"#
        JSONValue.appendQuoted(id, to: &frame)
        frame += #","content":"#
        JSONValue.appendQuoted(content.canonicalJSON, to: &frame)
        frame += successful ? #","successful":true}"# : #","successful":false}"#
        return frame
    }
}
