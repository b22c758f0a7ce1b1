import LLMSupport
import PluginAPI

/// The settings of one `llms` entry with `plugin: gemini`.
public struct GeminiConfig: Sendable, Hashable {
    /// How much the model thinks before answering.
    public enum Thinking: Sendable, Hashable {
        /// Gemini 2.5: a token budget (`-1` dynamic, `0` off).
        case budget(Int)
        /// Gemini 3: `MINIMAL`, `LOW`, `MEDIUM` or `HIGH`.
        case level(String)
    }

    /// The model id, e.g. `gemini-2.5-flash` (a string, never an enum: models come and go).
    public var model: String
    public var apiKey: String
    /// Without `/v1beta`; the plugin appends the path.
    public var baseURL: String
    public var temperature: Double?
    public var maxOutputTokens: Int?
    public var topP: Double?
    /// `nil` sends no thinking configuration.
    public var thinking: Thinking?
    /// Passed through as `safetySettings`.
    public var safetySettings: [JSONValue]
    public var transport: TransportConfig

    public static let defaultBaseURL = "https://generativelanguage.googleapis.com"
    static let thinkingLevels = ["MINIMAL", "LOW", "MEDIUM", "HIGH"]

    public init(
        model: String, apiKey: String, baseURL: String = GeminiConfig.defaultBaseURL, temperature: Double? = nil,
        maxOutputTokens: Int? = nil, topP: Double? = nil, thinking: Thinking? = nil, safetySettings: [JSONValue] = [],
        transport: TransportConfig = TransportConfig()
    ) {
        self.model = model
        self.apiKey = apiKey
        self.baseURL = baseURL
        self.temperature = temperature
        self.maxOutputTokens = maxOutputTokens
        self.topP = topP
        self.thinking = thinking ?? Self.lowThinking(for: model)
        self.safetySettings = safetySettings
        self.transport = transport
    }

    /// Voice agents want thinking as low as the model allows (it costs seconds before the first word):
    /// budget 0 on the 2.5 Flash models, level `LOW` on Gemini 3 (the lowest level every 3.x model takes).
    static func lowThinking(for model: String) -> Thinking? {
        if model.hasPrefix("gemini-2.5-flash") { return .budget(0) }
        if model.hasPrefix("gemini-3") { return .level("LOW") }
        return nil
    }

    /// Reads and validates the configuration, reporting every problem at its place in the file.
    public init(reading node: ConfigNode) throws(ConfigErrors) {
        var reader = ConfigReader(node)
        let model = reader.string("model") ?? ""
        if reader.node["model"] != nil, model.isEmpty || model.contains("/") || model.contains(" ") {
            reader.report("expected a model id such as gemini-2.5-flash, got '\(model)'", at: reader.node["model"])
        }
        let apiKey = reader.string("api_key", default: "") ?? ""
        let baseURL = reader.baseURL("base_url", default: Self.defaultBaseURL)
        let temperature = reader.double("temperature", default: nil, in: 0...2)
        let maxOutputTokens = reader.int("max_output_tokens", default: nil, in: 1...1_000_000)
        let topP = reader.double("top_p", default: nil, in: 0...1)
        let budget = reader.int("thinking_budget", default: nil, in: -1...32_768)
        var level: String?
        if let text = reader.string("thinking_level", default: nil) {
            if Self.thinkingLevels.contains(text.uppercased()) {
                level = text.uppercased()
            } else {
                reader.report(
                    "must be one of \(Self.thinkingLevels.joined(separator: ", ")), got '\(text)'", at: reader.node["thinking_level"])
            }
        }
        if budget != nil, level != nil {
            reader.report("set thinking_budget (Gemini 2.5) or thinking_level (Gemini 3), not both: Gemini rejects both together")
        }
        let safety = Self.readSafetySettings(&reader)
        let transport = reader.transportConfig()
        reader.finish()
        if !reader.issues.isEmpty { throw ConfigErrors(reader.issues) }
        self.init(
            model: model, apiKey: apiKey, baseURL: baseURL, temperature: temperature, maxOutputTokens: maxOutputTokens,
            topP: topP, thinking: budget.map(Thinking.budget) ?? level.map(Thinking.level), safetySettings: safety,
            transport: transport)
    }

    /// `safety_settings`: a list of `{category, threshold}` mappings, passed through to Gemini.
    private static func readSafetySettings(_ reader: inout ConfigReader) -> [JSONValue] {
        guard let node = reader.node("safety_settings"), node.value != .null else { return [] }
        guard case .sequence(let items) = node.value else {
            reader.report("expected a list of {category, threshold} mappings, got \(node.kindName)", at: node)
            return []
        }
        var settings: [JSONValue] = []
        for item in items {
            var entry = ConfigReader(item)
            let category = entry.string("category")
            let threshold = entry.string("threshold")
            entry.finish()
            reader.absorb(entry.issues)
            if let category, let threshold {
                settings.append(["category": .string(category), "threshold": .string(threshold)])
            }
        }
        return settings
    }
}
