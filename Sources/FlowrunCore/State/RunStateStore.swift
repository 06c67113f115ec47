/// What flowrun keeps between runs of a workflow: the executor's only view of the state folder.
///
/// Behind a protocol so that the executor is tested with an in-memory store,
/// and so that a run without state (`plan`, an unwritable folder) is the same
/// code with nothing stored.
public protocol RunStateStore: Sendable {
    /// The last successful run of `task` (`stage/task`), if any.
    func lastSuccess(of task: String) -> TaskRecord?
    /// The tasks that succeeded (or were up to date) in this workflow's last run, by `stage/task`.
    func lastRun() -> [String: LastRunTask]
    /// Digests of source files, shared by every task of the run.
    var fileDigests: FileDigests { get }
    /// Records a success as soon as the task ends, so an interrupted run keeps it.
    func recordSuccess(_ record: TaskRecord)
    /// Records the finished run: its summary, its reports, and what succeeded, for `--resume` and `log`.
    func finishRun(_ summary: RunSummary, reports: KeptReports, tasks: SucceededTasks)
}

extension RunStateStore {
    /// Records the finished run with reports already rendered.
    public func finishRun(_ summary: RunSummary, jsonReport: String, textReport: String, tasks: [String: LastRunTask]) {
        finishRun(summary, reports: KeptReports(json: jsonReport, text: textReport), tasks: SucceededTasks(tasks))
    }

    /// Records the finished run, its successes given by name.
    public func finishRun(_ summary: RunSummary, reports: KeptReports, tasks: [String: LastRunTask]) {
        finishRun(summary, reports: reports, tasks: SucceededTasks(tasks))
    }
}

/// A finished run's JSON and text reports as `runs/` keeps them: each is
/// written straight into its file, never built as one String first.
public struct KeptReports {
    public var json: (inout AtomicFileWriter) -> Void
    public var text: (inout AtomicFileWriter) -> Void

    public init(json: @escaping (inout AtomicFileWriter) -> Void, text: @escaping (inout AtomicFileWriter) -> Void) {
        self.json = json
        self.text = text
    }

    public init(json: String, text: String) {
        self.init(json: { $0.write(json) }, text: { $0.write(text) })
    }
}

/// A task that succeeded in a run: what `--resume` needs to reuse it.
public struct LastRunTask: Sendable, Hashable {
    public var fingerprint: Fingerprint
    public var result: String?
    public var outputs: [String: String]

    public init(fingerprint: Fingerprint, result: String?, outputs: [String: String] = [:]) {
        self.fingerprint = fingerprint
        self.result = result
        self.outputs = outputs
    }
}

/// A store that keeps nothing: runs without a state folder.
public struct NoRunState: RunStateStore {
    public let fileDigests = FileDigests()

    public init() {}

    public func lastSuccess(of task: String) -> TaskRecord? { nil }
    public func lastRun() -> [String: LastRunTask] { [:] }
    public func recordSuccess(_ record: TaskRecord) {}
    public func finishRun(_ summary: RunSummary, reports: KeptReports, tasks: SucceededTasks) {}
}
