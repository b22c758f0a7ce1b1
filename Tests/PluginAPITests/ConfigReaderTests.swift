import PluginAPI
import Testing

@Suite struct ConfigReaderTests {
    func node(_ pairs: [(String, ConfigNode.Value)]) -> ConfigNode {
        ConfigNode(.mapping(pairs.enumerated().map { index, pair in
            (pair.0, ConfigNode(pair.1, location: SourceLocation(file: "x.yaml", line: index + 1, column: 10), path: ["s", pair.0]))
        }), path: ["s"])
    }

    @Test func readsTypedValuesAndDefaults() {
        var reader = ConfigReader(node([("name", .string("Bella")), ("seats", .int(40)), ("wait", .string("800ms"))]))
        #expect(reader.string("name") == "Bella")
        #expect(reader.int("seats", default: 0, in: 1...100) == 40)
        #expect(reader.duration("wait", default: .seconds(1)) == .milliseconds(800))
        let open = reader.bool("open", default: true)
        #expect(open)
        reader.finish()
        #expect(reader.issues.isEmpty)
    }

    @Test func collectsEveryProblemWithItsPlace() {
        var reader = ConfigReader(node([("seats", .string("many")), ("tmezone", .string("UTC")), ("mode", .string("fast"))]))
        _ = reader.int("seats", default: 1)
        _ = reader.string("timezone", default: nil)
        _ = reader.choice("mode", ["pickup", "delivery"], default: "pickup")
        _ = reader.string("name")
        reader.finish()
        #expect(reader.issues.map(\.description) == [
            "x.yaml:1:10: s.seats: expected an integer, got a string",
            "x.yaml:3:10: s.mode: must be one of pickup, delivery, got 'fast'",
            "s: missing required key 'name'",
            "x.yaml:2:10: s.tmezone: unknown key (did you mean 'timezone'?)",
        ])
    }

    @Test func parsesDurations() {
        #expect(ConfigReader.parseDuration("2m") == .seconds(120))
        #expect(ConfigReader.parseDuration("1.5s") == .milliseconds(1500))
        #expect(ConfigReader.parseDuration("8") == .seconds(8))
        #expect(ConfigReader.parseDuration("soon") == nil)
    }

    @Test func suggestsCloseNamesOnly() {
        #expect(ConfigReader.suggestion(for: "lmm", among: ["llm", "language"]) == " (did you mean 'llm'?)")
        #expect(ConfigReader.suggestion(for: "completely", among: ["llm"]) == "")
    }
}
