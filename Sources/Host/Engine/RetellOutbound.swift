import PluginAPI

/// Frames this server sends to Retell (retell.md §1.4), written directly as JSON bytes: optional fields
/// are omitted, never sent as null, and nothing is re-encoded on the per-token path.
enum RetellOutbound {
    static func config(autoReconnect: Bool = true, callDetails: Bool = true) -> String {
        #"{"response_type":"config","config":{"auto_reconnect":\#(autoReconnect),"call_details":\#(callDetails)}}"#
    }

    static func pingPong(timestamp: Int64) -> String {
        #"{"response_type":"ping_pong","timestamp":\#(timestamp)}"#
    }

    /// A `response` frame's UTF-8 bytes (the per-token path: no `String` in between); `endCall` and
    /// `transferNumber` only on the final frame.
    static func response(
        id: Int, content: String, complete: Bool, endCall: Bool = false, transferNumber: String? = nil
    ) -> [UInt8] {
        var json = JSONOutput(capacity: content.utf8.count + 96)
        json.beginObject()
        json.key("response_type")
        json.raw(#""response""#)
        json.key("response_id")
        json.int(id)
        json.key("content")
        json.string(content)
        json.key("content_complete")
        json.bool(complete)
        if endCall {
            json.key("end_call")
            json.bool(true)
        }
        if let transferNumber {
            json.key("transfer_number")
            json.string(transferNumber)
        }
        json.endObject()
        return json.bytes
    }

    static func toolCallInvocation(id: String, name: String, arguments: JSONValue) -> String {
        var json = JSONOutput()
        json.beginObject()
        json.key("response_type")
        json.raw(#""tool_call_invocation""#)
        json.key("tool_call_id")
        json.string(id)
        json.key("name")
        json.string(name)
        json.key("arguments")
        json.string(arguments.canonicalJSON)
        json.endObject()
        return json.text
    }

    static func toolCallResult(id: String, content: JSONValue, successful: Bool) -> String {
        var json = JSONOutput()
        json.beginObject()
        json.key("response_type")
        json.raw(#""tool_call_result""#)
        json.key("tool_call_id")
        json.string(id)
        json.key("content")
        json.string(content.canonicalJSON)
        json.key("successful")
        json.bool(successful)
        json.endObject()
        return json.text
    }
}
