/// The properties of a task that most tasks leave unset, kept out of line.
///
/// A task is copied into arrays, stages and plans and there are up to
/// hundreds of thousands of them: inline, these fields made a
/// `Workflow.Task` 384 bytes (19 MB at 50,000 tasks). Kept in one
/// copy-on-write box that every task without them shares, a task is about
/// a third of that and copies with one retain for all of them.
extension Workflow.Task {
    /// The out-of-line fields, in a `SharedFields` box.
    struct Details: Sendable {
        var result: Template?
        var outputs: [String] = []
        var interactive = false
        var matrix: Workflow.Matrix?
        var nameTemplate: Template?
        var matrixValues: [Workflow.MatrixValue] = []
        var matrixTask: String?
        var sources: [String] = []
        var generates: [String] = []
        var resources = TaskResources()
        var executor: ExecutorSettings.Kind?
        var condition: Condition?
        var workingDirectory: Template?
        var retryDelay = Duration.zero

        /// The box of a task that sets none of them.
        static let none = SharedFields(Details())
    }

    public var result: Template? {
        get { details.fields.result }
        set { details.set(\.result, newValue) }
    }

    /// Names the task may write to `FLOWRUN_OUTPUT`, in declaration order.
    public var outputs: [String] {
        get { details.fields.outputs }
        set { details.set(\.outputs, newValue) }
    }

    /// Runs with flowrun's terminal, alone in its stage.
    public var interactive: Bool {
        get { details.fields.interactive }
        set { details.set(\.interactive, newValue) }
    }

    /// The task's `matrix:`; nil for a plain task and for an expanded instance.
    public var matrix: Workflow.Matrix? {
        get { details.fields.matrix }
        set { details.set(\.matrix, newValue) }
    }

    /// `name` when it uses `${{ matrix.KEY }}`: names each instance.
    public var nameTemplate: Template? {
        get { details.fields.nameTemplate }
        set { details.set(\.nameTemplate, newValue) }
    }

    /// For an instance of a static matrix: its values, in axis order.
    public var matrixValues: [Workflow.MatrixValue] {
        get { details.fields.matrixValues }
        set { details.set(\.matrixValues, newValue) }
    }

    /// For an instance of a static matrix: the name of the task it was expanded from.
    public var matrixTask: String? {
        get { details.fields.matrixTask }
        set { details.set(\.matrixTask, newValue) }
    }

    /// `sources` globs, as written.
    public var sources: [String] {
        get { details.fields.sources }
        set { details.set(\.sources, newValue) }
    }

    /// `generates` globs, as written.
    public var generates: [String] {
        get { details.fields.generates }
        set { details.set(\.generates, newValue) }
    }

    /// `resources:` over `defaults.resources`.
    public var resources: TaskResources {
        get { details.fields.resources }
        // `defaults.resources` is set on every task: unchanged, it needs no box of its own.
        set { details.update(\.resources, newValue) }
    }

    /// `executor: local` on the task (or its stage).
    public var executor: ExecutorSettings.Kind? {
        get { details.fields.executor }
        set { details.set(\.executor, newValue) }
    }

    /// `working-directory:` (or the one in `defaults`); nil is the workflow's folder.
    public var workingDirectory: Template? {
        get { details.fields.workingDirectory }
        set { details.set(\.workingDirectory, newValue) }
    }

    /// `retry-delay:`; zero retries at once.
    public var retryDelay: Duration {
        get { details.fields.retryDelay }
        set { details.set(\.retryDelay, newValue) }
    }

    /// `if:`; nil runs the task whenever its stage runs.
    public var condition: Condition? {
        get { details.fields.condition }
        set { details.set(\.condition, newValue) }
    }
}
