import Foundation

/// Runs the `switchboard` executable of this build (next to the test bundle, e.g. `.build/debug`).
public enum BuiltBinary {
    /// What a finished run printed and returned.
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// The executable's path; throws a clear error when it has not been built.
    public static func path() throws -> String {
        let candidates = [
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("switchboard").path,
            URL(fileURLWithPath: CommandLine.arguments.first ?? "").deletingLastPathComponent().appendingPathComponent("switchboard").path,
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../.build/debug/switchboard").standardized.path,
        ]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw BinaryMissing(searched: candidates)
        }
        return found
    }

    /// Runs the executable with `arguments` to completion, its environment this process's with
    /// `environment` laid over it.
    ///
    /// Output goes to temporary files and the exit is awaited without blocking a thread of the cooperative
    /// pool (an in-process fake server keeps serving meanwhile).
    public static func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> Result {
        let folder = try TestFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outURL = folder.appendingPathComponent("stdout"), errURL = folder.appendingPathComponent("stderr")
        let child = try ChildProcess(
            executable: try path(), arguments: arguments,
            environment: ProcessInfo.processInfo.environment.merging(environment) { $1 }, output: outURL.path, error: errURL.path)
        let exit = await child.exit()
        return Result(
            status: exit.status, stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }
}

/// The `switchboard` executable was not found: build it first (`swift build --build-tests` builds it).
public struct BinaryMissing: Error, CustomStringConvertible {
    public var searched: [String]
    public var description: String { "switchboard executable not found (build it first); looked in: \(searched.joined(separator: ", "))" }
}
