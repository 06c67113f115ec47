/// The text report printed after a run (also after a failure or an interrupt).
///
/// Layout: per stage its wall time and each task's state, duration, attempts
/// and first line of result; totals; the first failure with its stderr tail;
/// then the ordered result list as the seed prints it (`result: ('a', 'b')`);
/// then, if asked, a `Timeline` of the tasks.
public enum RunReport {
    /// Longest result excerpt shown per task.
    static let resultWidth = 60

    /// How the report is dressed: colors, and whether to end with a timeline.
    public struct Style: Sendable, Hashable {
        /// Color task states and the first failure (ANSI).
        public var colored: Bool
        /// Draw a timeline this many columns wide after the result list; nil for none.
        public var timelineWidth: Int?
        /// Show each task's CPU and peak RSS (`--resources`), and the run's totals.
        public var resources: Bool

        public init(colored: Bool = false, timelineWidth: Int? = nil, resources: Bool = false) {
            self.colored = colored
            self.timelineWidth = timelineWidth
            self.resources = resources
        }
    }

    public static func render(_ run: RunResult, style: Style = Style()) -> String {
        var out = ""
        // Room for the task lines at once: grown by doubling, a 100,000-task report (4 MB)
        // held its old and new buffers together, 7.9 MB at the run's heap peak (heaptrack).
        let widths = widths(run)
        out.reserveCapacity(run.tasks.count * (widths.name + widths.state + 28) + 4096)
        write(run, style: style, widths: widths, to: &out)
        return out
    }

    /// The name and state columns' widths.
    private static func widths(_ run: RunResult) -> (name: Int, state: Int) {
        (min(30, run.tasks.lazy.map { $0.name.count }.max() ?? 0), min(28, run.tasks.lazy.map { describe($0).count }.max() ?? 0))
    }

    /// The same report written piece by piece (a 100,000-task report is 4 MB).
    public static func write<Out: TextOutputStream>(_ run: RunResult, style: Style = Style(), to out: inout Out) {
        write(run, style: style, widths: widths(run), to: &out)
    }

    private static func write<Out: TextOutputStream>(
        _ run: RunResult, style: Style, widths: (name: Int, state: Int), to out: inout Out
    ) {
        let colored = style.colored
        let (nameWidth, stateWidth) = widths
        // Each task's line is made in one reused byte buffer, without an intermediate String
        // per piece: String appends and padding one Character at a time were most of the
        // 0.14 s a 100,000-task report took (perf).
        var line = LineBuffer()
        let byStage = run.stageOrdered
        for stage in run.stages {
            let head = stage.skipped ? "skipped" : DurationFormat.human(stage.duration)
            out.write("stage \(stage.name): \(head)\n")
            for position in run.taskPositions(ofStage: stage.index, stageOrdered: byStage) {
                let task = run.tasks[position]
                let state = describe(task)
                line.clear()
                line += "  "
                line.pad(task.name, nameWidth)
                line += "  "
                line += TerminalColor.paint(state, TerminalColor.of(task.state), colored)
                line.spaces(stateWidth - state.count)
                if task.attempts > 0 {
                    line += "  "
                    line.pad(DurationFormat.human(task.duration), 8, left: true)
                    line += "  "
                    line += task.attempts == 1 ? "1 attempt " : "\(task.attempts) attempts"
                    if style.resources { line += "  " + ResourceFormat.column(task.resources) }
                    if let placement = task.placement { line += "  " + placementColumn(placement) }
                }
                if task.continueOnError && task.state.isFailure { line += "  (continue-on-error)" }
                if let result = task.result, !result.isEmpty { line += "  " + excerpt(result) }
                if task.escapedDescendant { line += "  [a descendant escaped its process group]" }
                if task.resultTruncated { line += "  [result cut at 1 MiB]" }
                line.trimTrailingSpaces()
                line += "\n"
                out.write(line.text)
                for step in task.steps {
                    var stepLine = "    - " + padded(step.name, max(0, nameWidth - 4)) + "  " + describe(step)
                    if step.started != nil { stepLine += "  " + DurationFormat.human(step.duration) }
                    if style.resources, step.started != nil { stepLine += "  " + ResourceFormat.column(step.resources) }
                    if step.continueOnError && step.state.isFailure { stepLine += "  (continue-on-error)" }
                    out.write(stepLine + "\n")
                }
            }
        }
        let wall = run.wallTime
        let parallelism = run.parallelism
        out.write("total: wall \(DurationFormat.human(wall)), task time \(DurationFormat.human(run.taskTime))")
        out.write(", parallelism \(fixed2(parallelism))x, critical path \(DurationFormat.human(run.criticalPath))\n")
        if style.resources {
            let total = run.totalResources
            out.write("resources: cpu \(total.map { DurationFormat.human($0.cpu) } ?? "-")"
                + ", peak rss \(total.map { ResourceFormat.bytes($0.maxRSS) } ?? "-")"
                + ", peak concurrency \(run.peakConcurrency), queued \(DurationFormat.human(run.queuedTime))\n")
        }
        if run.interrupted { out.write("interrupted: running tasks were cancelled, the rest skipped\(run.cleanupNote)\n") }
        if let failure = run.firstFailure {
            if failure.countsAsSuccess {
                // Only continue-on-error failures: they are shown, but they are not why a run failed.
                let others = run.tasks.filter { $0.state.isFailure }.count - 1
                out.write(TerminalColor.paint("tolerated failure:", TerminalColor.yellow, colored)
                    + " \(failure.qualifiedName) \(describe(failure.state)) (continue-on-error)"
                    + (others > 0 ? ", and \(others) more" : "") + "\n")
            } else {
                out.write(TerminalColor.paint("first failure:", TerminalColor.boldRed, colored)
                    + " \(failure.qualifiedName) \(describe(failure.state))\n")
            }
            for line in failure.stderrTail { out.write("  | \(DisplayText.escaped(line, limit: 400))\n") }
        }
        let results = ResultList.render(run.results)
        out.write("result: " + results.text + "\n")
        if results.cut {
            out.write("  (results shortened; full values: --format json or --report FILE.json)\n")
        }
        if let width = style.timelineWidth {
            out.write("\n" + Timeline.render(run, width: width, colored: colored))
        }
    }

    /// Where a task ran off this machine: `slurm job 812.3 on node1` (Slurm's `JOB.STEP`).
    static func placementColumn(_ placement: TaskPlacement) -> String {
        "\(placement.executor.rawValue) job \(placement.jobID)" + (placement.stepID.map { ".\($0)" } ?? "")
            + (placement.node.map { " on \($0)" } ?? "")
    }

    /// A step's state with why it did not run, if it says: `skipped (condition)`.
    public static func describe(_ step: StepResult) -> String {
        describe(step.state) + (step.reason.map { " (\($0.rawValue))" } ?? "")
    }

    /// The task's state with why it did not run, if it says: `skipped (not selected)`, `up-to-date (resumed)`.
    public static func describe(_ task: TaskResult) -> String {
        describe(task.state) + (task.reason.map { " (\($0.rawValue))" } ?? "")
    }

    /// `succeeded`, `failed (exit 2)`, `killed by signal 9 (SIGKILL)`, `timed out`, ...
    public static func describe(_ state: TaskState) -> String {
        switch state {
        case .succeeded: "succeeded"
        case .failed(let code): "failed (exit \(code))"
        case .killed(let signal): "killed by signal \(signal)" + (signalName(signal).map { " (\($0))" } ?? "")
        case .failedToStart(let reason): "failed to start: \(reason)"
        case .timedOut: "timed out"
        case .cancelled: "cancelled"
        case .skipped: "skipped"
        case .outputsInvalid(let message): message.text
        case .upToDate: "up-to-date"
        }
    }

    static func signalName(_ signal: Int32) -> String? {
        switch signal {
        case 1: "SIGHUP"
        case 2: "SIGINT"
        case 3: "SIGQUIT"
        case 4: "SIGILL"
        case 6: "SIGABRT"
        case 7: "SIGBUS"
        case 8: "SIGFPE"
        case 9: "SIGKILL"
        case 11: "SIGSEGV"
        case 13: "SIGPIPE"
        case 14: "SIGALRM"
        case 15: "SIGTERM"
        default: nil
        }
    }

    /// Python's repr of a tuple of strings (None for a missing result), as the seed logs it; unbounded.
    public static func pythonTuple(_ values: [String?]) -> String {
        let items = values.map { $0.map { pythonRepr($0) } ?? "None" }
        if items.count == 1 { return "(\(items[0]),)" }
        return "(" + items.joined(separator: ", ") + ")"
    }

    /// Python's `repr(str)`: single quotes unless the text has `'` and no `"`.
    ///
    /// Control characters (C0, DEL, C1) and bidirectional overrides are
    /// escaped as Python escapes unprintable characters, so a result cannot
    /// drive the terminal. With `cut`, `…` marks inside the quotes that the
    /// text was shortened.
    static func pythonRepr(_ text: String, cut: Bool = false) -> String {
        let quote: Unicode.Scalar = text.contains("'") && !text.contains("\"") ? "\"" : "'"
        var out = String(quote)
        out.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case quote: out += "\\" + String(quote)
            default:
                switch scalar.value {
                case 0..<0x20, 0x7F..<0xA0: out += "\\x" + hex(scalar.value, digits: 2)
                case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: out += "\\u" + hex(scalar.value, digits: 4)
                default: out.unicodeScalars.append(scalar)
                }
            }
        }
        if cut { out += "…" }
        out.unicodeScalars.append(quote)
        return out
    }

    private static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }

    private static func excerpt(_ result: String) -> String {
        let firstLine = result.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        var shown = DisplayText.escaped(String(firstLine.prefix(resultWidth)), limit: resultWidth)
        if resultWidth < firstLine.count || firstLine.count < result.count { shown += "…" }
        return "result: " + shown
    }

    /// Appends `text` padded with spaces to `width` characters, on the right (or the left).
    private static func padded(_ text: String, _ width: Int, left: Bool = false) -> String {
        let gap = max(0, width - text.count)
        return left ? String(repeating: " ", count: gap) + text : text + String(repeating: " ", count: gap)
    }

    static func fixed2(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
