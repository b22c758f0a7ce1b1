/// Shared services of the host that plugins look up by type, so the plugin API itself names no HTTP
/// client or other library: a plugin that needs the host's `HTTPClient` asks for `HTTPClient.self`.
public struct HostServices: Sendable {
    private var services: [ObjectIdentifier: any Sendable] = [:]

    public init() {}

    /// Registers `service` under its type `type`, replacing any earlier one.
    public mutating func register<Service: Sendable>(_ service: Service, as type: Service.Type = Service.self) {
        services[ObjectIdentifier(type)] = service
    }

    /// The service registered under `type`, if any.
    public func get<Service>(_ type: Service.Type) -> Service? {
        services[ObjectIdentifier(type)] as? Service
    }

    /// The service registered under `type`; throws a clear error when the host has none.
    public func require<Service>(_ type: Service.Type) throws -> Service {
        guard let service = get(type) else { throw MissingHostService(typeName: String(describing: type)) }
        return service
    }
}

/// A plugin asked for a host service the host does not provide.
public struct MissingHostService: Error, Sendable, CustomStringConvertible {
    public var typeName: String
    public var description: String { "the host provides no service of type \(typeName)" }
}
