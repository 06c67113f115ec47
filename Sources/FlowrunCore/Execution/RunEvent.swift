/// What happens during a run, in the order it happens. Times are offsets from the run's start.
///
/// Ordering guarantees: a task's `output` events come after its
/// `taskStarted` and before its `taskFinished`; `runFinished` is last.
/// Output lines are batched per read, already masked.
public enum RunEvent: Sendable {
    case runStarted(workflowName: String, runID: String, startedAt: WallTime)
    case stageStarted(index: Int, name: String, at: Duration)
    /// A dynamic matrix task expanded into its instances when its stage
    /// started (before any of them starts); zero instances is possible.
    case matrixExpanded(TaskID, instances: [PlannedTask])
    case taskStarted(TaskID, attempt: Int, at: Duration)
    case output(TaskID, OutputStreamKind, OutputLines)
    case attemptFailed(TaskID, attempt: Int, state: TaskState, willRetry: Bool, at: Duration)
    case taskFinished(TaskResult)
    case stageFinished(StageResult)
    case runFinished(RunResult)
}

/// Receives run events; called from several threads, so implementations synchronize.
///
/// `receive` is called synchronously by the thread that produced the event
/// (output lines come from a pipe reader's queue), so a slow sink slows the
/// task that produced the output instead of buffering it without limit.
public protocol RunEventSink: Sendable {
    func receive(_ event: RunEvent)
}

/// A sink made of a closure.
public struct ClosureEventSink: RunEventSink {
    private let body: @Sendable (RunEvent) -> Void

    public init(_ body: @escaping @Sendable (RunEvent) -> Void) {
        self.body = body
    }

    public func receive(_ event: RunEvent) { body(event) }
}

/// Sends every event to each of several sinks, in order.
public struct FanOutEventSink: RunEventSink {
    private let sinks: [any RunEventSink]

    public init(_ sinks: [any RunEventSink]) {
        self.sinks = sinks
    }

    public func receive(_ event: RunEvent) {
        for sink in sinks { sink.receive(event) }
    }
}
