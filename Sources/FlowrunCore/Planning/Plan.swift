/// The execution plan: what runs, in which order, under which limits. Pure data.
///
/// Invariants: stages are in file order, tasks in declaration order; every
/// template has been resolved except references to task results and a task's
/// own output, which only exist at run time.
public struct Plan: Sendable {
    public var workflowName: String
    public var description: String?
    /// The workflow file as named on the command line (`-` for standard input).
    public var sourcePath: String
    public var stages: [PlannedStage]
    /// Grace period between SIGTERM and SIGKILL when a task is ended.
    public var killGrace: Duration
    /// Values that must never appear in output; each is replaced by `***`.
    public var secretValues: [String]
    /// What the state folder says of tasks that would not run (up to date, or
    /// resumed); set for `plan` and `--dry-run` by `StatePreview` only.
    public var stateMarks: [TaskID: TaskReason] = [:]
    /// Where `run` tasks go (`executor:`, `--executor`, `FLOWRUN_EXECUTOR`); local by default.
    public var executor = ExecutorSettings()

    public init(
        workflowName: String, description: String? = nil, sourcePath: String,
        stages: [PlannedStage], killGrace: Duration = Plan.defaultKillGrace, secretValues: [String] = []
    ) {
        self.workflowName = workflowName
        self.description = description
        self.sourcePath = sourcePath
        self.stages = stages
        self.killGrace = killGrace
        self.secretValues = secretValues
    }

    /// The grace when neither the command line nor a caller sets one: the one place it is written.
    public static let defaultKillGrace: Duration = .seconds(5)

    /// Number of tasks over all stages.
    public var taskCount: Int { stages.reduce(0) { $0 + $1.tasks.count } }
}

/// A stage of the plan: tasks that run concurrently, at most `maxParallel` at once.
public struct PlannedStage: Sendable {
    public var index: Int
    public var name: String
    public var description: String?
    /// Effective cap: the smallest of the stage's, the workflow's and `--jobs`; nil means no cap.
    public var maxParallel: Int?
    public var failFast: Bool
    public var tasks: [PlannedTask]
    /// `if:` with plan-time values filled in; nil is `success()`.
    public var condition: Condition?
    /// `if:` as written (`Condition.text` of the unresolved tree), for `list` and `plan`.
    public var conditionText: String?
    /// For a stage of an included file: which file, and the includes that led there.
    public var origin: Origin?

    /// The file a stage was written in, when another file included it.
    public struct Origin: Sendable, Hashable {
        /// The included file, as read (relative to the loaded file's folder as the user named it).
        public var file: String
        /// The `include:` values that led there, outermost first.
        public var includedAt: [SourceLocation]

        public init(file: String, includedAt: [SourceLocation]) {
            self.file = file
            self.includedAt = includedAt
        }
    }

    public init(
        index: Int, name: String, description: String? = nil, maxParallel: Int? = nil,
        failFast: Bool = true, tasks: [PlannedTask]
    ) {
        self.index = index
        self.name = name
        self.description = description
        self.maxParallel = maxParallel
        self.failFast = failFast
        self.tasks = tasks
    }
}

/// Identifies a task by its position: stage index, then task index in the stage.
///
/// Held as three 32-bit numbers (12 bytes, not 25): every planned task, result
/// and event carries one.
public struct TaskID: Sendable, Hashable, Comparable, CustomStringConvertible {
    private var stageIndex: Int32
    private var taskIndex: Int32
    /// -1 for none.
    private var instanceIndex: Int32

    public var stage: Int {
        get { Int(stageIndex) }
        set { stageIndex = Int32(newValue) }
    }

    public var task: Int {
        get { Int(taskIndex) }
        set { taskIndex = Int32(newValue) }
    }

    /// For an instance of a dynamic matrix, made when its stage starts: its
    /// position among the instances of the task at `task`.
    public var instance: Int? {
        get { instanceIndex < 0 ? nil : Int(instanceIndex) }
        set { instanceIndex = newValue.map { Int32($0) } ?? -1 }
    }

    public init(stage: Int, task: Int, instance: Int? = nil) {
        stageIndex = Int32(stage)
        taskIndex = Int32(task)
        instanceIndex = instance.map { Int32($0) } ?? -1
    }

    public static func < (lhs: TaskID, rhs: TaskID) -> Bool {
        (lhs.stage, lhs.task, lhs.instance ?? -1) < (rhs.stage, rhs.task, rhs.instance ?? -1)
    }

    public var description: String { instance.map { "\(stage).\(task).\($0)" } ?? "\(stage).\(task)" }
}

/// A task of the plan, with every limit and default already applied.
public struct PlannedTask: Sendable {
    /// What the task does.
    public enum Action: Sendable {
        /// Run `shell + [command]` as a child process.
        case run(command: PlannedText, shell: [String])
        /// Wait without a process.
        case sleep(Duration)
        /// Steps one after another; the first failing one fails the attempt.
        case steps([PlannedStep])
    }

    /// One variable a task's environment adds.
    public struct EnvironmentVariable: Sendable, Hashable {
        public var name: String
        public var value: PlannedText

        public init(name: String, value: PlannedText) {
            self.name = name
            self.value = value
        }
    }

    public var id: TaskID
    public var stageName: String
    public var name: String
    public var action: Action
    public var continueOnError: Bool
    /// False when the run has targets and none of them needs this task: it is skipped (not selected).
    public var selected = true
    /// Where the task is declared in the workflow file, for annotations that point at it.
    public var location: SourceLocation? = nil
    /// The fields most tasks leave unset or share with their stage (`PlannedTask+Details`).
    var details = Details.none

    public init(
        id: TaskID, stageName: String, name: String, action: Action,
        environment: [EnvironmentVariable] = [],
        workingDirectory: PlannedText = PlannedText(literal: "."),
        timeout: Duration? = nil, retries: Int = 0, retryDelay: Duration = .zero,
        continueOnError: Bool = false, result: PlannedText? = nil, sources: [String] = [], generates: [String] = []
    ) {
        self.id = id
        self.stageName = stageName
        self.name = name
        self.action = action
        self.continueOnError = continueOnError
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.timeout = timeout
        self.retries = retries
        self.retryDelay = retryDelay
        self.result = result
        self.sources = sources
        self.generates = generates
    }

    /// `stage/task`, the name used in output prefixes and reports.
    public var qualifiedName: String { "\(stageName)/\(name)" }

    /// For an instance of a static matrix, the matrix task it came from (a
    /// target of its own); nil for other tasks and for a dynamic matrix task,
    /// which keeps its own name until its stage starts.
    public var instanceOf: String? { matrixTask.flatMap { $0 == name ? nil : $0 } }

    /// True when the task runs on this machine whatever the plan's executor:
    /// `sleep` (no process) and `interactive` tasks, and `executor: local`.
    public var staysLocal: Bool {
        if case .sleep = action { return true }
        return executor == .local
    }
}

/// Text whose remaining holes are filled at run time.
///
/// Inside `run`, `quotesValues` is true: every substituted value (those the
/// planner already filled in, and those filled at run time) becomes exactly one
/// shell word, so no value can inject shell syntax.
public struct PlannedText: Sendable, Hashable {
    /// A piece of text, or a hole for a value known only at run time.
    public enum Part: Sendable, Hashable {
        case text(String)
        case taskResult(stage: String, task: String)
        /// Every instance's result of a matrix task, one per line.
        case taskResults(stage: String, task: String)
        case taskOutput(stage: String, task: String, name: String)
        case ownOutput(Reference.OwnOutput)
        /// `matrix.KEY` of a dynamic matrix, filled when the instances are made.
        case matrix(String)
    }

    public var parts: [Part]
    public var quotesValues: Bool

    public init(parts: [Part], quotesValues: Bool = false) {
        self.parts = parts
        self.quotesValues = quotesValues
    }

    public init(literal: String) {
        self.parts = literal.isEmpty ? [] : [.text(literal)]
        self.quotesValues = false
    }

    /// True when the text needs no run-time value.
    public var isResolved: Bool {
        parts.allSatisfy { if case .text = $0 { true } else { false } }
    }

    /// Fills the holes; `value` returns the raw value of a hole, which is
    /// shell-quoted here when `quotesValues` is set.
    public func render(_ value: (Part) -> String) -> String {
        var out = ""
        for part in parts {
            switch part {
            case .text(let s): out += s
            case .taskResult, .taskResults, .taskOutput, .ownOutput, .matrix:
                let raw = value(part)
                out += quotesValues ? ShellQuote.word(raw) : raw
            }
        }
        return out
    }
}
