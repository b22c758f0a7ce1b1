import Foundation
import Host
import Logging
import PluginAPI

/// Builds agent catalogs and runtimes from YAML written inline in a test.
public enum TestFixtures {
    /// A fresh temporary folder.
    public static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-test-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes `yaml` as agents.yaml and each of `files` (relative path → contents) into a temporary folder;
    /// returns the path of agents.yaml.
    public static func writeConfig(_ yaml: String, files: [String: String] = [:]) throws -> String {
        let directory = try temporaryDirectory()
        for (path, contents) in files {
            let url = directory.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try contents.write(to: url, atomically: true, encoding: .utf8)
        }
        let config = directory.appendingPathComponent("agents.yaml")
        try yaml.write(to: config, atomically: true, encoding: .utf8)
        return config.path
    }

    /// Loads a catalog from inline YAML and files, with `plugins` registered.
    public static func catalog(
        yaml: String, files: [String: String] = [:], plugins: [any PluginFactory], environment: [String: String] = [:]
    ) async throws -> AgentCatalog {
        try await AgentCatalog.load(file: writeConfig(yaml, files: files), registry: PluginRegistry(plugins), environment: environment)
    }

    /// Starts a runtime from inline YAML on a fresh SQLite file (or `database`, e.g. a PostgreSQL URL).
    public static func runtime(
        yaml: String, files: [String: String] = [:], plugins: [any PluginFactory], environment: [String: String] = [:],
        database: String? = nil, clock: WallClock = .system
    ) async throws -> SwitchboardRuntime {
        let config = try writeConfig(yaml, files: files)
        let sqlite = URL(fileURLWithPath: config).deletingLastPathComponent().appendingPathComponent("test.sqlite").path
        var logger = Logger(label: "switchboard.test")
        logger.logLevel = .warning
        return try await SwitchboardRuntime.start(
            configFile: config, registry: PluginRegistry(plugins), environment: environment,
            databaseOverride: database ?? sqlite, clock: clock, logger: logger)
    }

    /// The PostgreSQL URL the test script provides (`SWITCHBOARD_TEST_POSTGRES_URL`), if any.
    ///
    /// With `CI=true` a missing URL is an error: PostgreSQL tests must never be skipped silently there.
    public static func postgresURL() throws -> String? {
        let environment = ProcessInfo.processInfo.environment
        if let url = environment["SWITCHBOARD_TEST_POSTGRES_URL"], !url.isEmpty { return url }
        if environment["CI"] == "true" {
            throw PostgresUnavailable()
        }
        return nil
    }

    /// The test databases to run storage tests on: SQLite always, PostgreSQL when available.
    public static func databases() throws -> [String?] {
        [nil] + (try postgresURL().map { [$0] } ?? [])
    }
}

/// CI=true but no PostgreSQL test server was provided.
public struct PostgresUnavailable: Error, CustomStringConvertible {
    public var description: String {
        "CI=true but SWITCHBOARD_TEST_POSTGRES_URL is not set: run the tests through scripts/test, which starts PostgreSQL"
    }
}
