/// One `flowrun run`: the plan, where each output goes (`RunRouting`), and
/// everything that lives as long as the run — the signal trap, the child
/// subreaper, the status line's ticker and the report files.
public struct RunSession: Sendable {
    public let plan: Plan
    public let settings: RunSettings
    public let routing: RunRouting
    public var runner: any TaskRunner
    /// The run's id: in the reports, the state's run history and `FLOWRUN_RUN_ID`,
    /// and in the names of the Slurm jobs the runner made for this run.
    public let runID: String
    private let stdout: FileDescriptorSink
    private let stderr: FileDescriptorSink

    /// - Parameters:
    ///   - stdoutTraits, stderrTraits: what the two streams are (the CLI asks the system).
    ///   - runner: where tasks run.
    ///   - runID: the id `runner` was set up with (its Slurm jobs carry it).
    public init(
        plan: Plan, settings: RunSettings, stdoutTraits: TerminalTraits, stderrTraits: TerminalTraits,
        runner: any TaskRunner = LocalTaskRunner(), runID: String = Executor.makeRunID(),
        stdout: FileDescriptorSink = .standardOutput, stderr: FileDescriptorSink = .standardError
    ) {
        self.plan = plan
        self.settings = settings
        self.routing = RunRouting(settings: settings, stdout: stdoutTraits, stderr: stderrTraits)
        self.runner = runner
        self.runID = runID
        self.stdout = stdout
        self.stderr = stderr
    }

    /// Runs the plan to its end (or until a signal or a closed stdout ends
    /// it), writes the reports, and returns the exit status.
    public func run() async -> ExitStatus {
        let plan = self.plan
        HeapRelease.afterLoading()
        ProcessHygiene.raiseOpenFileLimit()
        ProcessHygiene.resetInheritedSignalDispositions()
        ProcessHygiene.widenOutputPipes([stdout.descriptor, stderr.descriptor])
        let control = RunControl()
        // A closed stdout (e.g. `| head -1`) ends the run like an interrupt, quietly.
        let watchedOut = BrokenPipeWatcher(stdout) { control.cancel() }
        let progress = routing.progressWidth.map { width in
            ProgressLine(plan: plan, terminal: stderr, width: width, colored: routing.progressColored)
        }
        // Everything that may reach the terminal passes the status line.
        func sink(_ stream: RunRouting.Stream) -> any TextSink {
            let plain: any TextSink = stream == .stdout ? watchedOut : stderr
            return progress?.guarding(plain) ?? plain
        }
        let reporter = TextReporter(
            plan: plan, mode: settings.output, output: sink(routing.liveOutput),
            report: routing.textReport.map(sink), verbose: routing.verboseLog.map(sink),
            style: RunReport.Style(
                colored: routing.reportColored, timelineWidth: routing.timelineWidth, resources: settings.resources),
            coloredPrefixes: routing.liveOutput == .stdout ? routing.reportColored : routing.progressColored,
            github: settings.githubActions.map { GitHubAnnotator(plan: plan, workspace: $0.workspace) })
        if routing.verboseLog != nil {
            ProcessGroupRegistry.shared.observeSignals { reporter.signalSent($0) }
        }
        let outputLog = routing.keepsTaskOutput ? TaskOutputLog() : nil
        // The status line goes first so it is erased before the report is written.
        let sinks: [(any RunEventSink)?] = [progress, outputLog, reporter]
        let ticker = progress.map { progress in
            Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(100))
                    progress.tick()
                }
            }
        }
        // Installed before the run starts, so no signal can fall between the two.
        let notices = sink(.stderr)
        let registry = ProcessGroupRegistry.shared
        let grace = plan.killGrace
        let cleanup = CleanupScope()
        let trap = InterruptTrap(registry: registry, onInterrupt: { _ in
            // Counted before the cancel: the groups it ends are still registered.
            let running = registry.liveCount
            control.cancel()
            progress?.stopping()
            // Said at once, so that users do not press again in the silence (issue 9.8).
            notices.write(Self.stoppingNotice(tasks: running, grace: grace))
        }, onRepeat: { _ in cleanup.end() })
        // Linux: orphans of tasks (setsid, double fork) are re-parented to flowrun, not init,
        // so they are ended at their task's end, and whatever is left at the run's end.
        let subreaper = ChildSubreaper.enable()
        let warnings = sink(.stderr)
        let warn: @Sendable (DiagnosticMessage) -> Void = { warnings.write(DiagnosticRenderer().commandLine(.warning, $0)) }
        // Without a SHA-256 there are no fingerprints: the run goes on as without a state folder.
        let state = settings.state.flatMap { state -> StateSession? in
            if let missing = SHA256Stream.unavailable {
                warn(.stateNeedsDigest(reason: missing))
                return nil
            }
            return StateSession(state, plan: plan, runID: runID, warn: warn)
        }
        let executor = Executor(runner: runner, runID: runID, cache: state?.cache, cleanup: cleanup)
        let cleanupNotices = CleanupNotices(output: notices) { trap.receivedSignal != nil }
        let sink = FanOutEventSink(sinks.compactMap { $0 } + [cleanupNotices])
        let result = await control.run { await executor.run(plan, sink: sink) }
        ticker?.cancel()
        await subreaper?.endAll()
        let status = trap.exitStatus ?? result.exitStatus
        // Rendered once for stdout and report files (a report can hold megabytes of results);
        // the state folder's copy is streamed into its file, or copied from that one.
        let wantsJSON = routing.jsonDocument != nil || settings.reportFiles.contains { $0.kind == .json }
        let jsonReport = wantsJSON ? JSONReport.render(plan: plan, run: result, exitStatus: status) : ""
        let keptJSON: (inout AtomicFileWriter) -> Void = { file in
            if wantsJSON { file.write(jsonReport) } else { JSONReport.write(plan: plan, run: result, exitStatus: status, to: &file) }
        }
        if let note = state?.finish(result, jsonReport: keptJSON, textReport: reporter.plainReport, status: status) { stderr.write(DiagnosticRenderer().commandLine(.note, note)) }
        if routing.jsonDocument != nil {
            stdout.write(jsonReport)
        }
        writeReportFiles(result, status: status, jsonReport: jsonReport, outputs: outputLog)
        withExtendedLifetime(trap) {}
        return status
    }

    /// What flowrun says on the first signal.
    static func stoppingNotice(tasks: Int, grace: Duration) -> String {
        "flowrun: stopping: SIGTERM sent to \(tasks) task\(tasks == 1 ? "" : "s"); they get \(DurationArgument.text(grace)); "
            + "interrupt again to kill them now\n"
    }

    /// A report file that could not be written, said through the one renderer; the run's status stands.
    private func report(_ message: DiagnosticMessage) {
        stderr.write(DiagnosticRenderer().commandLine(.error, message))
    }

    private func writeReportFiles(_ result: RunResult, status: ExitStatus, jsonReport: String, outputs: TaskOutputLog?) {
        let mask = SecretMask(plan.secretValues)
        for file in settings.reportFiles {
            let text = switch file.kind {
            case .json: jsonReport
            case .junit: JUnitReport.render(result, outputs: outputs, mask: mask)
            case .trace: TraceReport.render(result, mask: mask)
            case .html: HTMLReport.render(result, exitStatus: status, outputs: outputs, mask: mask, source: plan.sourcePath)
            case .summary: MarkdownSummary.render(result, exitStatus: status, mask: mask)
            }
            if let problem = ReportFile.write(text, to: file.path) {
                report(.reportFileUnwritable(kind: file.kind, path: file.path, reason: problem))
            }
        }
        // GitHub shows every step's summary file on the run's page; it is appended to, never replaced.
        if let path = settings.githubActions?.stepSummary {
            if let problem = ReportFile.append(MarkdownSummary.render(result, exitStatus: status, mask: mask) + "\n", to: path) {
                report(.jobSummaryUnwritable(path: path, reason: problem))
            }
        }
    }
}
