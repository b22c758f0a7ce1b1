import Foundation
import PluginAPI

/// One restaurant's skill instance (built per agent).
public struct RestaurantSkill: Skill {
    public let agentID: String
    public let profile: RestaurantProfile
    let matcher: MenuMatcher

    public init(agentID: String, profile: RestaurantProfile) {
        self.agentID = agentID
        self.profile = profile
        self.matcher = MenuMatcher(menu: profile.menu)
    }

    public var timeZone: TimeZone? { profile.timeZone }

    public var tools: [ToolDefinition] {
        var tools = RestaurantTools.menu + RestaurantTools.orders + [RestaurantTools.checkHours]
        if profile.reservations != nil { tools += RestaurantTools.reservations }
        return tools
    }

    public func handle(_ call: ToolCall, context: ToolContext) async throws -> ToolResult {
        let arguments = ToolArguments(call.arguments)
        let speech = Speech(profile: profile, language: context.language)
        switch call.name {
        case "search_menu": return searchMenu(arguments, speech: speech)
        case "get_item_details": return itemDetails(arguments, speech: speech)
        case "add_to_order": return try await addToOrder(arguments, context: context, speech: speech)
        case "update_order_item": return try await updateOrderItem(arguments, context: context, speech: speech)
        case "remove_from_order": return try await removeFromOrder(arguments, context: context, speech: speech)
        case "view_order": return try await viewOrder(context: context, speech: speech)
        case "confirm_order": return try await confirmOrder(arguments, context: context, speech: speech)
        case "check_hours": return checkHours(arguments, context: context, speech: speech)
        case "make_reservation": return try await makeReservation(arguments, context: context, speech: speech)
        case "find_reservation": return try await findReservation(arguments, context: context, speech: speech)
        case "cancel_reservation": return try await cancelReservation(arguments, context: context, speech: speech)
        default: throw ToolError.unknownTool(call.name)
        }
    }

    /// An order still open when the call ends is kept, marked `abandoned`.
    public func callEnded(_ outcome: CallOutcome, context: HookContext) async throws {
        let agentID = outcome.call.agentID.isEmpty ? self.agentID : outcome.call.agentID
        let callID = outcome.call.callID
        let now = context.clock.now()
        let abandoned = try await context.storage.transaction { db in
            try await OrderStore(db: db).abandon(callID: callID, agentID: agentID, now: now)
        }
        if abandoned > 0 {
            context.logger.info("open order abandoned at the end of the call", metadata: ["call_id": "\(callID)", "orders": "\(abandoned)"])
        }
    }

    public var readEndpoints: [ReadEndpoint] { RestaurantReadAPI.endpoints }
}

/// Typed access to a tool's (already schema-checked) arguments.
struct ToolArguments {
    let json: JSONValue

    init(_ json: JSONValue) { self.json = json }

    /// A trimmed, non-empty string.
    func string(_ key: String) -> String? {
        guard let text = json[key]?.stringValue?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        return text
    }

    func int(_ key: String) -> Int? { json[key]?.intValue }

    func strings(_ key: String) -> [String]? {
        json[key]?.arrayValue.map { $0.compactMap(\.stringValue).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty } }
    }
}
