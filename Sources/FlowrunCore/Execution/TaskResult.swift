/// How a task ended.
public enum TaskState: Sendable, Hashable {
    case succeeded
    /// The process exited with a non-zero status.
    case failed(exitCode: Int32)
    /// The process was killed by a signal it did not get from flowrun's ending of the task.
    case killed(signal: Int32)
    /// The process could not be started (missing shell, missing working directory, ...).
    /// Indirect, as the rare case with a String: a state is then 9 bytes, not 17, in every result.
    indirect case failedToStart(reason: String)
    case timedOut
    /// Ended early by fail-fast or by an interrupt.
    case cancelled
    /// Never started (see `TaskResult.reason` for why).
    case skipped
    /// The command succeeded but its outputs are wrong: a declared one not
    /// written, or a `FLOWRUN_OUTPUT` file that cannot be read.
    indirect case outputsInvalid(DiagnosticMessage)
    /// Not run: its fingerprint matched a stored success, whose result and outputs were used.
    case upToDate

    /// The state's name in the contract: succeeded, failed, timed-out, cancelled, skipped.
    public var name: String {
        switch self {
        case .succeeded: "succeeded"
        case .failed, .killed, .failedToStart, .outputsInvalid: "failed"
        case .timedOut: "timed-out"
        case .cancelled: "cancelled"
        case .skipped: "skipped"
        case .upToDate: "up-to-date"
        }
    }

    /// True for the states that make a task (and, without continue-on-error, its stage) fail.
    public var isFailure: Bool {
        switch self {
        case .failed, .killed, .failedToStart, .outputsInvalid, .timedOut: true
        case .succeeded, .cancelled, .skipped, .upToDate: false
        }
    }
}

/// Why a task was skipped or not run.
public enum TaskReason: String, Sendable, Hashable {
    /// Skipped: its `if:`, or its stage's, was false.
    case condition
    /// Skipped: the run had targets, and none of them needs this task.
    case notSelected = "not selected"
    /// Up to date: sources, command and environment unchanged since its last success.
    case unchanged
    /// Up to date: it succeeded in the last run with the same fingerprint (`--resume`).
    case resumed
}

/// One attempt of a task: when it ran and how it ended (offsets from the run's start).
public struct AttemptSpan: Sendable, Hashable {
    /// 1 for the first attempt.
    public var attempt: Int
    public var started: Duration
    public var finished: Duration
    public var state: TaskState
    /// What the attempt's processes cost; nil when not measured (a sleep, a process that never started).
    public var resources: ResourceUsage?

    public init(attempt: Int, started: Duration, finished: Duration, state: TaskState, resources: ResourceUsage? = nil) {
        self.attempt = attempt
        self.started = started
        self.finished = finished
        self.state = state
        self.resources = resources
    }
}

/// The outcome of one task: data, never a thrown error.
///
/// A run holds one per task (100,000 for a big stage), so what most tasks
/// leave empty lives out of line (`TaskResult+Storage`): stderr lines, steps,
/// outputs, placement, and the attempt spans unless they are the one attempt
/// the result's own times and state describe.
public struct TaskResult: Sendable {
    public var id: TaskID
    public var continueOnError: Bool
    /// Why a `skipped` or `up-to-date` task did not run; nil otherwise (and for a skip after a failed stage).
    public var reason: TaskReason?
    /// Which of `startedTime`, `finishedTime` and `queuedTime` are set (`TimeField`).
    var setTimes: UInt8 = 0
    /// True when the attempt spans are the single one `(1, started, finished, state)`, stored nowhere.
    var spanIsImplied = false
    public var stageName: String
    public var name: String
    var storedState: TaskState
    /// Attempts made (0 when skipped).
    public var attempts: Int
    /// In nanoseconds (`TaskResult+Storage`): 8 bytes each instead of a `Duration`'s 16.
    var startedTime: Int64 = 0
    var finishedTime: Int64 = 0
    var queuedTime: Int64 = 0
    /// The task's result; nil when it failed, was cancelled or skipped.
    public var result: String?
    var extras = Extras.none

    public init(
        id: TaskID, stageName: String, name: String, state: TaskState, attempts: Int = 0,
        started: Duration? = nil, finished: Duration? = nil, result: String? = nil,
        stderrTail: [String] = [], continueOnError: Bool = false, escapedDescendant: Bool = false,
        attemptSpans: [AttemptSpan] = [], queued: Duration? = nil, reason: TaskReason? = nil
    ) {
        self.id = id
        self.stageName = stageName
        self.name = name
        self.storedState = state
        self.attempts = attempts
        self.result = result
        self.continueOnError = continueOnError
        self.reason = reason
        set(.started, started)
        set(.finished, finished)
        set(.queued, queued)
        self.stderrTail = stderrTail
        self.escapedDescendant = escapedDescendant
        self.attemptSpans = attemptSpans
    }

    /// Every attempt's resources together; nil when no attempt was measured.
    public var resources: ResourceUsage? {
        // The implied attempt was not measured (a sleep): no array of spans to make.
        spanIsImplied ? nil : ResourceUsage.combined(attemptSpans.map(\.resources))
    }

    /// `stage/task`.
    public var qualifiedName: String { "\(stageName)/\(name)" }

    /// Time from the first attempt's start to the last one's end (zero if never started).
    public var duration: Duration {
        guard let started, let finished else { return .zero }
        return finished - started
    }

    /// Whether the task lets its stage succeed: succeeded, or failed under continue-on-error.
    public var countsAsSuccess: Bool {
        // A task skipped for a reason (condition, not selected) was not wanted: it does not stop the run.
        state == .succeeded || state == .upToDate || (state == .skipped && reason != nil)
            || (continueOnError && state.isFailure)
    }
}

/// The timing of one stage.
public struct StageResult: Sendable, Hashable {
    public var index: Int
    public var name: String
    /// Offsets from the start of the run; nil when the stage was skipped.
    public var started: Duration?
    public var finished: Duration?
    /// The stage ran after the run was interrupted, as clean-up (`always()`, `cancelled()`).
    public var cleanup = false

    public init(index: Int, name: String, started: Duration? = nil, finished: Duration? = nil) {
        self.index = index
        self.name = name
        self.started = started
        self.finished = finished
    }

    public var skipped: Bool { started == nil }

    public var duration: Duration {
        guard let started, let finished else { return .zero }
        return finished - started
    }
}

/// Everything a run produced, in declaration order.
public struct RunResult: Sendable, Hashable {
    public var workflowName: String
    public var runID: String
    /// When the run started, for timestamps.
    public var startedAt: WallTime
    public var wallTime: Duration
    public var stages: [StageResult]
    /// Every task of the plan, stage order then task order.
    public var tasks: [TaskResult]
    /// True when the run was cancelled from outside (a signal).
    public var interrupted: Bool

    public init(
        workflowName: String, runID: String, startedAt: WallTime, wallTime: Duration,
        stages: [StageResult], tasks: [TaskResult], interrupted: Bool
    ) {
        self.workflowName = workflowName
        self.runID = runID
        self.startedAt = startedAt
        self.wallTime = wallTime
        self.stages = stages
        self.tasks = tasks
        self.interrupted = interrupted
    }

    /// `, but the clean-up stages ran: stop` after an interrupt that ran some; else empty.
    public var cleanupNote: String {
        let names = stages.filter(\.cleanup).map(\.name)
        guard !names.isEmpty else { return "" }
        return ", but the clean-up stage\(names.count == 1 ? "" : "s") ran: " + names.joined(separator: ", ")
    }

    /// The workflow's result: every task's result in declaration order.
    public var results: [String?] { tasks.map(\.result) }

    /// True when every task counts as a success.
    public var succeeded: Bool { !interrupted && tasks.allSatisfy(\.countsAsSuccess) }

    /// 0 or 1; an interrupted run's status comes from the signal (see `ExitStatus(interruptedBy:)`).
    public var exitStatus: ExitStatus { succeeded ? .success : .taskFailed }

    /// The failure that happened first (the root cause), preferring one that failed its stage.
    public var firstFailure: TaskResult? {
        let failures = tasks.filter { $0.state.isFailure }
        let blocking = failures.filter { !$0.countsAsSuccess }
        let pool = blocking.isEmpty ? failures : blocking
        return pool.min { ($0.finished ?? .zero, $0.id) < ($1.finished ?? .zero, $1.id) }
    }

    /// Sum of task durations.
    public var taskTime: Duration { tasks.reduce(.zero) { $0 + $1.duration } }

    /// Sum over stages of the longest task: the run's length with unlimited parallelism.
    public var criticalPath: Duration {
        // One pass, no copies: with 100,000 tasks a filter per stage held a second copy of the results.
        var longest: [Int: Duration] = [:]
        for task in tasks { longest[task.id.stage] = max(longest[task.id.stage] ?? .zero, task.duration) }
        return stages.reduce(.zero) { $0 + (longest[$1.index] ?? .zero) }
    }
}
