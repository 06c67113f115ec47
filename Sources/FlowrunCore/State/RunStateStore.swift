/// What flowrun keeps between runs of a workflow: the executor's only view of the state folder.
///
/// Behind a protocol so that the executor is tested with an in-memory store,
/// and so that a run without state (`plan`, an unwritable folder) is the same
/// code with nothing stored.
public protocol RunStateStore: Sendable {
    /// The last successful run of `task` (`stage/task`), if any.
    func lastSuccess(of task: String) -> TaskRecord?
    /// The tasks that succeeded in this workflow's last run, with their fingerprints.
    func lastRunSucceeded() -> [String: Fingerprint]
    /// Digests of source files, shared by every task of the run.
    var fileDigests: FileDigests { get }
    /// Records a success as soon as the task ends, so an interrupted run keeps it.
    func recordSuccess(_ record: TaskRecord)
    /// Records the finished run: its summary, its reports, and what succeeded, for `--resume` and `log`.
    func finishRun(_ summary: RunSummary, jsonReport: String, textReport: String, succeeded: [String: Fingerprint])
}

/// A store that keeps nothing: runs without a state folder.
public struct NoRunState: RunStateStore {
    public let fileDigests = FileDigests()

    public init() {}

    public func lastSuccess(of task: String) -> TaskRecord? { nil }
    public func lastRunSucceeded() -> [String: Fingerprint] { [:] }
    public func recordSuccess(_ record: TaskRecord) {}
    public func finishRun(_ summary: RunSummary, jsonReport: String, textReport: String, succeeded: [String: Fingerprint]) {}
}
