import Foundation
import Logging
import PluginAPI

/// agents.yaml as the host understands it, after validation.
public struct SwitchboardConfig: Sendable {
    /// The file it was read from (absolute).
    public var file: String
    /// The folder relative paths resolve against.
    public var baseDirectory: String
    public var server: ServerConfig
    public var retell: RetellConfig
    /// Named LLM configurations, in file order.
    public var llms: [LLMConfig]
    /// Agents, in file order.
    public var agents: [AgentConfig]
    /// Every unset environment variable the file refers to, with where.
    public var unsetVariables: [(name: String, node: ConfigNode)]
}

/// The `server` section.
public struct ServerConfig: Sendable {
    public var host: String = "0.0.0.0"
    public var port: Int = 8080
    /// A SQLite file path (resolved) or a `postgres://` URL.
    public var database: String
    public var publicURL: String?
    public var logLevel: Logger.Level = .info
    public var timeZone: TimeZone?
    public var defaultAgent: String?
    public var verifySignatures: Bool = true
    /// Bearer token for the read API; the API is off without one.
    public var adminToken: String?
}

/// The `retell` section.
public struct RetellConfig: Sendable {
    /// Also the key that signs webhooks and custom functions.
    public var apiKey: String?
    public var baseURL: String = "https://api.retellai.com"
    /// Environment variables the section needs that are not set.
    public var unsetVariables: [String] = []
}

/// One entry of `llms`.
public struct LLMConfig: Sendable {
    public var name: String
    public var plugin: String
    /// The whole entry (the plugin reads its own keys; `plugin` is the host's).
    public var node: ConfigNode
}

/// One entry of an agent's `skills` or `tools`: a plugin id and its configuration.
public struct PluginUse: Sendable {
    public var plugin: String
    public var node: ConfigNode
}

/// An agent's `fallback` section: what a caller hears when the agent cannot answer.
public struct FallbackConfig: Sendable {
    public var say: String
    /// Whether to store a callback request for staff.
    public var callback: Bool
}

/// One agent from `agents`.
public struct AgentConfig: Sendable {
    public var id: String
    public var node: ConfigNode
    public var retellAgentID: String?
    public var language: String
    public var timeZone: TimeZone?
    /// The persona template's path (resolved).
    public var personaPath: String
    public var llm: String
    public var beginMessage: String
    public var skills: [PluginUse]
    /// Engine built-ins named in `tools` (`end_call`, `transfer_call`).
    public var builtinTools: [String]
    /// Tool-provider plugins named in `tools`.
    public var toolProviders: [PluginUse]
    public var phoneNumbers: [String]
    public var transferNumber: String?
    public var toolTimeout: Duration
    public var maxToolRounds: Int
    public var fallback: FallbackConfig
    /// The SMS number confirmations are sent from (`sms.from_number`); SMS is off without one.
    public var smsFromNumber: String?
    /// How `switchboard retell apply` sets the agent up on Retell (the agent's `retell:` section).
    public var retell = AgentRetellSettings()
}
