/// The three time budgets of a streaming request (never one deadline for the whole answer).
public struct StreamTimeouts: Sendable, Hashable {
    /// From sending the request to the response headers.
    public var connect: Duration
    /// From sending the request to the first streamed bytes.
    public var firstChunk: Duration
    /// The longest gap between two streamed chunks.
    public var idle: Duration

    public init(connect: Duration = .seconds(5), firstChunk: Duration = .seconds(5), idle: Duration = .seconds(20)) {
        self.connect = connect
        self.firstChunk = firstChunk
        self.idle = idle
    }
}
