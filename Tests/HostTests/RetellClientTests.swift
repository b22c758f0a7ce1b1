import AsyncHTTPClient
import Foundation
@testable import Host
import PluginAPI
import SwitchboardTesting
import Testing

/// The Retell REST client against a fake Retell API: request shapes, error mapping, retries, pagination.
@Suite struct RetellClientTests {
    /// A client for `fake` with a retry backoff short enough for tests.
    static func client(_ fake: FakeRetellAPI, maxRetries: Int = 2, timeout: Duration = .seconds(30)) -> RetellClient {
        RetellClient(
            apiKey: fake.apiKey, baseURL: fake.baseURL + "/", httpClient: .shared,
            retry: RetellRetryPolicy(maxRetries: maxRetries, initialBackoff: .milliseconds(1), maxBackoff: .milliseconds(4)),
            timeout: timeout, logger: TestFixtures.quietLogger)
    }

    @Test func createsAndUpdatesAgentsWithRetellsShapes() async throws {
        try await FakeRetellAPI.run { fake in
            let client = Self.client(fake)
            let created = try await client.createAgent(RetellAgentRequest(
                responseEngine: .customLLM("wss://sb.example.com/llm-websocket/bella"), voiceID: "11labs-Adrian", agentName: "Bella",
                language: "en-US", webhookURL: "https://sb.example.com/retell/webhook"))
            #expect(created.version == 0)
            #expect(created.isPublished == false)
            #expect(created.responseEngine == .customLLM("wss://sb.example.com/llm-websocket/bella"))

            try await client.publishAgentVersion(created.agentID, version: 0)
            let draft = try await client.createAgentVersion(created.agentID, baseVersion: 0)
            let updated = try await client.updateAgent(created.agentID, RetellAgentRequest(voiceID: "11labs-Emily"), version: draft.version)
            #expect(updated.voiceID == "11labs-Emily")
            #expect(updated.agentName == "Bella")
            let first = try await client.getAgent(created.agentID, version: 0)
            #expect(first.voiceID == "11labs-Adrian")
            #expect(try await client.listAgents(pageSize: 1).map(\.agentID) == [created.agentID])
            try await client.deleteAgent(created.agentID)

            let requests = await fake.requests()
            #expect(requests.map { "\($0.method) \($0.path)" } == [
                "POST /create-agent", "POST /publish-agent-version/\(created.agentID)", "POST /create-agent-version/\(created.agentID)",
                "PATCH /update-agent/\(created.agentID)", "GET /get-agent/\(created.agentID)", "POST /v2/list-agents",
                "DELETE /delete-agent/\(created.agentID)",
            ])
            #expect(requests.allSatisfy { $0.authorization == "Bearer \(fake.apiKey)" })
            // Optional fields that are not set are omitted, never sent as null.
            #expect(requests[0].body == [
                "response_engine": ["type": "custom-llm", "llm_websocket_url": "wss://sb.example.com/llm-websocket/bella"],
                "voice_id": "11labs-Adrian", "agent_name": "Bella", "language": "en-US", "webhook_url": "https://sb.example.com/retell/webhook",
            ])
            #expect(requests[1].body == ["version": 0])
            #expect(requests[2].body == ["base_version": 0])
            #expect(requests[3].body == ["voice_id": "11labs-Emily"])
            #expect(requests[3].query == ["version": "1"])
            #expect(requests[4].query == ["version": "0"])
            #expect(requests[5].query["limit"] == "1")
        }
    }

    @Test func buysImportsBindsAndDeletesPhoneNumbers() async throws {
        try await FakeRetellAPI.run { fake in
            let client = Self.client(fake)
            let bought = try await client.buyPhoneNumber(RetellBuyNumberRequest(areaCode: 415, countryCode: "US", nickname: "front desk"))
            #expect(bought.phoneNumber.hasPrefix("+1415"))
            let imported = try await client.importPhoneNumber(RetellImportNumberRequest(
                phoneNumber: "+14155550123", terminationURI: "acme.pstn.twilio.com", sipTrunkAuthUsername: "retell",
                sipTrunkAuthPassword: "s3cret", transport: "TLS"))
            #expect(imported.phoneNumberType == "custom")
            let agent = try await client.createAgent(RetellAgentRequest(responseEngine: .customLLM("wss://x/llm-websocket/a"), voiceID: "v"))
            let bound = try await client.updatePhoneNumber("+14155550123", RetellPhoneNumberUpdate(
                inboundAgents: [RetellAgentWeight(agentID: agent.agentID)], outboundAgents: [RetellAgentWeight(agentID: agent.agentID)]))
            #expect(bound.effectiveInboundAgentIDs == [agent.agentID])
            #expect(try await client.getPhoneNumber("+14155550123").effectiveOutboundAgentIDs == [agent.agentID])
            try await client.deletePhoneNumber(bought.phoneNumber)

            let requests = await fake.requests()
            #expect(requests[0].body == ["area_code": 415, "country_code": "US", "nickname": "front desk"])
            #expect(requests[1].body == [
                "phone_number": "+14155550123", "termination_uri": "acme.pstn.twilio.com", "sip_trunk_auth_username": "retell",
                "sip_trunk_auth_password": "s3cret", "transport": "TLS",
            ])
            #expect(requests[3].method == "PATCH")
            #expect(requests[3].rawPath == "/update-phone-number/%2B14155550123")
            #expect(requests[3].body == [
                "inbound_agents": [["agent_id": .string(agent.agentID), "weight": 1]],
                "outbound_agents": [["agent_id": .string(agent.agentID), "weight": 1]],
            ])
            #expect(requests[4].rawPath == "/get-phone-number/%2B14155550123")
            #expect(requests[5].method == "DELETE")
            #expect(await fake.state.numbers.count == 1)
        }
    }

    @Test func createsCallsListsThemWithFiltersAndSendsSMS() async throws {
        try await FakeRetellAPI.run { fake in
            let client = Self.client(fake)
            await fake.state.addPhoneNumber("+14155550100")
            let call = try await client.createPhoneCall(RetellCreatePhoneCallRequest(
                fromNumber: "+14155550100", toNumber: "+16505550199", overrideAgentID: "agent_abc", metadata: ["order": 42],
                retellLLMDynamicVariables: ["first_name": "Priya"]))
            #expect(call.callStatus == "registered")
            #expect(call.direction == "outbound")
            #expect(try await client.getCall(call.callID).toNumber == "+16505550199")
            let page = try await client.listCalls(
                filter: RetellCallFilter(agentIDs: ["agent_abc"], callStatuses: ["registered"], startedBetween: 1...9_999_999_999_999), limit: 10)
            #expect(page.items.map(\.callID) == [call.callID])
            #expect(page.hasMore == false)

            let requests = await fake.requests()
            #expect(requests[0].path == "/v2/create-phone-call")
            #expect(requests[0].body == [
                "from_number": "+14155550100", "to_number": "+16505550199", "override_agent_id": "agent_abc", "metadata": ["order": 42],
                "retell_llm_dynamic_variables": ["first_name": "Priya"],
            ])
            #expect(requests[1].path == "/v2/get-call/\(call.callID)")
            #expect(requests[2].path == "/v3/list-calls")
            #expect(requests[2].body == [
                "filter_criteria": [
                    "agent": [["agent_id": "agent_abc"]],
                    "call_status": ["type": "enum", "op": "in", "value": ["registered"]],
                    "start_timestamp": ["type": "range", "op": "bt", "value": [1, 9_999_999_999_999]],
                ],
                "limit": 10, "sort_order": "descending",
            ])
        }
    }

    @Test func sendsAnSMSChatWithTheMessageAsDynamicVariable() async throws {
        try await FakeRetellAPI.run { fake in
            let client = Self.client(fake)
            await fake.state.addPhoneNumber("+14155550100")
            let llm = try await client.createLLM(RetellLLMRequest(generalPrompt: "Only confirm.", beginMessage: "{{message}}"))
            let chatAgent = try await client.createAgent(
                RetellAgentRequest(responseEngine: .retellLLM(llm.llmID), agentName: "SMS"), channel: .chat)
            let chat = try await client.createSMSChat(RetellCreateSMSChatRequest(
                fromNumber: "+14155550100", toNumber: "+16505550199", overrideAgentID: chatAgent.agentID,
                retellLLMDynamicVariables: ["message": "Your table for 4 is booked for 7 pm."]))
            #expect(chat.chatType == "sms_chat")
            #expect(await fake.state.sentSMS.map(\.text) == ["Your table for 4 is booked for 7 pm."])
            let requests = await fake.requests()
            #expect(requests.map(\.path) == ["/create-retell-llm", "/create-chat-agent", "/create-sms-chat"])
            #expect(requests[0].body == ["general_prompt": "Only confirm.", "begin_message": "{{message}}"])
            #expect(requests[1].body == ["response_engine": ["type": "retell-llm", "llm_id": .string(llm.llmID)], "agent_name": "SMS"])
            #expect(requests[2].body == [
                "from_number": "+14155550100", "to_number": "+16505550199", "override_agent_id": .string(chatAgent.agentID),
                "retell_llm_dynamic_variables": ["message": "Your table for 4 is booked for 7 pm."],
            ])
        }
    }

    @Test(arguments: [
        (400, RetellAPIError.Kind.badRequest), (401, .unauthorized), (402, .paymentRequired), (422, .unprocessable),
        (429, .rateLimited), (500, .serverError),
    ])
    func mapsRetellsErrorBody(status: Int, kind: RetellAPIError.Kind) async throws {
        try await FakeRetellAPI.run { fake in
            await fake.fail("POST", "/v2/create-phone-call", status: status, message: "nope \(status)")
            do {
                _ = try await Self.client(fake).createPhoneCall(RetellCreatePhoneCallRequest(fromNumber: "+14155550100", toNumber: "+16505550199"))
                Issue.record("expected an error")
            } catch let error as RetellError {
                let api = try #require(error.apiError)
                #expect(api.status == status)
                #expect(api.kind == kind)
                #expect(api.message == "nope \(status)")
                #expect(api.request == "POST /v2/create-phone-call")
            }
        }
    }

    @Test func aWrongKeyIsUnauthorized() async throws {
        try await FakeRetellAPI.run { fake in
            let client = RetellClient(apiKey: "key_wrong", baseURL: fake.baseURL, httpClient: .shared)
            await #expect(throws: RetellError.self) { try await client.getAgent("agent_1") }
            do {
                _ = try await client.getAgent("agent_1")
            } catch let error as RetellError {
                #expect(error.apiError?.kind == .unauthorized)
                #expect(error.description.contains("RETELL_API_KEY"))
            }
        }
    }

    @Test func retriesAGetAfterServerErrors() async throws {
        try await FakeRetellAPI.run { fake in
            await fake.state.addPhoneNumber("+14155550100")
            await fake.fail("GET", "/get-phone-number", status: 500, times: 1)
            await fake.fail("GET", "/get-phone-number", status: 429, times: 1)
            let number = try await Self.client(fake).getPhoneNumber("+14155550100")
            #expect(number.phoneNumber == "+14155550100")
            #expect(await fake.requests().count == 3)
        }
    }

    @Test func retriesAnUpdateButNeverACreate() async throws {
        try await FakeRetellAPI.run { fake in
            let client = Self.client(fake)
            await fake.state.addPhoneNumber("+14155550100")
            await fake.fail("PATCH", "/update-phone-number", status: 503)
            _ = try await client.updatePhoneNumber("+14155550100", RetellPhoneNumberUpdate(nickname: "desk"))
            #expect(await fake.requests().filter { $0.method == "PATCH" }.count == 2)

            await fake.fail("POST", "/create-agent", status: 500)
            await #expect(throws: RetellError.self) {
                try await client.createAgent(RetellAgentRequest(responseEngine: .customLLM("wss://x/llm-websocket/a"), voiceID: "v"))
            }
            await fake.fail("POST", "/create-sms-chat", status: 429)
            await #expect(throws: RetellError.self) {
                try await client.createSMSChat(RetellCreateSMSChatRequest(fromNumber: "+14155550100", toNumber: "+16505550199"))
            }
            let posts = await fake.requests().filter { $0.method == "POST" }
            #expect(posts.map(\.path) == ["/create-agent", "/create-sms-chat"])
            #expect(await fake.state.agents.isEmpty)
        }
    }

    @Test func givesUpAfterTheLastRetry() async throws {
        try await FakeRetellAPI.run { fake in
            await fake.fail("GET", "/v2/get-call", status: 500, times: 10)
            do {
                _ = try await Self.client(fake, maxRetries: 2).getCall("call_1")
                Issue.record("expected an error")
            } catch let error as RetellError {
                #expect(error.apiError?.status == 500)
            }
            #expect(await fake.requests().count == 3)
        }
    }

    @Test func doesNotRetryClientErrors() async throws {
        try await FakeRetellAPI.run { fake in
            await fake.fail("GET", "/get-agent", status: 422, message: "Item agent_x not found from account")
            await #expect(throws: RetellError.self) { try await Self.client(fake).getAgent("agent_x") }
            #expect(await fake.requests().count == 1)
        }
    }

    @Test func timesOutASlowRequest() async throws {
        try await FakeRetellAPI.run { fake in
            await fake.slowDown("GET", "/v2/get-call", by: .seconds(5))
            do {
                _ = try await Self.client(fake, maxRetries: 0, timeout: .milliseconds(100)).getCall("call_1")
                Issue.record("expected a timeout")
            } catch let error as RetellError {
                guard case .timedOut(let request) = error else {
                    Issue.record("expected a timeout, got \(error)")
                    return
                }
                #expect(request == "GET /v2/get-call/call_1")
            }
        }
    }

    @Test func followsPaginationOfNumbersAndCalls() async throws {
        try await FakeRetellAPI.run { fake in
            for index in 0..<5 { await fake.state.addPhoneNumber("+1415555010\(index)") }
            for index in 0..<7 {
                await fake.state.addCall(id: "call_\(index)", agentID: index.isMultiple(of: 2) ? "agent_even" : "agent_odd",
                                         startTimestamp: 1_754_400_000_000 + Int64(index) * 60_000)
            }
            let client = Self.client(fake)
            let numbers = try await client.allPhoneNumbers(pageSize: 2)
            #expect(numbers.map(\.phoneNumber) == (0..<5).map { "+1415555010\($0)" })
            let numberPages = await fake.requests().filter { $0.path == "/v2/list-phone-numbers" }
            #expect(numberPages.map { $0.query["pagination_key"] } == [nil, "+14155550101", "+14155550103"])

            let recent = try await client.recentCalls(maximum: 5, pageSize: 2)
            #expect(recent.map(\.callID) == ["call_6", "call_5", "call_4", "call_3", "call_2"])
            let even = try await client.recentCalls(filter: RetellCallFilter(agentIDs: ["agent_even"]), maximum: 100, pageSize: 3)
            #expect(even.map(\.callID) == ["call_6", "call_4", "call_2", "call_0"])
            let callPages = await fake.requests().filter { $0.path == "/v3/list-calls" }
            #expect(callPages.map { $0.body?["pagination_key"]?.stringValue } == [nil, "call_5", "call_3", nil, "call_2"])
        }
    }

    @Test func needsAnAPIKey() {
        #expect(throws: RetellError.self) { try RetellClient(config: RetellConfig(apiKey: nil), httpClient: .shared) }
    }

    @Test func backoffGrowsAndHonoursRetryAfter() {
        let policy = RetellRetryPolicy(maxRetries: 4, initialBackoff: .milliseconds(500), maxBackoff: .seconds(8))
        #expect((.milliseconds(375)...(.milliseconds(500))).contains(policy.delay(retry: 1, retryAfterMilliseconds: nil)))
        #expect((.milliseconds(1500)...(.milliseconds(2000))).contains(policy.delay(retry: 3, retryAfterMilliseconds: nil)))
        #expect((.seconds(6)...(.seconds(8))).contains(policy.delay(retry: 9, retryAfterMilliseconds: nil)))
        #expect(policy.delay(retry: 1, retryAfterMilliseconds: 1200) == .milliseconds(1200))
        #expect(RetellRetryPolicy.retryAfterMilliseconds(retryAfterMs: nil, retryAfter: "3", now: Date()) == 3000)
        #expect(RetellRetryPolicy.isRetryable(status: 429))
        #expect(!RetellRetryPolicy.isRetryable(status: 422))
    }
}
