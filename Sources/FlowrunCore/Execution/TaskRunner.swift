/// Runs one attempt of a `run` task somewhere: a process group on this
/// machine (`LocalTaskRunner`), a batch job on a cluster. The executor's only
/// way to run a command; it knows nothing of processes.
///
/// Contract: `run` returns when the attempt is over and nothing it started
/// is left (or what escaped is reported); it never throws — a command that
/// cannot start is an outcome. Cancelling the calling task ends the attempt
/// (ask, then force after `attempt.killGrace`) and `run` still returns the
/// outcome. `onLines` gets batches of masked lines, in order per stream, and
/// is never called after `run` has returned.
public protocol TaskRunner: Sendable {
    func run(
        _ attempt: TaskAttempt,
        onLines: @escaping @Sendable (OutputStreamKind, OutputLines) -> Void
    ) async -> ProcessOutcome
}

/// One attempt of a `run` task, its run-time templates filled: what a `TaskRunner` starts.
public struct TaskAttempt: Sendable {
    public var id: TaskID
    public var workflowName: String
    public var stageName: String
    public var taskName: String
    /// The run's marker (`Executor.runID`).
    public var runID: String
    /// 1 for the first attempt, 2 for the first retry, ...
    public var number: Int
    /// The shell's program and arguments; the command is passed after them.
    public var shell: [String]
    public var command: String
    /// The task's own variables, in order, on top of the runner's environment.
    public var environment: [(name: String, value: String)]
    public var workingDirectory: String
    /// Time between asking the command to stop and forcing it.
    public var killGrace: Duration
    /// Whether the result needs the captured stdout / stderr text.
    public var keepsStdout: Bool
    public var keepsStderr: Bool
    /// Values to mask as `***` in every line handed out and in the captured text.
    public var mask: SecretMask
    /// True when the workflow chose the shell: no direct exec (see `DirectExec`).
    public var shellIsExplicit = false
    /// The command gets flowrun's terminal (stdin, stdout, stderr, foreground
    /// process group) instead of pipes; nothing of its output is captured.
    public var interactive = false

    public init(
        id: TaskID, workflowName: String, stageName: String, taskName: String, runID: String, number: Int = 1,
        shell: [String], command: String, environment: [(name: String, value: String)] = [],
        workingDirectory: String = ".", killGrace: Duration = Plan.defaultKillGrace,
        keepsStdout: Bool = true, keepsStderr: Bool = false, mask: SecretMask = SecretMask([])
    ) {
        self.id = id
        self.workflowName = workflowName
        self.stageName = stageName
        self.taskName = taskName
        self.runID = runID
        self.number = number
        self.shell = shell
        self.command = command
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.killGrace = killGrace
        self.keepsStdout = keepsStdout
        self.keepsStderr = keepsStderr
        self.mask = mask
    }
}
