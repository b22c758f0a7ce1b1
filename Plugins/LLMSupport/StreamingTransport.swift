import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// One attempt of a streaming request, whichever client carries it.
protocol StreamingAttempt: Sendable {
    /// Where the response is read (the watchdog's timer runs there too).
    var eventLoop: any EventLoop { get }
    var futureResult: EventLoopFuture<Void> { get }
    func cancel()
    func fail(reason: any Error)
}

extension HTTPClient.Task<Void>: StreamingAttempt {}
extension PlainHTTPExchange: StreamingAttempt {}

/// How a ``StreamingEndpoint`` reaches its URL: Switchboard's own HTTP/1.1 client for `http://` (unless
/// configured otherwise), AsyncHTTPClient for `https://` (HTTP/2 where the server offers it). Each holds
/// the request parsed once; an attempt copies it and sets the body.
enum StreamingTransport: Sendable {
    case plain(PlainHTTPClient, PlainHTTPRequest)
    case asyncHTTPClient(HTTPClient, HTTPClient.Request, logger: Logger)

    /// The transport for a POST of JSON to `url` with `headers`, or nil when `url` is not a usable http(s) URL.
    init?(url: String, headers: [(String, String)], client: HTTPClient, choice: TransportConfig.HTTPClientChoice, httpLogger: Logger) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty
        else { return nil }
        var allHeaders = HTTPHeaders([("Content-Type", "application/json"), ("Accept", "text/event-stream")])
        allHeaders.add(contentsOf: headers)
        if scheme == "http", choice == .automatic {
            let port = components.port ?? 80
            // An IPv6 literal: connect to the address, name it in brackets in the Host header.
            let bracketed = host.hasPrefix("[") && host.hasSuffix("]")
            let address = bracketed ? String(host.dropFirst().dropLast()) : host
            let hostHeader = address.contains(":") ? "[\(address)]" : address
            allHeaders.replaceOrAdd(name: "Host", value: components.port == nil ? hostHeader : "\(hostHeader):\(port)")
            var path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
            if let query = components.percentEncodedQuery { path += "?\(query)" }
            let head = HTTPRequestHead(version: .http1_1, method: .POST, uri: path, headers: allHeaders)
            self = .plain(.shared, PlainHTTPRequest(target: .init(host: address, port: port), head: head, body: ByteBuffer()))
        } else {
            guard var request = try? HTTPClient.Request(url: url, method: .POST) else { return nil }
            request.headers = allHeaders
            self = .asyncHTTPClient(client, request, logger: httpLogger)
        }
    }

    /// Sends `body`, handing the response to `reader`.
    func start<Decoder: LLMStreamDecoder>(body: [UInt8], reader: SSEResponseReader<Decoder>) -> any StreamingAttempt {
        switch self {
        case .plain(let client, var request):
            request.body = ByteBuffer(bytes: body)
            request.head.headers.replaceOrAdd(name: "Content-Length", value: String(body.count))
            return client.execute(request, consumer: reader)
        case .asyncHTTPClient(let client, var request, let logger):
            request.body = .bytes(body)
            return client.execute(
                request: request, delegate: SSEResponseDelegate(reader: reader), eventLoop: .indifferent, deadline: nil, logger: logger)
        }
    }
}
