import Foundation
import Hummingbird
import Logging
import NIOCore
import PluginAPI

/// A fake of Retell's REST API on 127.0.0.1, for tests: it speaks the wire format of the real API (paths,
/// JSON bodies, `{"status":"error","message":…}` errors, pagination, agent versions), keeps agents,
/// numbers, calls and chats in memory, records every request, and can be told to fail.
///
/// ```swift
/// try await FakeRetellAPI.run { retell in
///     await retell.fail("POST", "/create-agent", status: 500)
///     let client = RetellClient(apiKey: retell.apiKey, baseURL: retell.baseURL, httpClient: .shared)
///     …
/// }
/// ```
public struct FakeRetellAPI: Sendable {
    /// `http://127.0.0.1:<port>`.
    public let baseURL: String
    /// The only key accepted as `Authorization: Bearer <key>`; anything else gets 401.
    public let apiKey: String
    /// The server's data and request log.
    public let state: FakeRetellState

    /// Starts the fake on a free port, runs `body` and stops the fake.
    public static func run<Result: Sendable>(
        apiKey: String = "key_test_fake", _ body: @Sendable (FakeRetellAPI) async throws -> Result
    ) async throws -> Result {
        let state = FakeRetellState(apiKey: apiKey)
        let router = Router()
        for method in [HTTPRequest.Method.get, .post, .patch, .delete, .put] {
            router.on("**", method: method) { request, _ -> Response in
                let body = try await request.body.collect(upTo: 16 << 20)
                if let delay = await state.delay(method: request.method.rawValue, path: request.uri.path) {
                    try await Task.sleep(for: delay)
                }
                let query = Dictionary(request.uri.queryParameters.map { (String($0.key), String($0.value)) }, uniquingKeysWith: { _, last in last })
                let (status, json) = await state.handle(
                    method: request.method.rawValue, path: request.uri.path, query: query,
                    authorization: request.headers[.authorization], body: body.readableBytes == 0 ? nil : Data(buffer: body))
                guard let json else { return Response(status: .init(code: status)) }
                return Response(
                    status: .init(code: status), headers: [.contentType: "application/json"],
                    body: .init(byteBuffer: ByteBuffer(string: json.canonicalJSON)))
            }
        }
        return try await LoopbackHTTPServer.serve(name: "fake-retell", router: router) { baseURL in
            try await body(FakeRetellAPI(baseURL: baseURL, apiKey: apiKey, state: state))
        }
    }

    /// Makes every request for `method path` (path prefix) wait `delay` before it is answered.
    public func slowDown(_ method: String, _ path: String, by delay: Duration) async {
        await state.addDelay(method: method, pathPrefix: path, delay: delay)
    }

    /// Every request received so far, in order.
    public func requests() async -> [FakeRetellState.Request] { await state.requests }

    /// Requests that change something on "Retell" (anything but GET and the list reads).
    public func mutatingRequests() async -> [FakeRetellState.Request] {
        await state.requests.filter { $0.method != "GET" && $0.path != "/v3/list-calls" && $0.path != "/v2/list-agents" }
    }

    /// Makes the next `times` requests for `method path` (path prefix) fail with `status` and Retell's error body.
    public func fail(_ method: String, _ path: String, status: Int, message: String = "scripted failure", times: Int = 1) async {
        await state.addFailure(.init(method: method, pathPrefix: path, status: status, message: message, remaining: times))
    }
}

/// The in-memory state of a ``FakeRetellAPI``.
public actor FakeRetellState {
    /// One request as the fake received it.
    public struct Request: Sendable {
        public var method: String
        /// The path with percent-escapes decoded (`/get-phone-number/+14155550100`).
        public var path: String
        /// The path exactly as sent (`/get-phone-number/%2B14155550100`).
        public var rawPath: String
        public var query: [String: String]
        public var authorization: String?
        public var body: JSONValue?
    }

    struct Failure: Sendable {
        var method: String
        var pathPrefix: String
        var status: Int
        var message: String
        var remaining: Int
    }

    /// An SMS the fake "sent": the chat agent's first message with the dynamic variables filled in.
    public struct SentSMS: Sendable, Hashable {
        public var from: String
        public var to: String
        public var text: String
        public var chatAgentID: String

        public init(from: String, to: String, text: String, chatAgentID: String) {
            self.from = from
            self.to = to
            self.text = text
            self.chatAgentID = chatAgentID
        }
    }

    let apiKey: String
    public private(set) var requests: [Request] = []
    /// Agent id → its versions (index = version number).
    public private(set) var agents: [String: [JSONValue]] = [:]
    public private(set) var llms: [String: JSONValue] = [:]
    /// Numbers in the order they were added.
    public private(set) var numbers: [JSONValue] = []
    public private(set) var calls: [JSONValue] = []
    public private(set) var chats: [JSONValue] = []
    public private(set) var sentSMS: [SentSMS] = []
    private var failures: [Failure] = []
    private var counter = 0
    private var clock: Int64 = 1_754_400_000_000

    init(apiKey: String) { self.apiKey = apiKey }

    private var delays: [(method: String, pathPrefix: String, delay: Duration)] = []

    func addFailure(_ failure: Failure) { failures.append(failure) }

    func addDelay(method: String, pathPrefix: String, delay: Duration) { delays.append((method, pathPrefix, delay)) }

    func delay(method: String, path: String) -> Duration? {
        let decoded = path.removingPercentEncoding ?? path
        return delays.first { $0.method == method && decoded.hasPrefix($0.pathPrefix) }?.delay
    }

    /// Adds a number as if it had been bought or imported earlier.
    public func addPhoneNumber(_ number: String, type: String = "retell-twilio", inboundAgentID: String? = nil) {
        var object: [String: JSONValue] = ["phone_number": .string(number), "phone_number_type": .string(type), "inbound_agents": .null]
        if let inboundAgentID { object["inbound_agents"] = [["agent_id": .string(inboundAgentID), "weight": 1]] }
        numbers.append(.object(object))
    }

    /// Adds a finished call.
    public func addCall(id: String, agentID: String, status: String = "ended", from: String = "+14155550142", to: String = "+14155550100",
                        startTimestamp: Int64) {
        calls.append([
            "call_id": .string(id), "call_type": "phone_call", "agent_id": .string(agentID), "call_status": .string(status),
            "direction": "inbound", "from_number": .string(from), "to_number": .string(to), "start_timestamp": .int(Int(startTimestamp)),
        ])
    }

    /// The latest version of agent `id`.
    public func agent(_ id: String) -> JSONValue? { agents[id]?.last }

    /// The number `number`.
    public func phoneNumber(_ number: String) -> JSONValue? { numbers.first { $0["phone_number"]?.stringValue == number } }

    // MARK: - Dispatch

    func handle(method: String, path rawPath: String, query: [String: String], authorization: String?, body: Data?) -> (Int, JSONValue?) {
        let path = rawPath.removingPercentEncoding ?? rawPath
        let json = body.flatMap { try? JSONValue(parsing: $0) }
        requests.append(Request(method: method, path: path, rawPath: rawPath, query: query, authorization: authorization, body: json))
        if body != nil, json == nil { return error(400, "request body is not valid JSON") }
        guard authorization == "Bearer \(apiKey)" else { return error(401, "Invalid API key") }
        if let index = failures.firstIndex(where: { $0.method == method && path.hasPrefix($0.pathPrefix) && $0.remaining > 0 }) {
            failures[index].remaining -= 1
            return error(failures[index].status, failures[index].message)
        }
        clock += 1000
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        let tail = parts.count > 1 ? parts.dropFirst().joined(separator: "/") : ""
        let route = parts.count > 1 && parts[0].hasPrefix("v") && parts[0].dropFirst().allSatisfy(\.isNumber)
            ? "/" + parts[0] + "/" + parts[1] : "/" + (parts.first ?? "")
        let id = parts.count > 1 && route.hasPrefix("/v") ? parts.dropFirst(2).joined(separator: "/") : tail
        let object = json?.objectValue ?? [:]
        switch (method, route) {
        case ("POST", "/create-agent"): return createAgent(object, chat: false)
        case ("POST", "/create-chat-agent"): return createAgent(object, chat: true)
        case ("GET", "/get-agent"), ("GET", "/get-chat-agent"): return getAgent(id, version: query["version"].flatMap { Int($0) })
        case ("PATCH", "/update-agent"), ("PATCH", "/update-chat-agent"):
            return updateAgent(id, object, version: query["version"].flatMap { Int($0) })
        case ("DELETE", "/delete-agent"), ("DELETE", "/delete-chat-agent"):
            return agents.removeValue(forKey: id) == nil ? error(404, "Agent not found") : (204, nil)
        case ("POST", "/create-agent-version"): return createVersion(id, base: object["base_version"]?.intValue)
        case ("POST", "/publish-agent-version"): return publish(id, version: object["version"]?.intValue)
        case ("POST", "/v2/list-agents"): return listAgents(query)
        case ("POST", "/create-retell-llm"): return createLLM(object)
        case ("GET", "/get-retell-llm"): return llms[id].map { (200, $0) } ?? error(404, "LLM not found")
        case ("PATCH", "/update-retell-llm"):
            guard let llm = llms[id] else { return error(404, "LLM not found") }
            llms[id] = merged(llm, object)
            return (200, llms[id])
        case ("POST", "/create-phone-number"): return buyNumber(object)
        case ("POST", "/import-phone-number"): return importNumber(object)
        case ("GET", "/get-phone-number"): return phoneNumber(id).map { (200, $0) } ?? error(404, "Phone number not found")
        case ("PATCH", "/update-phone-number"): return updateNumber(id, object)
        case ("DELETE", "/delete-phone-number"):
            let before = numbers.count
            numbers.removeAll { $0["phone_number"]?.stringValue == id }
            return numbers.count == before ? error(404, "Phone number not found") : (204, nil)
        case ("GET", "/v2/list-phone-numbers"): return page(numbers, key: "phone_number", query["limit"], query["pagination_key"])
        case ("POST", "/v2/create-phone-call"): return createCall(object)
        case ("GET", "/v2/get-call"): return calls.first { $0["call_id"]?.stringValue == id }.map { (200, $0) } ?? error(404, "Call not found")
        case ("POST", "/v3/list-calls"): return listCalls(object)
        case ("POST", "/create-sms-chat"): return createSMSChat(object)
        default: return error(404, "Cannot \(method) \(path)")
        }
    }

    private func error(_ status: Int, _ message: String) -> (Int, JSONValue?) {
        (status, ["status": "error", "message": .string(message)])
    }

    private func nextID(_ prefix: String) -> String {
        counter += 1
        return prefix + String(format: "%012x", counter * 7919)
    }

    private func merged(_ base: JSONValue, _ patch: [String: JSONValue]) -> JSONValue {
        var object = base.objectValue ?? [:]
        for (key, value) in patch { object[key] = value }
        object["last_modification_timestamp"] = .int(Int(clock))
        return .object(object)
    }

    // MARK: Agents

    private func createAgent(_ body: [String: JSONValue], chat: Bool) -> (Int, JSONValue?) {
        guard case .object(let engine)? = body["response_engine"], engine["type"]?.stringValue != nil else {
            return error(400, "response_engine is required")
        }
        if !chat, body["voice_id"]?.stringValue == nil { return error(400, "voice_id is required") }
        if engine["type"]?.stringValue == "retell-llm", let llm = engine["llm_id"]?.stringValue, llms[llm] == nil {
            return error(422, "LLM \(llm) not found under this API key")
        }
        let id = nextID(chat ? "agent_chat_" : "agent_")
        var object = body
        object["agent_id"] = .string(id)
        object["version"] = 0
        object["is_published"] = false
        object["channel"] = chat ? "chat" : "voice"
        object["last_modification_timestamp"] = .int(Int(clock))
        agents[id] = [.object(object)]
        return (201, .object(object))
    }

    private func getAgent(_ id: String, version: Int?) -> (Int, JSONValue?) {
        guard let versions = agents[id] else { return error(404, "Agent not found") }
        guard let version else { return (200, versions.last) }
        return versions.indices.contains(version) ? (200, versions[version]) : error(404, "Agent version not found")
    }

    private func updateAgent(_ id: String, _ body: [String: JSONValue], version: Int?) -> (Int, JSONValue?) {
        guard var versions = agents[id] else { return error(404, "Agent not found") }
        let index = version ?? versions.count - 1
        guard versions.indices.contains(index) else { return error(404, "Agent version not found") }
        if versions[index]["is_published"]?.boolValue == true { return error(400, "Cannot update published agent") }
        var patch = body
        for key in ["agent_id", "version", "is_published"] { patch.removeValue(forKey: key) }
        versions[index] = merged(versions[index], patch)
        agents[id] = versions
        return (200, versions[index])
    }

    private func createVersion(_ id: String, base: Int?) -> (Int, JSONValue?) {
        guard var versions = agents[id] else { return error(404, "Agent not found") }
        guard let base, versions.indices.contains(base) else { return error(400, "base_version is required") }
        var copy = versions[base].objectValue ?? [:]
        copy["version"] = .int(versions.count)
        copy["is_published"] = false
        versions.append(.object(copy))
        agents[id] = versions
        return (201, .object(copy))
    }

    private func publish(_ id: String, version: Int?) -> (Int, JSONValue?) {
        guard var versions = agents[id] else { return error(404, "Agent not found") }
        guard let version, versions.indices.contains(version) else { return error(400, "version is required") }
        var object = versions[version].objectValue ?? [:]
        object["is_published"] = true
        versions[version] = .object(object)
        agents[id] = versions
        return (200, nil)
    }

    private func listAgents(_ query: [String: String]) -> (Int, JSONValue?) {
        let summaries = agents.keys.sorted().compactMap { id -> JSONValue? in
            guard let latest = agents[id]?.last else { return nil }
            return ["agent_id": .string(id), "agent_name": latest["agent_name"] ?? .null, "channel": latest["channel"] ?? "voice"]
        }
        return page(summaries, key: "agent_id", query["limit"], query["pagination_key"])
    }

    private func createLLM(_ body: [String: JSONValue]) -> (Int, JSONValue?) {
        let id = nextID("llm_")
        var object = body
        object["llm_id"] = .string(id)
        object["version"] = 0
        llms[id] = .object(object)
        return (201, .object(object))
    }

    // MARK: Numbers

    private func buyNumber(_ body: [String: JSONValue]) -> (Int, JSONValue?) {
        let number: String
        if let specific = body["phone_number"]?.stringValue {
            number = specific
        } else if let area = body["area_code"]?.intValue, (200...999).contains(area) {
            number = "+1\(area)555" + String(format: "%04d", 1000 + numbers.count)
        } else {
            return error(400, "area_code must be a 3-digit US area code")
        }
        guard phoneNumber(number) == nil else { return error(400, "Phone number already exists") }
        var object = body
        object["phone_number"] = .string(number)
        object["phone_number_type"] = "retell-twilio"
        object["area_code"] = .int(Int(number.dropFirst(2).prefix(3)) ?? 0)
        object["last_modification_timestamp"] = .int(Int(clock))
        numbers.append(.object(object))
        return (201, .object(object))
    }

    private func importNumber(_ body: [String: JSONValue]) -> (Int, JSONValue?) {
        guard let number = body["phone_number"]?.stringValue, let uri = body["termination_uri"]?.stringValue else {
            return error(400, "phone_number and termination_uri are required")
        }
        guard phoneNumber(number) == nil else { return error(400, "Phone number already exists") }
        var object = body
        object.removeValue(forKey: "sip_trunk_auth_password")
        object.removeValue(forKey: "termination_uri")
        object.removeValue(forKey: "sip_trunk_auth_username")
        object["phone_number_type"] = "custom"
        object["sip_outbound_trunk_config"] = [
            "termination_uri": .string(uri), "auth_username": body["sip_trunk_auth_username"] ?? .null,
            "transport": body["transport"] ?? "TCP",
        ]
        numbers.append(.object(object))
        return (201, .object(object))
    }

    private func updateNumber(_ number: String, _ body: [String: JSONValue]) -> (Int, JSONValue?) {
        guard let index = numbers.firstIndex(where: { $0["phone_number"]?.stringValue == number }) else {
            return error(404, "Phone number not found")
        }
        for key in ["inbound_agents", "outbound_agents", "inbound_sms_agents", "outbound_sms_agents"] {
            if let agentsList = body[key]?.arrayValue {
                for entry in agentsList {
                    guard let agent = entry["agent_id"]?.stringValue, agents[agent] != nil else {
                        return error(422, "Agent \(entry["agent_id"]?.stringValue ?? "?") not found under this API key")
                    }
                }
            }
        }
        numbers[index] = merged(numbers[index], body)
        return (200, numbers[index])
    }

    // MARK: Calls and chats

    private func createCall(_ body: [String: JSONValue]) -> (Int, JSONValue?) {
        guard let from = body["from_number"]?.stringValue, let to = body["to_number"]?.stringValue else {
            return error(400, "from_number and to_number are required")
        }
        guard let number = phoneNumber(from) else { return error(422, "from_number \(from) not found under this API key") }
        guard let agent = body["override_agent_id"]?.stringValue ?? number["outbound_agents"]?[0]?["agent_id"]?.stringValue else {
            return error(400, "the number has no outbound agent")
        }
        var call: [String: JSONValue] = [
            "call_id": .string(nextID("call_")), "call_type": "phone_call", "agent_id": .string(agent), "call_status": "registered",
            "direction": "outbound", "from_number": .string(from), "to_number": .string(to), "start_timestamp": .int(Int(clock)),
        ]
        call["metadata"] = body["metadata"]
        call["retell_llm_dynamic_variables"] = body["retell_llm_dynamic_variables"]
        calls.append(.object(call))
        return (201, .object(call))
    }

    private func listCalls(_ body: [String: JSONValue]) -> (Int, JSONValue?) {
        var matching = calls
        let filter = body["filter_criteria"]
        if let agentFilter = filter?["agent"]?.arrayValue {
            let ids = Set(agentFilter.compactMap { $0["agent_id"]?.stringValue })
            matching = matching.filter { ids.contains($0["agent_id"]?.stringValue ?? "") }
        }
        if let statuses = filter?["call_status"]?["value"]?.arrayValue {
            let allowed = Set(statuses.compactMap(\.stringValue))
            matching = matching.filter { allowed.contains($0["call_status"]?.stringValue ?? "") }
        }
        let ascending = body["sort_order"]?.stringValue == "ascending"
        matching.sort { lhs, rhs in
            let left = lhs["start_timestamp"]?.intValue ?? 0, right = rhs["start_timestamp"]?.intValue ?? 0
            return ascending ? left < right : left > right
        }
        return page(matching, key: "call_id", body["limit"]?.intValue.map(String.init), body["pagination_key"]?.stringValue)
    }

    private func createSMSChat(_ body: [String: JSONValue]) -> (Int, JSONValue?) {
        guard let from = body["from_number"]?.stringValue, let to = body["to_number"]?.stringValue else {
            return error(400, "from_number and to_number are required")
        }
        guard let number = phoneNumber(from) else { return error(422, "from_number \(from) not found under this API key") }
        guard let agentID = body["override_agent_id"]?.stringValue ?? number["outbound_sms_agents"]?[0]?["agent_id"]?.stringValue else {
            return error(400, "the number has no outbound SMS agent")
        }
        guard let agent = agents[agentID]?.last else { return error(422, "Agent \(agentID) not found under this API key") }
        let variables = body["retell_llm_dynamic_variables"]?.objectValue ?? [:]
        var text = agent["response_engine"]?["llm_id"]?.stringValue.flatMap { llms[$0]?["begin_message"]?.stringValue } ?? ""
        for (name, value) in variables { text = text.replacingOccurrences(of: "{{\(name)}}", with: value.stringValue ?? "") }
        sentSMS.append(SentSMS(from: from, to: to, text: text, chatAgentID: agentID))
        var chat: [String: JSONValue] = [
            "chat_id": .string(nextID("chat_")), "agent_id": .string(agentID), "chat_status": "ongoing", "chat_type": "sms_chat",
            "start_timestamp": .int(Int(clock)),
        ]
        chat["metadata"] = body["metadata"]
        chat["retell_llm_dynamic_variables"] = body["retell_llm_dynamic_variables"]
        chats.append(.object(chat))
        return (201, .object(chat))
    }

    /// `{"items", "has_more", "pagination_key"}`: the items after `after` (by `key`), at most `limit`.
    private func page(_ items: [JSONValue], key: String, _ limit: String?, _ after: String?) -> (Int, JSONValue?) {
        let size = limit.flatMap { Int($0) }.map { min(max($0, 1), 1000) } ?? 1000
        var start = 0
        if let after {
            guard let index = items.firstIndex(where: { $0[key]?.stringValue == after }) else {
                return error(400, "invalid pagination_key")
            }
            start = index + 1
        }
        let slice = Array(items[start..<min(items.count, start + size)])
        let hasMore = start + size < items.count
        return (200, [
            "items": .array(slice), "has_more": .bool(hasMore),
            "pagination_key": hasMore ? (slice.last?[key] ?? .null) : .null,
        ])
    }
}
