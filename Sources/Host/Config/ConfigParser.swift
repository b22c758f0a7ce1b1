import Foundation
import Logging
import PluginAPI

/// Turns the located YAML tree of agents.yaml into a ``SwitchboardConfig``, collecting every problem.
///
/// Plugin sections are only checked for their plugin id here; their contents are validated by the
/// plugins themselves when the ``AgentCatalog`` is built.
struct ConfigParser {
    static let builtinTools = ["end_call", "transfer_call"]

    let registry: PluginRegistry
    let file: String
    let baseDirectory: String
    private(set) var issues: [ConfigIssue] = []

    init(registry: PluginRegistry, file: String) {
        self.registry = registry
        self.file = file
        self.baseDirectory = URL(fileURLWithPath: file).deletingLastPathComponent().path
    }

    mutating func parse(_ root: ConfigNode) -> SwitchboardConfig {
        var top = ConfigReader(root)
        let server = parseServer(top.node("server"))
        let retell = parseRetell(top.node("retell"))
        let llms = parseLLMs(top.node("llms"))
        let agents = parseAgents(top.node("agents"), llmNames: Set(llms.map(\.name)))
        top.finish()
        issues += top.issues
        if let defaultAgent = server.defaultAgent, !agents.contains(where: { $0.id == defaultAgent }),
            let node = root["server"]?["default_agent"]
        {
            issues.append(ConfigIssue(node: node, "no agent '\(defaultAgent)'" + ConfigReader.suggestion(for: defaultAgent, among: agents.map(\.id))))
        }
        let unset = Self.unsetVariables(in: root)
        for (name, node) in unset {
            issues.append(ConfigIssue(.warning, node: node, "environment variable \(name) is not set"))
        }
        return SwitchboardConfig(
            file: file, baseDirectory: baseDirectory, server: server, retell: retell, llms: llms, agents: agents,
            unsetVariables: unset)
    }

    private mutating func parseServer(_ node: ConfigNode?) -> ServerConfig {
        var reader = ConfigReader(node ?? ConfigNode(.null, path: ["server"]))
        var server = ServerConfig(database: resolvePath("data/switchboard.sqlite"))
        server.host = reader.string("host", default: server.host) ?? server.host
        server.port = reader.int("port", default: server.port, in: 0...65535) ?? server.port
        if let database = reader.string("database", default: nil), !database.isEmpty {
            server.database = Self.isPostgresURL(database) ? database : resolvePath(database)
        }
        server.publicURL = nonEmpty(reader.string("public_url", default: nil))
        let levels = Logger.Level.allCases.map(\.rawValue)
        server.logLevel = Logger.Level(rawValue: reader.choice("log_level", levels, default: "info")) ?? .info
        server.timeZone = timeZone(&reader, "timezone")
        server.defaultAgent = nonEmpty(reader.string("default_agent", default: nil))
        server.verifySignatures = reader.bool("verify_signatures", default: true)
        server.adminToken = nonEmpty(reader.string("admin_token", default: nil))
        reader.finish()
        issues += reader.issues
        return server
    }

    private mutating func parseRetell(_ node: ConfigNode?) -> RetellConfig {
        var reader = ConfigReader(node ?? ConfigNode(.null, path: ["retell"]))
        var retell = RetellConfig()
        retell.apiKey = nonEmpty(reader.string("api_key", default: nil))
        retell.baseURL = nonEmpty(reader.string("base_url", default: nil)) ?? retell.baseURL
        retell.unsetVariables = node?.allUnsetVariables ?? []
        reader.finish()
        issues += reader.issues
        return retell
    }

    private mutating func parseLLMs(_ node: ConfigNode?) -> [LLMConfig] {
        guard let node, node.value != .null else { return [] }
        guard case .mapping(let pairs) = node.value else {
            issues.append(ConfigIssue(node: node, "expected a mapping of LLM names to settings, got \(node.kindName)"))
            return []
        }
        return pairs.compactMap { name, entry in
            guard let pluginNode = entry["plugin"] else {
                issues.append(ConfigIssue(node: entry, "missing required key 'plugin' (one of: \(registry.ids(of: .llm).joined(separator: ", ")))"))
                return nil
            }
            guard let plugin = checkPlugin(pluginNode, kind: .llm) else { return nil }
            return LLMConfig(name: name, plugin: plugin, node: entry)
        }
    }

    private mutating func parseAgents(_ node: ConfigNode?, llmNames: Set<String>) -> [AgentConfig] {
        guard let node, node.value != .null else { return [] }
        guard case .mapping(let pairs) = node.value else {
            issues.append(ConfigIssue(node: node, "expected a mapping of agent ids to agents, got \(node.kindName)"))
            return []
        }
        return pairs.compactMap { id, entry in parseAgent(id: id, entry, llmNames: llmNames) }
    }

    private mutating func parseAgent(id: String, _ node: ConfigNode, llmNames: Set<String>) -> AgentConfig? {
        var reader = ConfigReader(node)
        if !id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) {
            reader.report("agent ids may use letters, digits, '-' and '_' only (they appear in URLs)")
        }
        let retellAgentID = nonEmpty(reader.string("retell_agent_id", default: nil))
        let language = reader.string("language", default: "en-US") ?? "en-US"
        let zone = timeZone(&reader, "timezone")
        var personaPath = ""
        if let persona = reader.node("persona") {
            if let path = persona.json.stringValue, !path.isEmpty {
                personaPath = resolvePath(path)
                if !FileManager.default.fileExists(atPath: personaPath) {
                    reader.report("persona file not found: \(personaPath)", at: persona)
                }
            } else {
                reader.report("expected the path of a persona template, got \(persona.kindName)", at: persona)
            }
        } else {
            reader.report("missing required key 'persona' (the path of the persona prompt template)")
        }
        var llm = ""
        if let llmNode = reader.node("llm") {
            llm = llmNode.json.stringValue ?? ""
            if !llmNames.contains(llm) {
                let known = llmNames.sorted()
                reader.report("no LLM named '\(llm)' in llms" + (known.isEmpty ? " (the llms section is empty)" : ConfigReader.suggestion(for: llm, among: known)), at: llmNode)
            }
        } else {
            reader.report("missing required key 'llm' (a name from the llms section)")
        }
        let beginMessage = reader.string("begin_message", default: "") ?? ""
        let skills = pluginUses(reader.node("skills"), kind: .skill)
        let (builtins, providers) = parseTools(reader.node("tools"))
        let phoneNumbers = reader.strings("phone_numbers")
        let transferNumber = nonEmpty(reader.string("transfer_number", default: nil))
        for number in phoneNumbers + [transferNumber].compactMap({ $0 }) where !Self.isE164(number) {
            reader.report("'\(number)' is not an E.164 number (+ and 8 to 15 digits)")
        }
        if builtins.contains("transfer_call"), transferNumber == nil {
            reader.report("tool transfer_call needs transfer_number")
        }
        let toolTimeout = reader.duration("tool_timeout", default: .seconds(8))
        let maxToolRounds = reader.int("max_tool_rounds", default: 5, in: 1...20) ?? 5
        let fallback = parseFallback(reader.node("fallback"), language: language)
        var smsFrom: String?
        if let smsNode = reader.node("sms"), smsNode.value != .null {
            var sms = ConfigReader(smsNode)
            smsFrom = nonEmpty(sms.string("from_number"))
            sms.finish()
            reader.absorb(sms.issues)
        }
        let retellSettings = AgentRetellSettings.parse(reader.node("retell"), into: &reader)
        reader.finish()
        issues += reader.issues
        return AgentConfig(
            id: id, node: node, retellAgentID: retellAgentID, language: language, timeZone: zone,
            personaPath: personaPath, llm: llm, beginMessage: beginMessage, skills: skills, builtinTools: builtins,
            toolProviders: providers, phoneNumbers: phoneNumbers, transferNumber: transferNumber,
            toolTimeout: toolTimeout, maxToolRounds: maxToolRounds, fallback: fallback, smsFromNumber: smsFrom,
            retell: retellSettings)
    }

    private mutating func parseFallback(_ node: ConfigNode?, language: String) -> FallbackConfig {
        let defaultLine = language.hasPrefix("de")
            ? "Entschuldigung, ich habe gerade technische Probleme. Wir rufen Sie so bald wie möglich zurück."
            : "I'm sorry, I'm having technical trouble right now. We'll call you back as soon as we can."
        guard let node, node.value != .null else { return FallbackConfig(say: defaultLine, callback: true) }
        var reader = ConfigReader(node)
        let say = reader.string("say", default: defaultLine) ?? defaultLine
        let callback = reader.bool("callback", default: true)
        reader.finish()
        issues += reader.issues
        return FallbackConfig(say: say, callback: callback)
    }

    /// `skills:` entries: `- restaurant` or `- restaurant: { …config… }`.
    private mutating func pluginUses(_ node: ConfigNode?, kind: PluginKind) -> [PluginUse] {
        guard let node, node.value != .null else { return [] }
        guard case .sequence(let items) = node.value else {
            issues.append(ConfigIssue(node: node, "expected a list, got \(node.kindName)"))
            return []
        }
        return items.compactMap { pluginUse($0, kind: kind) }
    }

    private mutating func pluginUse(_ item: ConfigNode, kind: PluginKind) -> PluginUse? {
        switch item.value {
        case .string(let id):
            guard let plugin = checkPlugin(item, kind: kind) else { return nil }
            return PluginUse(plugin: plugin, node: ConfigNode(.null, location: item.location, path: item.path + [id]))
        case .mapping(let pairs) where pairs.count == 1:
            var keyNode = ConfigNode(.string(pairs[0].key), location: pairs[0].value.keyLocation, path: item.path)
            keyNode.keyLocation = pairs[0].value.keyLocation
            guard let plugin = checkPlugin(keyNode, kind: kind) else { return nil }
            return PluginUse(plugin: plugin, node: pairs[0].value)
        default:
            issues.append(ConfigIssue(node: item, "expected a plugin id, or a plugin id with its settings (`- id: {…}`)"))
            return nil
        }
    }

    /// `tools:` entries: engine built-ins by name, or tool-provider plugins like skills.
    private mutating func parseTools(_ node: ConfigNode?) -> ([String], [PluginUse]) {
        guard let node, node.value != .null else { return ([], []) }
        guard case .sequence(let items) = node.value else {
            issues.append(ConfigIssue(node: node, "expected a list, got \(node.kindName)"))
            return ([], [])
        }
        var builtins: [String] = []
        var providers: [PluginUse] = []
        for item in items {
            if let name = item.json.stringValue, Self.builtinTools.contains(name) {
                builtins.append(name)
            } else if let use = pluginUse(item, kind: .toolProvider) {
                providers.append(use)
            }
        }
        return (builtins, providers)
    }

    /// The plugin id in `node` if a plugin of `kind` has it; else records an issue.
    private mutating func checkPlugin(_ node: ConfigNode, kind: PluginKind) -> String? {
        guard let id = node.json.stringValue else {
            issues.append(ConfigIssue(node: node, "expected a plugin id, got \(node.kindName)"))
            return nil
        }
        guard let factory = registry.factory(id) else {
            var candidates = registry.ids(of: kind)
            if kind == .toolProvider { candidates += Self.builtinTools }
            let known = candidates.isEmpty ? "none registered" : candidates.joined(separator: ", ")
            issues.append(ConfigIssue(at: node.keyLocation ?? node.location, keyPath: node.dottedPath,
                                      "unknown \(kind.displayName) '\(id)'" + ConfigReader.suggestion(for: id, among: candidates) + " (known: \(known))"))
            return nil
        }
        guard factory.kind == kind else {
            issues.append(ConfigIssue(at: node.keyLocation ?? node.location, keyPath: node.dottedPath,
                                      "plugin '\(id)' is a \(factory.kind.displayName), not a \(kind.displayName)"))
            return nil
        }
        return id
    }

    private mutating func timeZone(_ reader: inout ConfigReader, _ key: String) -> TimeZone? {
        guard let name = nonEmpty(reader.string(key, default: nil)) else { return nil }
        guard let zone = TimeZone(identifier: name) else {
            reader.report("unknown IANA timezone '\(name)' (e.g. Europe/Berlin, America/Los_Angeles)", at: reader.node(key))
            return nil
        }
        return zone
    }

    private func resolvePath(_ path: String) -> String {
        DataFileLoader(baseDirectory: baseDirectory, yaml: YAMLLoader(environment: [:])).resolve(path)
    }

    private func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }

    static func isPostgresURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    static func isE164(_ number: String) -> Bool {
        number.first == "+" && (9...16).contains(number.count) && number.dropFirst().allSatisfy(\.isASCII) && number.dropFirst().allSatisfy(\.isNumber)
    }

    static func unsetVariables(in node: ConfigNode) -> [(name: String, node: ConfigNode)] {
        var found = node.unsetVariables.map { (name: $0, node: node) }
        switch node.value {
        case .sequence(let items): found += items.flatMap(unsetVariables(in:))
        case .mapping(let pairs): found += pairs.flatMap { unsetVariables(in: $0.value) }
        default: break
        }
        return found
    }
}

extension PluginKind {
    var displayName: String {
        switch self {
        case .skill: return "skill"
        case .llm: return "LLM plugin"
        case .toolProvider: return "tool"
        }
    }
}
