import Foundation
import Host
import Logging
import PluginAPI
import SQLKit

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
        var location = database ?? sqlite
        if let database, database.hasPrefix("postgres") { location = try await freshPostgresDatabase(database) }
        return try await SwitchboardRuntime.start(
            configFile: config, registry: PluginRegistry(plugins), environment: environment,
            databaseOverride: location, clock: clock, logger: quietLogger)
    }

    /// A logger that only reports warnings and worse.
    public static var quietLogger: Logger {
        var logger = Logger(label: "switchboard.test")
        logger.logLevel = .warning
        return logger
    }

    /// Creates an empty database on the PostgreSQL server of `url` and returns its URL, so each test has
    /// its own tables (two runtimes given the same URL share one database, like two instances).
    public static func freshPostgresDatabase(_ url: String) async throws -> String {
        let admin = try await SwitchboardDatabase.open(url, logger: quietLogger)
        let name = "sb_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        do {
            try await admin.sql.raw("CREATE DATABASE \(unsafeRaw: name)").run()
        } catch {
            try? await admin.shutdown()
            throw error
        }
        try await admin.shutdown()
        guard var components = URLComponents(string: url) else { return url }
        components.path = "/" + name
        return components.string ?? url
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
