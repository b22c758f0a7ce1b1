import NIOCore

/// A task executor that runs jobs on one NIO event loop: a call's tasks run on the thread that reads and
/// writes its socket, so a turn's steps (frame read, LLM response, frames written) never hop between the
/// event loops and the cooperative pool. Work given to it must not block: the loop also answers pings.
public final class EventLoopTaskExecutor: TaskExecutor {
    public let eventLoop: any EventLoop

    public init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
