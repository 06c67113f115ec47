/// How one step of a task's attempt ended, and when (offsets from the run's start).
public struct StepResult: Sendable, Hashable {
    public var name: String
    public var state: TaskState
    /// Nil when the step was skipped.
    public var started: Duration?
    public var finished: Duration?
    /// The step failed but `continue-on-error` let the task go on.
    public var continueOnError: Bool
    /// Why a skipped step did not run: `.condition` when its `if` was false; nil after an earlier failure.
    public var reason: TaskReason?
    /// What the step's process cost (`wait4`'s rusage); nil for a skipped or
    /// sleeping step, or a runner that cannot measure.
    public var resources: ResourceUsage?

    public init(
        name: String, state: TaskState, started: Duration? = nil, finished: Duration? = nil, continueOnError: Bool = false,
        resources: ResourceUsage? = nil
    ) {
        self.name = name
        self.state = state
        self.started = started
        self.finished = finished
        self.continueOnError = continueOnError
        self.resources = resources
    }

    public var duration: Duration {
        guard let started, let finished else { return .zero }
        return finished - started
    }
}
