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

    /// Runs the executable with `arguments` to completion.
    ///
    /// Output goes to temporary files and the exit is awaited through the termination handler, so no
    /// thread of the cooperative pool blocks while the child runs (an in-process fake server keeps serving).
    public static func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try path())
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment
        merged.merge(environment) { $1 }
        process.environment = merged
        let folder = try TestFixtures.temporaryDirectory()
        let outURL = folder.appendingPathComponent("stdout"), errURL = folder.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        try out.close()
        try err.close()
        defer { try? FileManager.default.removeItem(at: folder) }
        return Result(
            status: status, stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }
}

/// The `switchboard` executable was not found: build it first (`swift build --build-tests` builds it).
public struct BinaryMissing: Error, CustomStringConvertible {
    public var searched: [String]
    public var description: String { "switchboard executable not found (build it first); looked in: \(searched.joined(separator: ", "))" }
}
