import Hummingbird
import NIOCore
import PluginAPI

extension Response {
    /// A response whose body is `body` as JSON.
    static func json(_ body: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: body.canonicalJSON)))
    }

    /// `{"error": message}` with `status`.
    static func jsonError(_ message: String, status: HTTPResponse.Status, details: JSONValue? = nil) -> Response {
        var body: [String: JSONValue] = ["error": .string(message)]
        if let details { body["details"] = details }
        return json(.object(body), status: status)
    }
}
