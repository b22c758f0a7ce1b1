import ServiceLifecycle

extension ServiceGroup {
    /// Runs the group while `body` runs with the port its server reports on `ports`, then shuts the group
    /// down gracefully (also when `body` throws) and waits for it.
    ///
    /// Never by cancelling the serving task: a connection accepted in the instant of a cancellation is
    /// dropped without being served, and NIO traps on its unfinished writer ("Deinited NIOAsyncWriter
    /// without calling finish()", swift-nio#2637).
    func serving<Result: Sendable>(port ports: AsyncStream<Int>, _ body: (Int) async throws -> Result) async throws -> Result {
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await self.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw CancellationError() }
            do {
                let result = try await body(port)
                await triggerGracefulShutdown()
                try await tasks.waitForAll()
                return result
            } catch {
                await triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }
}
