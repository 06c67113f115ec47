/// The properties of a planned task that most tasks leave unset or have in
/// common with the rest of their stage, kept out of line.
///
/// Inline, these fields made a `PlannedTask` 392 bytes (38 MB at 100,000
/// tasks). Kept in one copy-on-write box, shared by every task without them
/// and, through `sharingDetails(of:)`, by neighbours that have the same ones,
/// a task is a fraction of that and copies with one retain for all of them.
extension PlannedTask {
    /// The out-of-line fields; copied before a change when shared.
    final class Details: @unchecked Sendable, Equatable {
        // @unchecked: changed only through `PlannedTask.change`, which copies a shared box first.
        var environment: [EnvironmentVariable] = []
        var workingDirectory = PlannedText(literal: ".")
        var timeout: Duration?
        var retries = 0
        var retryDelay: Duration = .zero
        var result: PlannedText?
        var shellIsExplicit = false
        var outputs: [String] = []
        var interactive = false
        var fanOut: PlannedFanOut?
        var matrixTask: String?
        var sources: [String] = []
        var generates: [String] = []
        var resources = TaskResources()
        var executor: ExecutorSettings.Kind?
        var condition: Condition?
        var conditionText: String?

        /// The box of a task that sets none of them.
        static let none = Details()

        func copy() -> Details {
            let copy = Details()
            copy.environment = environment
            copy.workingDirectory = workingDirectory
            copy.timeout = timeout
            copy.retries = retries
            copy.retryDelay = retryDelay
            copy.result = result
            copy.shellIsExplicit = shellIsExplicit
            copy.outputs = outputs
            copy.interactive = interactive
            copy.fanOut = fanOut
            copy.matrixTask = matrixTask
            copy.sources = sources
            copy.generates = generates
            copy.resources = resources
            copy.executor = executor
            copy.condition = condition
            copy.conditionText = conditionText
            return copy
        }

        static func == (a: Details, b: Details) -> Bool {
            a === b || (a.environment == b.environment && a.workingDirectory == b.workingDirectory
                && a.timeout == b.timeout && a.retries == b.retries && a.retryDelay == b.retryDelay
                && a.result == b.result && a.shellIsExplicit == b.shellIsExplicit && a.outputs == b.outputs
                && a.interactive == b.interactive && a.fanOut == b.fanOut && a.matrixTask == b.matrixTask
                && a.sources == b.sources && a.generates == b.generates && a.resources == b.resources
                && a.executor == b.executor && a.condition == b.condition && a.conditionText == b.conditionText)
        }
    }

    /// Changes the box, copying it first when another task shares it. A setter given the value
    /// already held changes nothing, so that setting a default copies no box.
    private mutating func change(_ update: (Details) -> Void) {
        if !isKnownUniquelyReferenced(&details) { details = details.copy() }
        update(details)
    }

    /// Takes `other`'s box when it holds the same values as this task's, so that the
    /// tasks of a stage (the same working directory, env and limits) share one.
    mutating func shareDetails(with other: PlannedTask) {
        if details !== other.details, details == other.details { details = other.details }
    }

    /// Variables added to the inherited environment, workflow then stage then task, later wins.
    public var environment: [EnvironmentVariable] {
        get { details.environment }
        set {
            guard newValue != details.environment else { return }
            change { $0.environment = newValue }
        }
    }

    /// Absolute path, or a path relative to the current directory for standard input.
    public var workingDirectory: PlannedText {
        get { details.workingDirectory }
        set {
            guard newValue != details.workingDirectory else { return }
            change { $0.workingDirectory = newValue }
        }
    }

    public var timeout: Duration? {
        get { details.timeout }
        set {
            guard newValue != details.timeout else { return }
            change { $0.timeout = newValue }
        }
    }

    public var retries: Int {
        get { details.retries }
        set {
            guard newValue != details.retries else { return }
            change { $0.retries = newValue }
        }
    }

    public var retryDelay: Duration {
        get { details.retryDelay }
        set {
            guard newValue != details.retryDelay else { return }
            change { $0.retryDelay = newValue }
        }
    }

    /// The `result` template; nil means the default (stdout without its trailing newline, or "" for sleep).
    public var result: PlannedText? {
        get { details.result }
        set {
            guard newValue != details.result else { return }
            change { $0.result = newValue }
        }
    }

    /// True when the workflow chose the shell (`shell:`): the command then
    /// always runs through it, never by direct exec.
    public var shellIsExplicit: Bool {
        get { details.shellIsExplicit }
        set {
            guard newValue != details.shellIsExplicit else { return }
            change { $0.shellIsExplicit = newValue }
        }
    }

    /// Names the task must write to `FLOWRUN_OUTPUT`.
    public var outputs: [String] {
        get { details.outputs }
        set {
            guard newValue != details.outputs else { return }
            change { $0.outputs = newValue }
        }
    }

    /// Runs with flowrun's terminal, alone in its stage.
    public var interactive: Bool {
        get { details.interactive }
        set {
            guard newValue != details.interactive else { return }
            change { $0.interactive = newValue }
        }
    }

    /// A dynamic matrix: the task fans out over values known when its stage
    /// starts. Its templates still hold `matrix` holes until then.
    public var fanOut: PlannedFanOut? {
        get { details.fanOut }
        set {
            guard newValue != details.fanOut else { return }
            change { $0.fanOut = newValue }
        }
    }

    /// For a matrix instance: the matrix task's name, which `results` refers to.
    public var matrixTask: String? {
        get { details.matrixTask }
        set {
            guard newValue != details.matrixTask else { return }
            change { $0.matrixTask = newValue }
        }
    }

    /// `sources` globs, relative to the working directory (see `StateTaskCache`).
    public var sources: [String] {
        get { details.sources }
        set {
            guard newValue != details.sources else { return }
            change { $0.sources = newValue }
        }
    }

    /// `generates` globs, relative to the working directory.
    public var generates: [String] {
        get { details.generates }
        set {
            guard newValue != details.generates else { return }
            change { $0.generates = newValue }
        }
    }

    /// What the task asks of the machine (`resources:` over `defaults.resources`).
    public var resources: TaskResources {
        get { details.resources }
        set {
            guard newValue != details.resources else { return }
            change { $0.resources = newValue }
        }
    }

    /// `executor: local` on the task or its stage; nil follows the plan's executor.
    public var executor: ExecutorSettings.Kind? {
        get { details.executor }
        set {
            guard newValue != details.executor else { return }
            change { $0.executor = newValue }
        }
    }

    /// `if:` with plan-time values filled in; nil runs the task whenever its stage runs.
    public var condition: Condition? {
        get { details.condition }
        set {
            guard newValue != details.condition else { return }
            change { $0.condition = newValue }
        }
    }

    /// `if:` as written (`Condition.text` of the unresolved tree), for `list` and `plan`.
    public var conditionText: String? {
        get { details.conditionText }
        set {
            guard newValue != details.conditionText else { return }
            change { $0.conditionText = newValue }
        }
    }
}
