import PluginAPI

/// The plugins this build knows, by id. The executable fills it; agents.yaml names plugins by id.
public struct PluginRegistry: Sendable {
    private var factories: [String: any PluginFactory] = [:]
    private var order: [String] = []

    public init(_ factories: [any PluginFactory] = []) {
        for factory in factories { register(factory) }
    }

    /// Adds `factory`; a second plugin with the same id replaces the first.
    public mutating func register(_ factory: any PluginFactory) {
        if factories[factory.id] == nil { order.append(factory.id) }
        factories[factory.id] = factory
    }

    /// The plugin with `id`.
    public func factory(_ id: String) -> (any PluginFactory)? { factories[id] }

    /// Every plugin, in registration order.
    public var all: [any PluginFactory] { order.compactMap { factories[$0] } }

    /// The ids of the plugins of `kind`.
    public func ids(of kind: PluginKind) -> [String] { all.filter { $0.kind == kind }.map(\.id) }
}
