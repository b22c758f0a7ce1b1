import AsyncHTTPClient
import Foundation
import NIOCore
import PluginAPI

/// Fetches a provider's model list (a plain JSON GET) for `switchboard llm check`.
public enum ModelList {
    /// GETs `url` with `headers` and returns the JSON body; a non-2xx answer throws an ``LLMError`` with
    /// the provider's status and message (`secret` is removed from it).
    public static func fetch(client: HTTPClient, url: String, headers: [(String, String)], secret: String) async throws -> JSONValue {
        var request = HTTPClientRequest(url: url)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await client.execute(request, timeout: .seconds(20))
        let body = String(buffer: try await response.body.collect(upTo: 8 << 20))
        guard (200..<300).contains(response.status.code) else {
            let message = secret.isEmpty ? body : body.replacingOccurrences(of: secret, with: "***")
            throw LLMError(response.status.code == 401 || response.status.code == 403 ? .authentication : .invalidRequest,
                           status: Int(response.status.code), message: String(message.prefix(500)))
        }
        return try JSONValue(parsing: body)
    }
}
