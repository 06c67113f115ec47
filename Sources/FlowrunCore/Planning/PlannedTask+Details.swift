/// The properties of a planned task that most tasks leave unset or have in
/// common with the rest of their stage, kept out of line.
///
/// Inline, these fields made a `PlannedTask` 392 bytes (38 MB at 100,000
/// tasks). Kept in one copy-on-write box, shared by every task without them
/// and, through `shareDetails(with:)`, by neighbours that have the same ones,
/// a task is a fraction of that and copies with one retain for all of them.
extension PlannedTask {
    /// The out-of-line fields, in a `SharedFields` box.
    struct Details: Sendable, Equatable {
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
        static let none = SharedFields(Details())
    }

    /// Takes `other`'s box when it holds the same values as this task's, so that the
    /// tasks of a stage (the same working directory, env and limits) share one.
    mutating func shareDetails(with other: PlannedTask) {
        if details !== other.details, details == other.details { details = other.details }
    }

    /// Variables added to the inherited environment, workflow then stage then task, later wins.
    public var environment: [EnvironmentVariable] {
        get { details.fields.environment }
        set { details.update(\.environment, newValue) }
    }

    /// Absolute path, or a path relative to the current directory for standard input.
    public var workingDirectory: PlannedText {
        get { details.fields.workingDirectory }
        set { details.update(\.workingDirectory, newValue) }
    }

    public var timeout: Duration? {
        get { details.fields.timeout }
        set { details.update(\.timeout, newValue) }
    }

    public var retries: Int {
        get { details.fields.retries }
        set { details.update(\.retries, newValue) }
    }

    public var retryDelay: Duration {
        get { details.fields.retryDelay }
        set { details.update(\.retryDelay, newValue) }
    }

    /// The `result` template; nil means the default (stdout without its trailing newline, or "" for sleep).
    public var result: PlannedText? {
        get { details.fields.result }
        set { details.update(\.result, newValue) }
    }

    /// True when the workflow chose the shell (`shell:`): the command then
    /// always runs through it, never by direct exec.
    public var shellIsExplicit: Bool {
        get { details.fields.shellIsExplicit }
        set { details.update(\.shellIsExplicit, newValue) }
    }

    /// Names the task must write to `FLOWRUN_OUTPUT`.
    public var outputs: [String] {
        get { details.fields.outputs }
        set { details.update(\.outputs, newValue) }
    }

    /// Runs with flowrun's terminal, alone in its stage.
    public var interactive: Bool {
        get { details.fields.interactive }
        set { details.update(\.interactive, newValue) }
    }

    /// A dynamic matrix: the task fans out over values known when its stage
    /// starts. Its templates still hold `matrix` holes until then.
    public var fanOut: PlannedFanOut? {
        get { details.fields.fanOut }
        set { details.update(\.fanOut, newValue) }
    }

    /// For a matrix instance: the matrix task's name, which `results` refers to.
    public var matrixTask: String? {
        get { details.fields.matrixTask }
        set { details.update(\.matrixTask, newValue) }
    }

    /// `sources` globs, relative to the working directory (see `StateTaskCache`).
    public var sources: [String] {
        get { details.fields.sources }
        set { details.update(\.sources, newValue) }
    }

    /// `generates` globs, relative to the working directory.
    public var generates: [String] {
        get { details.fields.generates }
        set { details.update(\.generates, newValue) }
    }

    /// What the task asks of the machine (`resources:` over `defaults.resources`).
    public var resources: TaskResources {
        get { details.fields.resources }
        set { details.update(\.resources, newValue) }
    }

    /// `executor: local` on the task or its stage; nil follows the plan's executor.
    public var executor: ExecutorSettings.Kind? {
        get { details.fields.executor }
        set { details.update(\.executor, newValue) }
    }

    /// `if:` with plan-time values filled in; nil runs the task whenever its stage runs.
    public var condition: Condition? {
        get { details.fields.condition }
        set { details.update(\.condition, newValue) }
    }

    /// `if:` as written (`Condition.text` of the unresolved tree), for `list` and `plan`.
    public var conditionText: String? {
        get { details.fields.conditionText }
        set { details.update(\.conditionText, newValue) }
    }
}
