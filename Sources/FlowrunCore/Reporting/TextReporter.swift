import Synchronization

/// Shows a run as text: tasks' live output in the chosen mode, optional
/// timestamped event lines (`-v`), and the report when the run finishes.
///
/// Invariant: every write is whole lines in one `TextSink.write` call, made
/// under this reporter's lock, so lines from concurrent tasks never tear.
public final class TextReporter: RunEventSink {
    private struct State {
        var startedAt = WallTime(seconds: 0, nanoseconds: 0)
        /// Each task's output so far in grouped mode: its lines as bytes, each
        /// ending in a newline (stderr's after "! "), copied as read, no String per line.
        var grouped: [TaskID: [UInt8]] = [:]
        /// Instances of dynamic matrices, named when their stage starts.
        var instanceNames: [TaskID: String] = [:]
        /// `[stage/task] ` and `[stage/task:err] ` per task, colored when asked: made
        /// at a task's first output, so that 100,000 quiet tasks cost none.
        var prefixes: [TaskID: (stdout: [UInt8], stderr: [UInt8])] = [:]
        var plainReport: String?
    }

    private let plan: Plan
    private let mode: OutputMode
    private let output: any TextSink
    private let log: (any TextSink)?
    private let reportSink: (any TextSink)?
    private let coloredPrefixes: Bool
    private let style: RunReport.Style
    private let github: GitHubAnnotator?
    private let state = Mutex(State())

    /// - Parameters:
    ///   - output: where live output goes (stdout with `--format text`, stderr with `--format json`).
    ///   - report: where the text report goes at the end; nil prints none (`--format json`).
    ///   - verbose: where timestamped event lines go (stderr with `-v`); nil for none.
    ///   - style: colors and timeline of the final report.
    ///   - github: GitHub Actions' conventions: masks first, grouped blocks in
    ///     `::group::` … `::endgroup::`, an annotation after a failed task's block.
    ///     Written here, under the reporter's lock, so that another task's block
    ///     cannot come between a task's group and its annotation.
    ///   - coloredPrefixes: color each task's `[stage/task]` prefix, one stable color per task
    ///     (when `output` is a terminal that takes colors).
    public init(
        plan: Plan, mode: OutputMode = .prefixed, output: any TextSink,
        report: (any TextSink)?, verbose: (any TextSink)? = nil, style: RunReport.Style = RunReport.Style(),
        coloredPrefixes: Bool = false, github: GitHubAnnotator? = nil
    ) {
        self.style = style
        self.github = github
        self.plan = plan
        self.mode = mode
        self.output = output
        self.reportSink = report
        self.log = verbose
        self.coloredPrefixes = coloredPrefixes
    }

    public func receive(_ event: RunEvent) {
        state.withLock { state in
            switch event {
            case .runStarted(let name, let runID, let startedAt):
                state.startedAt = startedAt
                if let masks = github?.masks(), !masks.isEmpty { output.write(masks) }
                note(state, .zero, "workflow \(name) started (run \(runID))")
            case .stageStarted(_, let name, let at):
                note(state, at, "[\(name)] stage started")
            case .matrixExpanded(let id, let instances):
                _ = id
                for instance in instances { state.instanceNames[instance.id] = instance.qualifiedName }
            case .taskStarted(let id, let attempt, let at):
                note(state, at, "[\(name(state, id))] started" + (attempt > 1 ? " (attempt \(attempt))" : ""))
            case .output(let id, let stream, let lines):
                show(&state, id, stream, lines)
            case .attemptFailed(let id, let attempt, let taskState, let willRetry, let at):
                note(state, at, "[\(name(state, id))] attempt \(attempt) \(RunReport.describe(taskState))"
                     + (willRetry ? ", retrying" : ""))
            case .taskFinished(let result):
                var block: [UInt8] = []
                if mode == .grouped, var body = state.grouped.removeValue(forKey: result.id) {
                    if body.isEmpty { body = [0x0A] }
                    if github != nil {
                        let title = "\(result.qualifiedName) (\(RunReport.describe(result.state)), \(DurationFormat.human(result.duration)))"
                        block = Array(GitHubCommands.group(title).utf8) + body + Array(GitHubCommands.endGroup.utf8)
                    } else {
                        block = Array("== \(result.qualifiedName): \(RunReport.describe(result.state)) ==\n".utf8) + body
                    }
                }
                if let annotation = github?.annotation(result) { block += Array(annotation.utf8) }
                if !block.isEmpty { output.write(bytes: block) }
                if result.attempts > 0 {
                    note(state, result.finished ?? .zero, "[\(result.qualifiedName)] \(RunReport.describe(result.state))"
                         + " in \(DurationFormat.human(result.duration))")
                }
            case .stageFinished(let stage):
                if !stage.skipped {
                    note(state, stage.finished ?? .zero, "[\(stage.name)] stage finished in \(DurationFormat.human(stage.duration))")
                }
            case .runFinished(let run):
                note(state, run.wallTime, "workflow \(run.workflowName) finished in \(DurationFormat.human(run.wallTime))")
                guard let reportSink else { break }
                guard run.tasks.count < Self.streamedReportTasks else {
                    // Streamed, not kept: the state folder renders its copy again.
                    var stream = TextSinkStream(reportSink)
                    RunReport.write(run, style: style, to: &stream)
                    stream.finish()
                    break
                }
                let text = RunReport.render(run, style: style)
                reportSink.write(text)
                if style == RunReport.Style() { state.plainReport = text }
            }
        }
    }

    /// From this many tasks on, the report is written in chunks as it is made and not
    /// kept: at 100,000 tasks the whole 4.3 MB String was the run's heap peak's last
    /// 4.3 MB (heaptrack), and rendering it again for the state folder costs ~0.06 s.
    static let streamedReportTasks = 20_000

    /// The text report written at the run's end when it is the plain one (no
    /// colors, timeline or resources): the one the state folder keeps, so that
    /// it is rendered once. Nil otherwise, and for a run of `streamedReportTasks` or more.
    public var plainReport: String? { state.withLock { $0.plainReport } }

    /// Logs a TERM or KILL flowrun sent to a task's process group (`-v`).
    public func signalSent(_ note: ProcessGroup.SignalNote) {
        guard let log else { return }
        let name = note.signal == 9 ? "SIGKILL" : note.signal == 15 ? "SIGTERM" : "signal \(note.signal)"
        state.withLock { _ in
            log.write("[\(DurationFormat.clock(WallTime.now()))] [\(note.task)] sent \(name) to process group \(note.group)\n")
        }
    }

    private func name(_ id: TaskID) -> String { plannedTask(id)?.qualifiedName ?? id.description }

    /// The plan's task with `id`; nil for an instance of a dynamic matrix (made when its stage starts).
    private func plannedTask(_ id: TaskID) -> PlannedTask? {
        guard plan.stages.indices.contains(id.stage) else { return nil }
        let tasks = plan.stages[id.stage].tasks
        if tasks.indices.contains(id.task), tasks[id.task].id == id { return tasks[id.task] }
        return tasks.first { $0.id == id }
    }

    /// A plan task's colored prefixes (one stable color per task), made once.
    private func prefixes(_ state: inout State, _ id: TaskID) -> (stdout: [UInt8], stderr: [UInt8])? {
        if let known = state.prefixes[id] { return known }
        guard let name = plannedTask(id)?.qualifiedName else { return nil }
        let color = TerminalColor.ofTask(name)
        let made = (Array((TerminalColor.paint("[\(name)]", color, coloredPrefixes) + " ").utf8),
                    Array((TerminalColor.paint("[\(name):err]", color, coloredPrefixes) + " ").utf8))
        state.prefixes[id] = made
        return made
    }

    private func name(_ state: State, _ id: TaskID) -> String { state.instanceNames[id] ?? name(id) }

    private func show(_ state: inout State, _ id: TaskID, _ stream: OutputStreamKind, _ lines: OutputLines) {
        switch mode {
        case .quiet:
            return
        case .prefixed:
            // Bytes as read, prefixed: no String per line on the busiest path.
            let prefix = switch stream {
            case .stdout: prefixes(&state, id)?.stdout ?? Array("[\(name(state, id))] ".utf8)
            case .stderr: prefixes(&state, id)?.stderr ?? Array("[\(name(state, id)):err] ".utf8)
            case .executor: Array("[\(name(state, id)):executor] ".utf8)
            }
            output.write(bytes: lines.prefixed(by: prefix))
        case .grouped:
            let mark: [UInt8] = switch stream {
            case .stdout: []
            case .stderr: Array("! ".utf8)
            case .executor: Array("~ ".utf8)
            }
            state.grouped[id, default: []].append(contentsOf: lines.prefixed(by: mark))
        }
    }

    /// Made only with `-v`: without it, 100,000 tasks' start and end lines cost nothing.
    private func note(_ state: State, _ offset: Duration, _ message: @autoclosure () -> String) {
        guard let log else { return }
        log.write("[\(DurationFormat.clock(state.startedAt.adding(offset)))] \(message())\n")
    }
}
