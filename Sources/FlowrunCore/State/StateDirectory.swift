import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The state folder (`.flowrun/` beside the workflow): a `RunStateStore` in plain files.
///
/// Layout (see `StateLayout`): `.gitignore`, `lock`, `files.tsv`,
/// `workflows/NAME.json`, `tasks/NAME/STAGE/TASK.json`, `runs/RUNID.json`,
/// `runs/RUNID.txt` and `runs/RUNID.tasks.json`. Every problem is a warning, never a failed run: a
/// file that cannot be parsed is moved aside as `NAME.corrupt-TIMESTAMP`; a
/// folder that cannot be written turns the store into one that keeps nothing.
public final class StateDirectory: RunStateStore {
    /// How the folder is used.
    public struct Options: Sendable {
        /// False for `plan` and `--dry-run`: nothing is created, moved or written, and no lock is taken.
        public var writable: Bool
        /// Runs kept per workflow; older ones are pruned.
        public var keptRuns: Int
        /// Most bytes the kept runs' files of one workflow may take; the oldest
        /// go first, and the newest run is always kept. A 100,000-task run
        /// writes about 60 MB of reports, so 100 of them would be 6 GB.
        public var keptRunBytes: Int
        /// How long to wait for the lock before saying so.
        public var lockPatience: Duration
        public var onWarning: @Sendable (DiagnosticMessage) -> Void

        public init(
            writable: Bool = true, keptRuns: Int = 100, keptRunBytes: Int = 256 << 20, lockPatience: Duration = .seconds(1),
            onWarning: @escaping @Sendable (DiagnosticMessage) -> Void = { _ in }
        ) {
            self.writable = writable
            self.keptRuns = keptRuns
            self.keptRunBytes = keptRunBytes
            self.lockPatience = lockPatience
            self.onWarning = onWarning
        }
    }

    public let layout: StateLayout
    public let workflow: String
    public let source: String
    public let fileDigests: FileDigests
    private let options: Options
    private let lock: StateLock?
    /// Read on first use: only `--resume` needs it.
    private let lastRunTasks = Mutex<[String: LastRunTask]?>(nil)
    /// The last run's id when the folder was opened.
    /// False once a write failed: the run goes on without state.
    private let canWrite: Mutex<Bool>
    private let tasks = Mutex<[String: TaskRecord?]>([:])

    /// Opens the folder at `path` for the workflow named `workflow` read from `source`.
    public init(path: String, workflow: String, source: String, options: Options = Options()) {
        let layout = StateLayout(root: path)
        self.layout = layout
        self.workflow = workflow
        self.source = source
        self.options = options
        var lock: StateLock?
        var writable = false
        if options.writable {
            if let problem = StateDirectory.makeFolders(upTo: layout.lock, below: nil) {
                options.onWarning(.stateFolderUnwritable(path: path, reason: problem))
            } else if let opened = StateLock(path: layout.lock) {
                // Everything else, even the probe, under the lock: the holder
                // removes temporary files, which must all be its own.
                let problem = opened.withLock(
                    patience: options.lockPatience, onWait: { options.onWarning(.stateLockWaiting(path: layout.lock)) }
                ) { StateDirectory.prepare(layout) }
                if let problem {
                    options.onWarning(.stateFolderUnwritable(path: path, reason: problem))
                } else {
                    lock = opened
                    writable = true
                }
            } else {
                options.onWarning(.stateFolderUnwritable(path: path, reason: AtomicFile.errorText()))
            }
        }
        self.lock = lock
        canWrite = Mutex(writable)
        let reader = StateFileReader(quarantine: writable, onWarning: options.onWarning)
        var digests: [String: FileDigests.Entry] = [:]
        let load = {
            if writable { StateDirectory.removeTemporaryFiles(layout, workflow: workflow) }
            digests = reader.digests(layout.files) ?? [:]
        }
        if let lock {
            lock.withLock(patience: options.lockPatience, onWait: { options.onWarning(.stateLockWaiting(path: layout.lock)) }, load)
        } else if options.writable {
            // An unwritable folder: run uncached, as if it were empty.
        } else {
            load()
        }
        fileDigests = FileDigests(stored: digests)
    }

    public func lastSuccess(of task: String) -> TaskRecord? {
        if let known = tasks.withLock({ $0[task] }) { return known }
        if options.writable && lock == nil { return nil }
        let reader = StateFileReader(quarantine: lock != nil, onWarning: options.onWarning)
        let path = layout.task(workflow: workflow, task: task)
        let record = locked { reader.task(path) }
        let found = record.flatMap { $0.task == task ? $0 : nil }
        tasks.withLock { $0[task] = .some(found) }
        return found
    }

    public func lastRun() -> [String: LastRunTask] {
        if let known = lastRunTasks.withLock({ $0 }) { return known }
        var tasks: [String: LastRunTask] = [:]
        if !(options.writable && lock == nil) {
            let reader = StateFileReader(quarantine: lock != nil, onWarning: options.onWarning)
            tasks = locked {
                // Which run was last is read here, at the first need (`--resume`), not when the
                // folder is opened: the workflow's record of 100 runs was parsed by every run.
                guard let lastRunID = reader.workflow(layout.workflow(workflow))?.runs.last?.runID else { return [:] }
                let path = layout.runReport(lastRunID, ext: "tasks.json")
                let reportPath = layout.runReport(lastRunID, ext: "json")
                // The report has no `format` field of its own: it is checked by its shape.
                guard let json = reader.json(path), let bytes = reader.bytes(reportPath) else { return [:] }
                guard let report = StateJSON(bytes: bytes), let results = LastRunFile.results(report: report) else {
                    return reader.corrupt(reportPath) ?? [:]
                }
                return LastRunFile.tasks(json, results: results) ?? reader.corrupt(path) ?? [:]
            }
        }
        lastRunTasks.withLock { $0 = tasks }
        return tasks
    }

    public func recordSuccess(_ record: TaskRecord) {
        tasks.withLock { $0[record.task] = .some(record) }
        let path = layout.task(workflow: workflow, task: record.task)
        write {
            if let problem = StateDirectory.makeFolders(upTo: path, below: layout.root) { return problem }
            return AtomicFile.write(Array(record.json().utf8), to: path, mode: 0o600)
        }
    }

    public func finishRun(_ summary: RunSummary, reports: KeptReports, tasks: SucceededTasks) {
        write {
            let reader = StateFileReader(quarantine: true, onWarning: options.onWarning)
            var record = reader.workflow(layout.workflow(workflow)) ?? WorkflowRecord(workflow: workflow, source: source)
            record.source = source
            record.runs.removeAll { $0.runID == summary.runID }
            record.runs.append(summary)
            for folder in [layout.runs, layout.workflows] {
                if let problem = StateDirectory.makeFolders(upTo: folder + "/x", below: layout.root) { return problem }
            }
            // Streamed into their files, then counted: the reports of a 100,000-task run are 60 MB.
            // The three and the workflow's record are committed together (one journal commit, not six).
            var json = AtomicFileWriter(path: layout.runReport(summary.runID, ext: "json"), mode: 0o600)
            reports.json(&json)
            var text = AtomicFileWriter(path: layout.runReport(summary.runID, ext: "txt"), mode: 0o600)
            reports.text(&text)
            var lastRun = AtomicFileWriter(path: layout.runReport(summary.runID, ext: "tasks.json"), mode: 0o600)
            LastRunFile.write(tasks, to: &lastRun)
            var pruned = record.runs.count > options.keptRuns ? Array(record.runs.prefix(record.runs.count - options.keptRuns)) : []
            record.runs.removeFirst(pruned.count)
            // Then by size, oldest first: the new run's bytes, and the older ones' as their
            // summaries recorded them (measured on disk for a record from before that).
            let newBytes = json.byteCount + text.byteCount + lastRun.byteCount
            if let newest = record.runs.indices.last, record.runs[newest].runID == summary.runID {
                record.runs[newest].bytes = newBytes
            }
            var sizes = record.runs.dropLast().map { run in
                run.bytes ?? StateLayout.runReportExtensions.reduce(0) {
                    $0 + Int(FileStatus.of(layout.runReport(run.runID, ext: $1))?.size ?? 0)
                }
            }
            var total = sizes.reduce(newBytes, +)
            while total > options.keptRunBytes, !sizes.isEmpty {
                total -= sizes.removeFirst()
                pruned.append(record.runs.removeFirst())
            }
            var recordFile = AtomicFileWriter(path: layout.workflow(workflow))
            recordFile.write(record.json())
            var files = [json, text, lastRun, recordFile]
            if let problem = AtomicFileWriter.commit(&files) { return problem }
            for run in pruned {
                for ext in StateLayout.runReportExtensions { unlink(layout.runReport(run.runID, ext: ext)) }
            }
            // Nothing new was hashed: the stored digests stand as they are.
            guard self.fileDigests.statistics.filesHashed > 0 else { return nil }
            // Another process may have stored digests meanwhile: theirs and ours, ours winning.
            let merged = (reader.digests(layout.files) ?? [:]).merging(self.fileDigests.entries) { _, ours in ours }
            return AtomicFile.write(StateFileReader.digestsText(merged), to: layout.files)
        }
    }

    /// Runs `body` under the lock when there is one.
    private func locked<T>(_ body: () -> T) -> T {
        guard let lock else { return body() }
        return lock.withLock(patience: options.lockPatience, onWait: { options.onWarning(.stateLockWaiting(path: layout.lock)) }, body)
    }

    /// Runs a write under the lock; its first failure is a warning and ends writing for this run.
    private func write(_ body: () -> String?) {
        guard canWrite.withLock({ $0 }) else { return }
        guard let problem = locked(body) else { return }
        let first = canWrite.withLock { writable -> Bool in
            defer { writable = false }
            return writable
        }
        if first { options.onWarning(.stateFolderUnwritable(path: layout.root, reason: problem)) }
    }

    /// Creates the `.gitignore`, and proves the folder writable; returns the problem, or nil. Call holding the lock.
    static func prepare(_ layout: StateLayout) -> String? {
        if FileStatus.of(layout.gitignore) == nil {
            if let problem = AtomicFile.write(Array("*\n".utf8), to: layout.gitignore) { return problem }
        } else {
            // The folder exists: a probe tells a read-only one (or a full disk) before the run relies on it.
            let probe = layout.root + "/probe.tmp-\(getpid())"
            let fd = open(probe, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
            guard fd >= 0 else { return AtomicFile.errorText() }
            close(fd)
            unlink(probe)
        }
        return nil
    }

    /// `mkdir -p` of the folder holding `path`; returns the problem, or nil.
    static func makeFolders(upTo path: String, below root: String?) -> String? {
        guard let slash = path.lastIndex(of: "/") else { return nil }
        let folder = String(path[..<slash])
        if folder.isEmpty || FileStatus.of(folder)?.kind == .directory { return nil }
        if let problem = makeFolders(upTo: folder, below: root) { return problem }
        if mkdir(folder, 0o755) != 0, errno != EEXIST { return AtomicFile.errorText() }
        return nil
    }

    /// Removes what writers killed mid-write left: any `*.tmp-PID` (only lock holders write them).
    static func removeTemporaryFiles(_ layout: StateLayout, workflow: String) {
        var folders = [layout.root, layout.workflows, layout.runs]
        var pending = [layout.tasks(workflow: workflow)]
        while let folder = pending.popLast() {
            folders.append(folder)
            for entry in DirectoryListing.entries(folder) where entry.isDirectory == true {
                pending.append(folder + "/" + entry.name)
            }
        }
        for folder in folders {
            for entry in DirectoryListing.entries(folder) where isTemporary(entry.name) {
                unlink(folder + "/" + entry.name)
            }
        }
    }

    /// True for a name holding `.tmp-`, as `AtomicFile`'s temporary files do (`ByteScan`).
    static func isTemporary(_ name: String) -> Bool { ByteScan.holds(name, ".tmp-") }
}
