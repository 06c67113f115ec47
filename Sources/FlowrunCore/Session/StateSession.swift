/// The state folder's part in one run: opens the store, hands the executor
/// its cache, and at the end stores the run for `--resume` and `flowrun log`.
struct StateSession: Sendable {
    let store: StateDirectory
    let cache: StateTaskCache

    init(_ settings: StateSettings, plan: Plan, runID: String, warn: @escaping @Sendable (DiagnosticMessage) -> Void) {
        AtomicFile.pauseBeforeRename = settings.writePause
        store = StateDirectory(
            path: settings.directory, workflow: plan.workflowName, source: settings.source,
            options: .init(writable: true, onWarning: warn))
        cache = StateTaskCache(
            store: store, runID: runID, options: .init(force: settings.force, resume: settings.resume),
            expectedTasks: plan.taskCount)
    }

    /// Stores the finished run; returns the fingerprinting note (`fingerprintingNote`), or nil.
    /// `jsonReport` writes the run's JSON report (`JSONReport.write`, or one already rendered).
    /// `textReport` is the plain text report when it was rendered already.
    func finish(
        _ result: RunResult, jsonReport: @escaping (inout AtomicFileWriter) -> Void, textReport: String?, status: ExitStatus
    ) -> DiagnosticMessage? {
        var counts: [String: Int] = [:]
        for task in result.tasks { counts[task.state.name, default: 0] += 1 }
        let state = result.interrupted ? "interrupted" : result.succeeded ? "succeeded" : "failed"
        let summary = RunSummary(
            runID: result.runID, startedAt: result.startedAt, duration: result.wallTime, status: state,
            exitCode: Int(status.rawValue), counts: counts)
        store.finishRun(
            summary, reports: KeptReports(json: jsonReport, text: { file in
                if let textReport { file.write(textReport) } else { RunReport.write(result, to: &file) }
            }),
            tasks: cache.succeededTasks)
        let (elapsed, files) = cache.fingerprinting
        let statistics = store.fileDigests.statistics
        return Self.fingerprintingNote(elapsed: elapsed, files: files, hashed: statistics.filesHashed, bytes: statistics.bytesHashed)
    }

    /// The note on a slow fingerprinting, or nil: only past 100 ms, and only
    /// when source files were listed, the part a user can change (`sources:`
    /// globs). Without files the time is flowrun's own per-task digest
    /// (~1 µs a task: 100,000 tasks pass 100 ms), which nobody can act on.
    static func fingerprintingNote(elapsed: Duration, files: Int, hashed: Int, bytes: Int64) -> DiagnosticMessage? {
        guard elapsed > .milliseconds(100), files > 0 else { return nil }
        return .fingerprintingTook(
            milliseconds: Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000),
            files: files, hashed: hashed, bytes: bytes)
    }
}
