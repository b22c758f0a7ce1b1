import Foundation
import Host
import SwitchboardTesting
import Testing

@Suite("Open-file limit")
struct OpenFileLimitTests {
    @Test("the server started with a soft limit of 256 open files runs with its hard limit, and logs it",
          .enabled(if: FileManager.default.fileExists(atPath: "/proc/self/limits"), "reads the server's limits from /proc"))
    func serveRaisesTheSoftLimit() async throws {
        let hard = try #require(OpenFileLimit.current()).hard
        try #require(hard > 256, "this machine's hard limit leaves nothing to raise")
        let folder = try TestFixtures.temporaryDirectory()
        let config = folder.appendingPathComponent("agents.yaml")
        try "server: { log_level: info }\nagents: {}\n".write(to: config, atomically: true, encoding: .utf8)
        let server = try ServerProcess(
            config: config.path, database: folder.appendingPathComponent("limit.sqlite").path,
            log: folder.appendingPathComponent("server.log"), openFileSoftLimit: 256)
        _ = try await server.waitUntilListening()
        let limits = try String(contentsOfFile: "/proc/\(server.process.pid)/limits", encoding: .utf8)
        server.terminate()
        await server.waitUntilExit()

        let line = try #require(limits.split(separator: "\n").first { $0.hasPrefix("Max open files") })
        let numbers = line.split(separator: " ").compactMap { Int($0) }
        #expect(numbers == [hard, hard], "\(line)")
        #expect(server.logText.contains("open-file limit"))
    }

    @Test("a call holds two descriptors, after those the process keeps for itself")
    func concurrentCalls() {
        #expect(OpenFileLimit(soft: 1024, hard: 4096).concurrentCalls == 480)
        #expect(OpenFileLimit(soft: 10, hard: 10).concurrentCalls == 0)
    }
}
