import Foundation
import Mustache
import PluginAPI

/// A Mustache template for prompts and spoken lines: plain text, nothing HTML-escaped.
public struct PromptTemplate: Sendable {
    private let template: MustacheTemplate
    /// The template's source.
    public let source: String

    /// Compiles `source`; errors carry the line and column.
    public init(_ source: String, file: String) throws(ConfigErrors) {
        self.source = source
        do {
            template = try MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}" + source)
        } catch let error as MustacheTemplate.ParserError {
            throw ConfigErrors([ConfigIssue(
                at: SourceLocation(file: file, line: error.context.lineNumber, column: error.context.columnNumber),
                keyPath: "", "template: \(error.error)")])
        } catch {
            throw ConfigErrors([ConfigIssue(at: SourceLocation(file: file, line: 1, column: 1), keyPath: "", "template: \(error)")])
        }
    }

    /// Renders with `variables` (a JSON object; nested objects are reached with dots, `{{restaurant.name}}`).
    public func render(_ variables: JSONValue) -> String {
        template.render(Self.mustacheValue(variables))
    }

    private static func mustacheValue(_ value: JSONValue) -> Any {
        switch value {
        case .null: return Optional<String>.none as Any
        case .bool(let flag): return flag
        case .int(let number): return number
        case .double(let number): return number
        case .string(let text): return text
        case .array(let items): return items.map(mustacheValue)
        case .object(let members): return members.mapValues(mustacheValue)
        }
    }
}
