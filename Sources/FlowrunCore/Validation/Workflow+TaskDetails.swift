/// The properties of a task that most tasks leave unset, kept out of line.
///
/// A task is copied into arrays, stages and plans and there are up to
/// hundreds of thousands of them: inline, these fields made a
/// `Workflow.Task` 384 bytes (19 MB at 50,000 tasks). Kept in one
/// copy-on-write box that every task without them shares, a task is about
/// a third of that and copies with one retain for all of them.
extension Workflow.Task {
    /// The out-of-line fields; copied before a change when shared.
    final class Details: @unchecked Sendable {
        // @unchecked: changed only through `Workflow.Task.change`, which copies a shared box first.
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
        static let none = Details()

        func copy() -> Details {
            let copy = Details()
            copy.result = result
            copy.outputs = outputs
            copy.interactive = interactive
            copy.matrix = matrix
            copy.nameTemplate = nameTemplate
            copy.matrixValues = matrixValues
            copy.matrixTask = matrixTask
            copy.sources = sources
            copy.generates = generates
            copy.resources = resources
            copy.executor = executor
            copy.condition = condition
            copy.workingDirectory = workingDirectory
            copy.retryDelay = retryDelay
            return copy
        }
    }

    private mutating func change(_ update: (Details) -> Void) {
        if !isKnownUniquelyReferenced(&details) { details = details.copy() }
        update(details)
    }

    public var result: Template? {
        get { details.result }
        set { change { $0.result = newValue } }
    }

    /// Names the task may write to `FLOWRUN_OUTPUT`, in declaration order.
    public var outputs: [String] {
        get { details.outputs }
        set { change { $0.outputs = newValue } }
    }

    /// Runs with flowrun's terminal, alone in its stage.
    public var interactive: Bool {
        get { details.interactive }
        set { change { $0.interactive = newValue } }
    }

    /// The task's `matrix:`; nil for a plain task and for an expanded instance.
    public var matrix: Workflow.Matrix? {
        get { details.matrix }
        set { change { $0.matrix = newValue } }
    }

    /// `name` when it uses `${{ matrix.KEY }}`: names each instance.
    public var nameTemplate: Template? {
        get { details.nameTemplate }
        set { change { $0.nameTemplate = newValue } }
    }

    /// For an instance of a static matrix: its values, in axis order.
    public var matrixValues: [Workflow.MatrixValue] {
        get { details.matrixValues }
        set { change { $0.matrixValues = newValue } }
    }

    /// For an instance of a static matrix: the name of the task it was expanded from.
    public var matrixTask: String? {
        get { details.matrixTask }
        set { change { $0.matrixTask = newValue } }
    }

    /// `sources` globs, as written.
    public var sources: [String] {
        get { details.sources }
        set { change { $0.sources = newValue } }
    }

    /// `generates` globs, as written.
    public var generates: [String] {
        get { details.generates }
        set { change { $0.generates = newValue } }
    }

    /// `resources:` over `defaults.resources`.
    public var resources: TaskResources {
        get { details.resources }
        set {
            // `defaults.resources` is set on every task: unchanged, it needs no box of its own.
            guard newValue != details.resources else { return }
            change { $0.resources = newValue }
        }
    }

    /// `executor: local` on the task (or its stage).
    public var executor: ExecutorSettings.Kind? {
        get { details.executor }
        set { change { $0.executor = newValue } }
    }

    /// `working-directory:` (or the one in `defaults`); nil is the workflow's folder.
    public var workingDirectory: Template? {
        get { details.workingDirectory }
        set { change { $0.workingDirectory = newValue } }
    }

    /// `retry-delay:`; zero retries at once.
    public var retryDelay: Duration {
        get { details.retryDelay }
        set { change { $0.retryDelay = newValue } }
    }

    /// `if:`; nil runs the task whenever its stage runs.
    public var condition: Condition? {
        get { details.condition }
        set { change { $0.condition = newValue } }
    }
}
