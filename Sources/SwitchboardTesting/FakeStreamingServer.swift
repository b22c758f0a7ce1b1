import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import PluginAPI
import Synchronization

/// One scripted answer of a fake LLM provider: an HTTP error, or a stream of server-sent events with faults.
public struct FakeReply: Sendable {
    /// One step of a streamed body.
    public enum Step: Sendable {
        /// Writes these bytes (a whole event with its framing, or any fragment of one).
        case send(String)
        /// Waits before the next step.
        case pause(Duration)
        /// Sends nothing more until the client goes away (then the fake records the disconnect).
        case stall
        /// Closes the TCP connection in the middle of the body.
        case dropConnection
    }

    public var status: Int
    public var headers: [String: String]
    /// The body of an error reply.
    public var body: String
    /// The steps of a streamed reply (status 200).
    public var steps: [Step]
    /// Holds back the response headers until the client gives up (for connect timeouts).
    public var withholdHeaders: Bool
    /// Closes the connection instead of answering, as a server does with a keep-alive connection it had
    /// just closed for being idle.
    public var hangsUp: Bool

    public init(
        status: Int = 200, headers: [String: String] = [:], body: String = "", steps: [Step] = [], withholdHeaders: Bool = false,
        hangsUp: Bool = false
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.steps = steps
        self.withholdHeaders = withholdHeaders
        self.hangsUp = hangsUp
    }

    /// Closes the connection without a response.
    public static let hangUp = FakeReply(hangsUp: true)

    /// A `text/event-stream` reply made of `steps`.
    public static func stream(_ steps: [Step]) -> FakeReply {
        FakeReply(status: 200, headers: ["Content-Type": "text/event-stream"], steps: steps)
    }

    /// The same reply with each run of consecutive `.send` steps written at once: a server that has the
    /// whole answer ready (an LLM answering instantly) sends it in one write instead of one per event.
    public var inOneWrite: FakeReply {
        var copy = self
        copy.steps = []
        for step in steps {
            if case .send(let text) = step, case .send(let before)? = copy.steps.last {
                copy.steps[copy.steps.count - 1] = .send(before + text)
            } else {
                copy.steps.append(step)
            }
        }
        return copy
    }

    /// A JSON error reply.
    public static func error(status: Int, body: String, headers: [String: String] = [:]) -> FakeReply {
        var all = headers
        all["Content-Type"] = "application/json"
        return FakeReply(status: status, headers: all, body: body)
    }
}

/// How events are separated on the wire.
public enum SSEFraming: String, Sendable, CaseIterable {
    /// `\r\n\r\n`, as Gemini sends.
    case crlf
    /// `\n\n`, as OpenAI-style servers send.
    case lf

    /// `data: <payload>` followed by a blank line.
    public func event(_ payload: String) -> String {
        self == .crlf ? "data: \(payload)\r\n\r\n" : "data: \(payload)\n\n"
    }
}

/// A request as a fake provider received it.
public struct RecordedRequest: Sendable {
    public var method: String
    /// The path and query, as sent.
    public var uri: String
    /// Header names in lower case.
    public var headers: [String: String]
    /// The body as sent. Kept as bytes and parsed on demand: the benchmark's fake records thousands of
    /// long conversations, and keeping each as a parsed tree slowed the load generator it runs in.
    public var bodyBytes: [UInt8]
    /// The client's port: requests with the same port came over one connection.
    public var clientPort: Int?

    /// The body parsed as JSON, or `nil` when it is empty or not JSON.
    public var body: JSONValue? { bodyBytes.isEmpty ? nil : try? JSONValue(parsing: bodyBytes) }

    /// Whether the body is a JSON object whose `key` is `true` (a byte search for the compact form first,
    /// as the clients under test write it, then a parse).
    func bodyFlag(_ key: String) -> Bool {
        let compact = Array("\"\(key)\":true".utf8)
        if bodyBytes.count >= compact.count,
            (0...(bodyBytes.count - compact.count)).contains(where: { bodyBytes[$0..<($0 + compact.count)].elementsEqual(compact) })
        {
            return true
        }
        return body?[key] == true
    }
}

/// The scripted replies, request log and disconnect count shared by the fake LLM servers.
public final class FakeStreamingServer: Sendable {
    private struct State {
        /// The scripted replies; those before `nextReply` were given out. Taken by index, not removed from
        /// the front: the benchmark scripts thousands, and shifting them all per request took the CPU of
        /// the load generator it runs in.
        var replies: [FakeReply] = []
        var nextReply = 0
        var requests: [RecordedRequest] = []
        var disconnects = 0
    }

    private let state = Mutex(State())
    /// What to answer when no reply is scripted, or `nil` to answer with the next scripted reply.
    private let check: @Sendable (RecordedRequest) -> FakeReply?
    private let unscripted: FakeReply

    init(unscripted: FakeReply, check: @escaping @Sendable (RecordedRequest) -> FakeReply?) {
        self.unscripted = unscripted
        self.check = check
    }

    /// Queues replies, answered in order, one per request.
    public func enqueue(_ replies: FakeReply...) { state.withLock { $0.replies += replies } }

    /// Every request received so far, in order.
    public var requests: [RecordedRequest] { state.withLock { $0.requests } }

    /// How many streamed replies the client abandoned before their end (it closed the connection).
    public var disconnects: Int { state.withLock { $0.disconnects } }

    /// Waits until at least `count` disconnects were seen, for at most `limit`; returns whether they were.
    public func waitForDisconnects(_ count: Int = 1, limit: Duration = .seconds(5)) async -> Bool {
        let clock = ContinuousClock()
        let end = clock.now + limit
        while clock.now < end {
            if disconnects >= count { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return disconnects >= count
    }

    private func nextReply(for request: RecordedRequest) -> FakeReply {
        state.withLock { state in
            state.requests.append(request)
            if let answer = check(request) { return answer }
            guard state.nextReply < state.replies.count else { return unscripted }
            defer { state.nextReply += 1 }
            return state.replies[state.nextReply]
        }
    }

    private func recordDisconnect() { state.withLock { $0.disconnects += 1 } }

    /// Serves on 127.0.0.1 (a free port) while `body` runs, passing it `http://127.0.0.1:<port>`.
    func serve<Result: Sendable>(name: String, _ body: @Sendable (String) async throws -> Result) async throws -> Result {
        let router = Router(context: FakeServerContext.self)
        router.on("**", method: .post) { request, context in try await self.respond(request, context: context) }
        router.on("**", method: .get) { request, context in try await self.respond(request, context: context) }
        // The watcher is in every connection from the start: a client that gives up before its request is
        // handled (a short timeout under load) is still seen leaving.
        return try await LoopbackHTTPServer.serve(name: name, router: router, channelHandlers: { [CloseWatcher()] }, body)
    }

    private func respond(_ request: Request, context: FakeServerContext) async throws -> Response {
        let bytes = try await request.body.collect(upTo: 16 << 20)
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let recorded = RecordedRequest(
            method: request.method.rawValue, uri: request.uri.description, headers: headers, bodyBytes: Array(bytes.readableBytesView),
            clientPort: context.channel.remoteAddress?.port)
        let reply = nextReply(for: recorded)
        if reply.hangsUp {
            try? await context.channel.close()
            return Response(status: .serviceUnavailable)  // goes nowhere: the connection is closed
        }
        let watcher = try await context.channel.pipeline.handler(type: CloseWatcher.self).get()
        if reply.withholdHeaders {
            await watcher.waitUntilClosed(limit: .seconds(30))
            recordDisconnect()
            return Response(status: .gatewayTimeout)
        }
        var fields = HTTPFields()
        for (name, value) in reply.headers {
            if let field = HTTPField.Name(name) { fields[field] = value }
        }
        guard reply.status == 200 else {
            return Response(status: .init(code: reply.status), headers: fields, body: .init(byteBuffer: ByteBuffer(string: reply.body)))
        }
        let channel = context.channel
        return Response(status: .ok, headers: fields, body: ResponseBody { writer in
            for step in reply.steps {
                switch step {
                case .send(let text):
                    do {
                        try await writer.write(ByteBuffer(string: text))
                    } catch {
                        self.recordDisconnect()
                        return
                    }
                case .pause(let duration):
                    try await Task.sleep(for: duration)
                case .stall:
                    await watcher.waitUntilClosed(limit: .seconds(30))
                    self.recordDisconnect()
                    return
                case .dropConnection:
                    // Let the bytes already written reach the socket before cutting it.
                    try await Task.sleep(for: .milliseconds(50))
                    try? await channel.close()
                    return
                }
            }
            try await writer.finish(nil)
        })
    }
}

/// The request context of the fakes: Hummingbird's basic context plus the connection, to see the client leave.
struct FakeServerContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}

/// Notices when the client closes its side of the connection.
final class CloseWatcher: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = NIOAny

    private let closed = Atomic<Bool>(false)

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed { closed.store(true, ordering: .relaxed) }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        closed.store(true, ordering: .relaxed)
        context.fireChannelInactive()
    }

    /// Returns once the client has closed the connection, or after `limit`.
    func waitUntilClosed(limit: Duration) async {
        let clock = ContinuousClock()
        let end = clock.now + limit
        while !closed.load(ordering: .relaxed), clock.now < end {
            try? await Task.sleep(for: .milliseconds(5))
        }
    }
}
