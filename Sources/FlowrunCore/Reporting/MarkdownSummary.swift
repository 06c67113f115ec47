/// The run as GitHub-flavored Markdown: the job summary appended to
/// `$GITHUB_STEP_SUMMARY`, or `--summary FILE.md`.
///
/// Sections: a status line with the totals; a table of stages and tasks
/// (state, duration, attempts, CPU), a task's steps in rows below it (as in
/// the HTML report); the first failure, with its failing step, and its stderr tail in a
/// code block; a mermaid gantt of the run, which GitHub draws. Every text
/// from the run is masked; table cells are escaped so a name or result
/// cannot break the table or inject markup; code blocks use a fence longer
/// than any backtick run inside them.
public enum MarkdownSummary {
    /// Task rows in the table; beyond it a line says how many more there were
    /// (GitHub takes at most 1 MiB of summary per step).
    static let tableLimit = 300
    /// Bars in the gantt: mermaid gets slow and unreadable beyond that.
    static let ganttLimit = 100

    public static func render(_ run: RunResult, exitStatus: ExitStatus, mask: SecretMask = SecretMask([])) -> String {
        let status = HTMLReport.statusWord(run)
        let icon = run.interrupted ? "⚠️" : run.succeeded ? "✅" : "❌"
        var out = "## \(icon) flowrun: \(cell(mask.apply(run.workflowName))) \(status)\n\n"
        var totals = "exit code \(exitStatus.rawValue) · wall \(DurationFormat.human(run.wallTime))"
            + " · critical path \(DurationFormat.human(run.criticalPath))"
            + " · parallelism \(RunReport.fixed2(run.parallelism))x · \(run.tasks.count) task\(run.tasks.count == 1 ? "" : "s")"
        if let total = run.totalResources {
            totals += " · CPU \(DurationFormat.human(total.cpu)) · peak RSS \(ResourceFormat.bytes(total.maxRSS))"
        }
        out += totals + "\n\n"
        out += table(run, mask: mask)
        if let failure = run.firstFailure {
            let label = failure.countsAsSuccess ? "Tolerated failure" : "First failure"
            let step = failure.steps.first { $0.state.isFailure && !$0.continueOnError }
            let stepText = step.map { " (step \(cell(mask.apply($0.name))))" } ?? ""
            out += "\n### \(label): \(cell(mask.apply(failure.qualifiedName)))\(stepText) \(cell(mask.apply(RunReport.describe(failure.state))))\n\n"
            if !failure.stderrTail.isEmpty {
                out += codeBlock(mask.apply(failure.stderrTail.map { DisplayText.escaped($0, limit: 2000) }.joined(separator: "\n")))
            }
        }
        out += "\n" + gantt(run, mask: mask)
        return out
    }

    private static func table(_ run: RunResult, mask: SecretMask) -> String {
        var out = "| Stage | Task | State | Duration | Attempts | CPU |\n| --- | --- | --- | ---: | ---: | ---: |\n"
        var shown = 0
        for stage in run.stages {
            let tasks = run.tasks.filter { $0.id.stage == stage.index }
            out += "| **\(cell(mask.apply(stage.name)))** | | \(stage.skipped ? "skipped" : "") | "
                + "\(stage.skipped ? "" : DurationFormat.human(stage.duration)) | | |\n"
            for task in tasks {
                guard shown < tableLimit else { break }
                shown += 1
                var state = cell(mask.apply(RunReport.describe(task.state)))
                if task.continueOnError && task.state.isFailure { state += " (continue-on-error)" }
                let ran = task.state != .skipped
                out += "| | \(cell(mask.apply(task.name))) | \(icon(task)) \(state) | \(ran ? DurationFormat.human(task.duration) : "") | "
                    + "\(ran ? String(task.attempts) : "") | \(task.resources.map { DurationFormat.human($0.cpu) } ?? "") |\n"
                for step in task.steps { out += stepRow(step, mask: mask) }
            }
        }
        if run.tasks.count > shown {
            out += "\n\(run.tasks.count - shown) more tasks are not listed; the JSON report (`--report`) has them all.\n"
        }
        return out
    }

    /// A step of the task above: its name indented, its state, duration and CPU.
    private static func stepRow(_ step: StepResult, mask: SecretMask) -> String {
        var state = cell(mask.apply(RunReport.describe(step)))
        if step.continueOnError && step.state.isFailure { state += " (continue-on-error)" }
        let icon: String = switch step.state {
        case .succeeded, .upToDate: "✅"
        case .skipped: "⏭️"
        case .cancelled: "⏹️"
        case _ where step.continueOnError: "⚠️"
        default: "❌"
        }
        return "| | ↳ \(cell(mask.apply(step.name))) | \(icon) \(state) | \(step.started != nil ? DurationFormat.human(step.duration) : "") | "
            + "| \(step.resources.map { DurationFormat.human($0.cpu) } ?? "") |\n"
    }

    private static func icon(_ task: TaskResult) -> String {
        switch task.state {
        case .succeeded, .upToDate: "✅"
        case .skipped where task.reason == .notSelected: "⏭️"
        case _ where task.countsAsSuccess: "⚠️"
        case .failed, .killed, .failedToStart, .outputsInvalid, .timedOut: "❌"
        case .cancelled: "⏹️"
        case .skipped: "⏭️"
        }
    }

    /// A mermaid gantt: a section per stage, a bar per attempt, offsets in
    /// milliseconds (`dateFormat x`), failed bars marked `crit`.
    static func gantt(_ run: RunResult, mask: SecretMask) -> String {
        var out = "```mermaid\ngantt\n    title \(ganttText(mask.apply(run.workflowName)))\n"
            + "    dateFormat x\n    axisFormat \(run.wallTime < .seconds(60) ? "%S.%Ls" : "%M:%S")\n"
        var bars = 0
        var left = 0
        for stage in run.stages where !stage.skipped {
            out += "    section \(ganttText(mask.apply(stage.name)))\n"
            for task in run.tasks where task.id.stage == stage.index {
                let spans = TraceReport.spans(of: task)
                for span in spans {
                    guard bars < ganttLimit else {
                        left += 1
                        continue
                    }
                    bars += 1
                    let tag = span.state == .succeeded ? "done, " : span.state.isFailure ? "crit, " : ""
                    let name = mask.apply(task.name) + (spans.count > 1 ? " attempt \(span.attempt)" : "")
                    let start = DurationFormat.milliseconds(span.started)
                    let end = max(start + 1, DurationFormat.milliseconds(span.finished))
                    out += "    \(ganttText(name)) :\(tag)\(start), \(end)\n"
                }
            }
        }
        out += "```\n"
        if left > 0 { out += "\n\(left) more bars are left out of the chart.\n" }
        return out
    }

    /// Text for a table cell: escaped for HTML and for Markdown, one line.
    static func cell(_ text: String) -> String {
        var out = ""
        for scalar in DisplayText.escaped(text, limit: 200).unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "|": out += "\\|"
            case "\\", "`", "*", "_", "[", "]", "#", "~", "!": out += "\\" + String(scalar)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Text mermaid takes in a title, section or task name: `:`, `;` and `#`
    /// would end or comment it, so they become look-alikes; one line.
    static func ganttText(_ text: String) -> String {
        var out = ""
        for character in DisplayText.escaped(text, limit: 60) {
            switch character {
            case ":": out += "∶"
            case ";": out += ","
            case "#": out += "♯"
            default: out.append(character)
            }
        }
        return out.isEmpty ? "_" : out
    }

    /// A fenced code block whose fence is longer than any run of backticks in `text`.
    static func codeBlock(_ text: String) -> String {
        var longest = 0
        var current = 0
        for character in text {
            current = character == "`" ? current + 1 : 0
            longest = max(longest, current)
        }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        return fence + "text\n" + text + (text.hasSuffix("\n") ? "" : "\n") + fence + "\n"
    }
}
