/// Runs a plan: stage after stage, the tasks of a stage concurrently in one
/// task group, and reports what happens as `RunEvent`s. Prints nothing.
///
/// Where things are: `StageScheduler` (stages, caps, fail-fast, the sleep
/// queue), `TaskExecution` (attempts, retries, timeouts), `ResultsBoard`
/// (results and run-time templates). Commands run through a `TaskRunner`;
/// the executor knows nothing of processes.
///
/// Cancelling the task that calls `run` interrupts the run: running attempts
/// are ended (the runner asks, then forces after the plan's grace), unstarted
/// tasks are skipped, and `run` still returns (and emits) the partial result.
/// The stages whose `if` holds under `cancelled()` (`always()`, `cancelled()`)
/// then run as clean-up, until `cleanup.end()` (the second interrupt) ends them.
public struct Executor: Sendable {
    public var runner: any TaskRunner
    /// Marker exported to every task as `FLOWRUN_RUN_ID`.
    public var runID: String
    /// Time for sleeps, timeouts, retry delays and every offset in the events.
    public var clock: any ExecutionClock
    /// Fingerprints and stored successes; nil runs every task.
    public var cache: (any TaskCache)?
    /// Ends the clean-up stages of an interrupted run.
    public var cleanup: CleanupScope

    public init(
        runner: any TaskRunner, runID: String = Executor.makeRunID(), clock: any ExecutionClock = SystemClock(),
        cache: (any TaskCache)? = nil, cleanup: CleanupScope = CleanupScope()
    ) {
        self.runner = runner
        self.runID = runID
        self.clock = clock
        self.cache = cache
        self.cleanup = cleanup
    }

    /// A fresh random run id.
    public static func makeRunID() -> String {
        let value = UInt64.random(in: .min ... .max)
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Runs `plan`, sending events to `sink`, and returns the ordered results.
    public func run(_ plan: Plan, sink: any RunEventSink) async -> RunResult {
        await StageScheduler(run: RunContext(plan: plan, executor: self, sink: sink)).execute()
    }

    /// Runs `plan` and delivers its events as an (unbounded) stream that ends
    /// with `runFinished`. Cancelling the consumer's iteration does not stop
    /// the run; cancel the returned task for that.
    public func events(_ plan: Plan) -> (events: AsyncStream<RunEvent>, run: Task<RunResult, Never>) {
        let (stream, continuation) = AsyncStream.makeStream(of: RunEvent.self)
        let task = Task {
            let result = await run(plan, sink: ClosureEventSink { continuation.yield($0) })
            continuation.finish()
            return result
        }
        return (stream, task)
    }
}
