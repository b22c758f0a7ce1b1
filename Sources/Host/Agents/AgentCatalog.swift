import Foundation
import Logging
import PluginAPI

/// Every agent of agents.yaml, built and ready: what the server, the engine and the CLI look agents up in.
public struct AgentCatalog: Sendable {
    public let config: SwitchboardConfig
    /// Agents in file order.
    public let agents: [Agent]
    /// Warnings found while loading (unset secrets and the like).
    public let warnings: [ConfigIssue]
    /// Plugin factories the agents use (for migrations and job handlers).
    public let registry: PluginRegistry

    /// The LLM backends built from `llms`, by name.
    public let llmBackends: [String: any LLMBackend]

    /// The agent with `id`.
    public func agent(_ id: String) -> Agent? { agents.first { $0.id == id } }

    /// The backend of the `llms` entry `name`, if it could be built.
    public func llm(named name: String) -> (any LLMBackend)? { llmBackends[name] }

    /// Retell agent ids recorded by `switchboard retell apply` (the runtime loads them from the database).
    public private(set) var retellDirectory = RetellAgentDirectory()

    /// The agent whose `retell_agent_id` is `retellAgentID`, else the one `switchboard retell apply` recorded it for.
    public func agent(retellAgentID: String) -> Agent? {
        agents.first { $0.config.retellAgentID == retellAgentID }
            ?? retellDirectory.agentID(retellAgentID: retellAgentID).flatMap { agent($0) }
    }

    /// This catalog, also knowing the Retell agent ids in `directory`.
    public func withRetellDirectory(_ directory: RetellAgentDirectory) -> AgentCatalog {
        var copy = self
        copy.retellDirectory = directory
        return copy
    }

    /// The agent that takes calls to `number` (`phone_numbers`).
    public func agent(phoneNumber number: String) -> Agent? { agents.first { $0.config.phoneNumbers.contains(number) } }

    /// Every job handler of every tool provider, by kind.
    public var jobHandlers: [String: JobHandler] {
        var handlers: [String: JobHandler] = [:]
        for agent in agents {
            for tool in agent.tools {
                for handler in tool.provider?.jobHandlers ?? [] { handlers[handler.kind] = handler }
            }
        }
        return handlers
    }

    /// Reads, validates and builds agents.yaml at `file`.
    ///
    /// Throws ``ConfigErrors`` with every problem (and the warnings) when any error is found.
    public static func load(
        file: String, registry: PluginRegistry, environment: [String: String] = ProcessInfo.processInfo.environment,
        services: HostServices = HostServices(), logger: Logger = Logger(label: "switchboard.config")
    ) async throws(ConfigErrors) -> AgentCatalog {
        let path = URL(fileURLWithPath: file).standardizedFileURL.path
        let yaml = YAMLLoader(environment: environment)
        let root = try yaml.load(file: path)
        var parser = ConfigParser(registry: registry, file: path)
        let config = parser.parse(root)
        var builder = CatalogBuilder(
            config: config, registry: registry, logger: logger,
            files: DataFileLoader(baseDirectory: config.baseDirectory, yaml: yaml), services: services)
        builder.issues = parser.issues
        let agents = await builder.build()
        let issues = builder.issues
        if issues.contains(where: { $0.severity == .error }) {
            throw ConfigErrors(issues.sorted(by: Self.fileOrder))
        }
        return AgentCatalog(
            config: config, agents: agents, warnings: issues.sorted(by: Self.fileOrder), registry: registry,
            llmBackends: builder.backends)
    }

    static func fileOrder(_ lhs: ConfigIssue, _ rhs: ConfigIssue) -> Bool {
        let left = lhs.location.map { ($0.file, $0.line, $0.column) } ?? ("", 0, 0)
        let right = rhs.location.map { ($0.file, $0.line, $0.column) } ?? ("", 0, 0)
        return left < right
    }
}

/// Builds plugin instances and agents from a parsed config, collecting issues.
private struct CatalogBuilder {
    let config: SwitchboardConfig
    let registry: PluginRegistry
    let logger: Logger
    let files: DataFileLoader
    let services: HostServices
    var issues: [ConfigIssue] = []
    /// The LLM backends built, by `llms` name.
    var backends: [String: any LLMBackend] = [:]

    init(config: SwitchboardConfig, registry: PluginRegistry, logger: Logger, files: DataFileLoader, services: HostServices) {
        self.config = config
        self.registry = registry
        self.logger = logger
        self.files = files
        var services = services
        services.register(files as any DataFileLoading, as: (any DataFileLoading).self)
        self.services = services
    }

    mutating func build() async -> [Agent] {
        var llms: [String: (backend: (any LLMBackend)?, degraded: [String])] = [:]
        for llm in config.llms {
            let node = Self.removing("plugin", from: llm.node)
            let instance = await make(llm.plugin, node, agentID: nil, timeZone: config.server.timeZone)
            var backend: (any LLMBackend)?
            if case .llm(let built) = instance {
                backend = built
                backends[llm.name] = built
            }
            let unset = llm.node.allUnsetVariables
            llms[llm.name] = (backend, unset.isEmpty ? [] : ["LLM '\(llm.name)' needs \(unset.joined(separator: ", ")) (not set)"])
        }
        var agents: [Agent] = []
        for agentConfig in config.agents {
            if let agent = await buildAgent(agentConfig, llms: llms) { agents.append(agent) }
        }
        return agents
    }

    private mutating func buildAgent(
        _ agentConfig: AgentConfig, llms: [String: (backend: (any LLMBackend)?, degraded: [String])]
    ) async -> Agent? {
        var degraded: [String] = []
        let persona = loadTemplate(file: agentConfig.personaPath)
        let beginNode = agentConfig.node["begin_message"]
        let begin: PromptTemplate?
        do {
            begin = try PromptTemplate(agentConfig.beginMessage, file: beginNode?.location?.file ?? config.file)
        } catch {
            issues += error.issues.map { issue in
                var located = issue
                located.location = beginNode?.location ?? issue.location
                located.keyPath = beginNode?.dottedPath ?? ""
                return located
            }
            begin = nil
        }
        var skills: [(id: String, skill: any Skill)] = []
        var tools: [Agent.Tool] = []
        for use in agentConfig.skills {
            let instance = await make(use.plugin, use.node, agentID: agentConfig.id, timeZone: agentConfig.timeZone ?? config.server.timeZone)
            if case .skill(let skill) = instance {
                skills.append((use.plugin, skill))
                tools += skill.tools.map { Agent.Tool(definition: $0, source: use.plugin, provider: skill) }
            }
            let unset = use.node.allUnsetVariables
            if !unset.isEmpty { degraded.append("skill '\(use.plugin)' needs \(unset.joined(separator: ", ")) (not set)") }
        }
        for use in agentConfig.toolProviders {
            let instance = await make(use.plugin, use.node, agentID: agentConfig.id, timeZone: agentConfig.timeZone ?? config.server.timeZone)
            if case .tools(let provider) = instance {
                tools += provider.tools.map { Agent.Tool(definition: $0, source: use.plugin, provider: provider) }
            }
            let unset = use.node.allUnsetVariables
            if !unset.isEmpty { degraded.append("tools '\(use.plugin)' need \(unset.joined(separator: ", ")) (not set)") }
        }
        tools += agentConfig.builtinTools.compactMap { name in
            EngineTools.definition(name).map { Agent.Tool(definition: $0, source: "engine", provider: nil) }
        }
        checkToolNames(tools, agent: agentConfig)
        let llm = llms[agentConfig.llm]
        degraded += llm?.degraded ?? []
        if llm != nil, llm?.backend == nil { degraded.append("LLM '\(agentConfig.llm)' could not be built") }
        let timeZone = agentConfig.timeZone ?? skills.lazy.compactMap(\.skill.timeZone).first ?? config.server.timeZone
            ?? TimeZone(identifier: "UTC")!
        guard let persona, let begin else { return nil }
        return Agent(
            config: agentConfig, persona: persona, beginMessage: begin, skills: skills, tools: tools,
            llm: llm?.backend, timeZone: timeZone, status: degraded.isEmpty ? .ok : .degraded(reasons: degraded))
    }

    private mutating func checkToolNames(_ tools: [Agent.Tool], agent: AgentConfig) {
        var seen: [String: String] = [:]
        for tool in tools {
            let name = tool.definition.name
            if let first = seen[name] {
                issues.append(ConfigIssue(node: agent.node, "tool '\(name)' is offered by both '\(first)' and '\(tool.source)'"))
            }
            seen[name] = tool.source
            let valid = !name.isEmpty && name.count <= 64
                && name.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) && $0.isASCII || $0 == "_" || $0 == "-" }
            if !valid {
                issues.append(ConfigIssue(node: agent.node, "tool name '\(name)' from '\(tool.source)' must be 1–64 characters of A–Z, a–z, 0–9, _ and -"))
            }
        }
    }

    private mutating func loadTemplate(file: String) -> PromptTemplate? {
        guard !file.isEmpty, let data = FileManager.default.contents(atPath: file) else { return nil }
        guard let text = String(data: data, encoding: .utf8) else {
            issues.append(ConfigIssue(at: SourceLocation(file: file, line: 1, column: 1), keyPath: "", "persona template is not UTF-8 text"))
            return nil
        }
        do {
            return try PromptTemplate(text, file: file)
        } catch {
            issues += error.issues
            return nil
        }
    }

    private mutating func make(_ pluginID: String, _ node: ConfigNode, agentID: String?, timeZone: TimeZone?) async -> PluginInstance? {
        guard let factory = registry.factory(pluginID) else { return nil }
        let context = PluginSetupContext(
            agentID: agentID, timeZone: timeZone, logger: logger, files: files, services: services)
        do {
            return try await factory.make(config: node, context: context)
        } catch let error as ConfigErrors {
            issues += error.issues
        } catch {
            issues.append(ConfigIssue(node: node, "plugin '\(pluginID)': \(error)"))
        }
        return nil
    }

    /// `node` without the member `key` (the host's `plugin` key in an LLM entry).
    static func removing(_ key: String, from node: ConfigNode) -> ConfigNode {
        guard case .mapping(let pairs) = node.value else { return node }
        var copy = node
        copy.value = .mapping(pairs.filter { $0.key != key })
        return copy
    }
}
