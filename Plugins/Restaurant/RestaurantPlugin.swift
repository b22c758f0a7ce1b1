import Foundation
import PluginAPI

/// The `restaurant` skill: menu look-up, phone orders, table reservations and opening hours for one
/// restaurant per agent.
///
/// ```yaml
/// skills:
///   - restaurant: { profile: data/bella-napoli/restaurant.yaml, menu: data/bella-napoli/menu.yaml }
/// ```
public struct RestaurantPlugin: PluginFactory {
    public init() {}

    public var id: String { "restaurant" }
    public var kind: PluginKind { .skill }
    public var migrations: [Migration] { RestaurantMigrations.all }

    public func make(config: ConfigNode, context: PluginSetupContext) async throws -> PluginInstance {
        var parser = ProfileParser()
        let profile = try parser.parse(config: config, files: context.files)
        return .skill(RestaurantSkill(agentID: context.agentID ?? "", profile: profile))
    }
}
