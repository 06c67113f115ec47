import Synchronization

/// The `TaskCache` of a run with a state folder: fingerprints with source
/// files, `sources`/`generates` up-to-date checks, `--force` and `--resume`.
///
/// A task is up to date (reason `unchanged`) when it declares `sources` or
/// `generates`, its fingerprint equals that of its last success, and every
/// `generates` glob matches something. With `--resume`, a task that succeeded
/// in the last run with the same fingerprint is up to date too (`resumed`).
/// A task without `sources` or `generates` and without `--resume` always runs,
/// as in go-task and make.
public final class StateTaskCache: TaskCache {
    /// `--force` and `--resume`.
    public struct Options: Sendable {
        public var force: Bool
        public var resume: Bool

        public init(force: Bool = false, resume: Bool = false) {
            self.force = force
            self.resume = resume
        }
    }

    private let store: any RunStateStore
    private let options: Options
    private let runID: String
    private let succeeded: Mutex<SucceededTasks>
    private let lastRun: Mutex<[String: LastRunTask]?> = Mutex(nil)
    private let timing = Mutex<(elapsed: Duration, files: Int)>((.zero, 0))

    /// - Parameter expectedTasks: how many tasks the run has: the list of
    ///   successes is made that big at once, not regrown.
    public init(store: any RunStateStore, runID: String, options: Options = Options(), expectedTasks: Int = 0) {
        self.store = store
        self.runID = runID
        self.options = options
        succeeded = Mutex(SucceededTasks(expected: expectedTasks))
    }

    public func check(_ task: PlannedTask, inputs: FingerprintInput) -> TaskCacheDecision {
        let started = ContinuousClock.now
        defer {
            let elapsed = ContinuousClock.now - started
            timing.withLock { $0.elapsed += elapsed }
        }
        var inputs = inputs
        var readable = true
        if !task.sources.isEmpty {
            let matches = GlobExpander().expand(task.sources.map(GlobPattern.init), in: inputs.workingDirectory, filesOnly: true)
            timing.withLock { $0.files += matches.count }
            for match in matches {
                let path = match.path.hasPrefix("/") ? match.path : inputs.workingDirectory + "/" + match.path
                guard let digest = store.fileDigests.digest(of: path, status: match.status) else {
                    readable = false
                    continue
                }
                inputs.sources.append(.init(path: match.path, digest: digest))
            }
        }
        let fingerprint = Fingerprint(inputs)
        // An unreadable source makes the fingerprint unknown: run, and record nothing.
        guard !options.force, readable else { return TaskCacheDecision(fingerprint: fingerprint) }
        let generated = task.generates.allSatisfy {
            !GlobExpander().expand([GlobPattern($0)], in: inputs.workingDirectory, filesOnly: false).isEmpty
        }
        guard generated else { return TaskCacheDecision(fingerprint: fingerprint) }
        var reuse: TaskCacheDecision.Reuse?
        if !task.sources.isEmpty || !task.generates.isEmpty,
           let record = store.lastSuccess(of: task.qualifiedName), record.fingerprint == fingerprint {
            reuse = .init(reason: .unchanged, result: record.result, outputs: record.outputs)
        } else if options.resume, let last = lastRunTasks()[task.qualifiedName], last.fingerprint == fingerprint {
            reuse = .init(reason: .resumed, result: last.result, outputs: last.outputs)
        }
        if let reuse {
            succeeded.withLock { $0.record(.init(name: task.qualifiedName, fingerprint: fingerprint, outputs: reuse.outputs)) }
        }
        return TaskCacheDecision(fingerprint: fingerprint, reuse: reuse)
    }

    /// No sources to hash and nothing to reuse (no `generates`, no `--resume`, or `--force`):
    /// 100,000 such tasks kept 4 MB of fingerprints while they ran, and a failed one needs none.
    public func checksAtSuccess(_ task: PlannedTask) -> Bool {
        task.sources.isEmpty && task.generates.isEmpty && (options.force || !options.resume)
    }

    /// The fingerprint goes straight into the list of successes, unconfirmed: no table of
    /// fingerprints beside it while the tasks run.
    public func prepareSuccess(_ task: PlannedTask, inputs: FingerprintInput) -> Int? {
        let started = ContinuousClock.now
        let fingerprint = Fingerprint(inputs)
        let token = succeeded.withLock { $0.reserve(.init(name: task.qualifiedName, fingerprint: fingerprint)) }
        let elapsed = ContinuousClock.now - started
        timing.withLock { $0.elapsed += elapsed }
        return token
    }

    public func recordSuccess(token: Int, task: PlannedTask, result: String?, outputs: [TaskOutput]) {
        let values = Dictionary(outputs.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last })
        succeeded.withLock { $0.confirm(token, outputs: values) }
    }

    public func recordSuccess(_ task: PlannedTask, fingerprint: Fingerprint, result: String?, outputs: [TaskOutput]) {
        // Masked already (as the reports show them): no secret value reaches the state.
        let values = Dictionary(outputs.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last })
        succeeded.withLock { $0.record(.init(name: task.qualifiedName, fingerprint: fingerprint, outputs: values)) }
        guard !task.sources.isEmpty || !task.generates.isEmpty else { return }
        store.recordSuccess(TaskRecord(
            task: task.qualifiedName, fingerprint: fingerprint, runID: runID, finishedAt: WallTime.now().seconds,
            result: result, outputs: values))
    }

    /// Every task that succeeded or was up to date so far: what the next `--resume` reuses.
    public var succeededTasks: SucceededTasks { succeeded.withLock { $0 } }

    /// Time spent fingerprinting (listing and hashing files included), and source files seen.
    public var fingerprinting: (elapsed: Duration, files: Int) { timing.withLock { $0 } }

    private func lastRunTasks() -> [String: LastRunTask] {
        if let known = lastRun.withLock({ $0 }) { return known }
        let tasks = store.lastRun()
        lastRun.withLock { $0 = tasks }
        return tasks
    }
}
