/// The run as one self-contained HTML page (`--html FILE`).
///
/// Sections: a header (workflow, status, exit code, wall time, critical
/// path, parallelism, resources, the first failure), the SVG timeline
/// (`GanttChart`), a table per stage (a task's steps in rows below it), and
/// each task's kept output (the last 64 KiB per stream, from
/// `TaskOutputLog`) in a `<details>`.
///
/// Self-contained: styles are inline, the chart is inline SVG, there is no
/// script, and a Content-Security-Policy forbids loading anything; every
/// link is a fragment within the page. Every text from the run is masked and
/// then escaped by `HTMLText`, which also shows invisible characters as escapes.
public enum HTMLReport {
    /// Characters of a result shown in its table cell; the rest is in a `<details>`.
    static let resultWidth = 80
    /// Bytes of a result the page holds; the JSON report has all of it.
    static let resultLimit = 64 * 1024

    /// Renders the page.
    /// - Parameters:
    ///   - exitStatus: the status flowrun exits with (a signal's, after an interrupt).
    ///   - outputs: the tasks' kept output; nil for a page without it.
    ///   - mask: applied to every text taken from the run.
    ///   - source: the workflow file as named on the command line, for the header.
    public static func render(
        _ run: RunResult, exitStatus: ExitStatus, outputs: TaskOutputLog? = nil,
        mask: SecretMask = SecretMask([]), source: String? = nil
    ) -> String {
        let name = HTMLText.content(mask.apply(run.workflowName))
        let status = statusWord(run)
        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<meta name=\"generator\" content=\"flowrun\">\n"
        out += "<title>\(name) — \(status) — flowrun</title>\n"
        out += "<style>\n\(stylesheet)</style>\n</head>\n<body>\n"
        out += header(run, status: status, exitStatus: exitStatus, mask: mask, source: source)
        out += "<section id=\"timeline\">\n<h2>Timeline</h2>\n<div class=\"chart\">\n"
        out += GanttChart.render(run, mask: mask)
        out += "</div>\n" + legend() + "</section>\n"
        out += "<section id=\"stages\">\n<h2>Stages</h2>\n"
        for stage in run.stages { out += stageTable(stage, run: run, outputs: outputs, mask: mask) }
        out += "</section>\n"
        if let outputs { out += outputSection(run, outputs: outputs, mask: mask) }
        out += "<footer>flowrun · run \(HTMLText.content(run.runID)) · started \(JUnitReport.timestamp(run.startedAt))</footer>\n"
        out += "</body>\n</html>\n"
        return out
    }

    /// `succeeded`, `failed` or `interrupted`.
    static func statusWord(_ run: RunResult) -> String {
        run.interrupted ? "interrupted" : run.succeeded ? "succeeded" : "failed"
    }

    private static func header(_ run: RunResult, status: String, exitStatus: ExitStatus, mask: SecretMask, source: String?) -> String {
        var out = "<header>\n<h1>\(HTMLText.content(mask.apply(run.workflowName))) "
            + "<span class=\"status st-\(status)\">\(status)</span></h1>\n<dl class=\"facts\">\n"
        var facts: [(String, String)] = [
            ("Exit code", String(exitStatus.rawValue)),
            ("Wall time", DurationFormat.human(run.wallTime)),
            ("Critical path", DurationFormat.human(run.criticalPath)),
            ("Parallelism", RunReport.fixed2(run.parallelism) + "×"),
            ("Task time", DurationFormat.human(run.taskTime)),
            ("Queued", DurationFormat.human(run.queuedTime)),
            ("Peak concurrency", String(run.peakConcurrency)),
        ]
        if let total = run.totalResources {
            facts.append(("CPU", DurationFormat.human(total.cpu)))
            facts.append(("Peak RSS", ResourceFormat.bytes(total.maxRSS)))
        }
        facts.append(("Tasks", counts(run.tasks)))
        if let source { facts.append(("Workflow file", HTMLText.content(source))) }
        facts.append(("Started", JUnitReport.timestamp(run.startedAt)))
        for (term, value) in facts { out += "<div><dt>\(term)</dt><dd>\(value)</dd></div>\n" }
        out += "</dl>\n"
        if run.interrupted {
            out += "<p class=\"note\">Interrupted: running tasks were cancelled, the rest skipped"
                + "\(HTMLText.content(run.cleanupNote)).</p>\n"
        }
        if let failure = run.firstFailure {
            let tolerated = failure.countsAsSuccess
            out += "<div class=\"failure\(tolerated ? " tolerated" : "")\"><p><strong>\(tolerated ? "Tolerated failure" : "First failure"):</strong> "
                + "<a href=\"#\(anchor(failure.id))\">\(HTMLText.content(mask.apply(failure.qualifiedName)))</a> "
                + HTMLText.content(mask.apply(RunReport.describe(failure.state))) + "</p>\n"
            if !failure.stderrTail.isEmpty {
                out += "<pre class=\"stderr\">" + HTMLText.content(mask.apply(failure.stderrTail.joined(separator: "\n"))) + "</pre>\n"
            }
            out += "</div>\n"
        }
        return out + "</header>\n"
    }

    /// `5 succeeded, 1 failed, 2 skipped`.
    private static func counts(_ tasks: [TaskResult]) -> String {
        var order: [String] = []
        var count: [String: Int] = [:]
        for task in tasks {
            if count[task.state.name] == nil { order.append(task.state.name) }
            count[task.state.name, default: 0] += 1
        }
        let parts = order.map { "\(count[$0]!) \($0)" }
        return "\(tasks.count): " + parts.joined(separator: ", ")
    }

    private static func legend() -> String {
        let items = [("succeeded", "succeeded"), ("failed", "failed"), ("tolerated", "failed, continue-on-error"),
                     ("timed-out", "timed out"), ("cancelled", "cancelled")]
        return "<p class=\"legend\">" + items.map { "<span class=\"key s-\($0.0)\"></span>\($0.1)" }.joined(separator: " ")
            + " <span class=\"key wait\"></span>retry delay</p>\n"
    }

    private static func stageTable(_ stage: StageResult, run: RunResult, outputs: TaskOutputLog?, mask: SecretMask) -> String {
        let tasks = run.tasks.filter { $0.id.stage == stage.index }
        var out = "<section class=\"stage\" id=\"stage-\(stage.index)\">\n<h3>\(HTMLText.content(mask.apply(stage.name))) "
            + "<span class=\"dim\">\(stage.skipped ? "skipped" : DurationFormat.human(stage.duration))</span></h3>\n"
        out += "<table>\n<thead><tr><th>Task</th><th>State</th><th class=\"num\">Duration</th><th class=\"num\">Queued</th>"
            + "<th class=\"num\">Attempts</th><th>Exit</th><th class=\"num\">CPU</th><th class=\"num\">Peak RSS</th>"
            + "<th>Result</th></tr></thead>\n<tbody>\n"
        for task in tasks {
            out += row(task, hasOutput: outputs.map { has($0, task.id) } ?? false, mask: mask)
            out += task.steps.map { stepRow($0, mask: mask) }.joined()
        }
        return out + "</tbody>\n</table>\n</section>\n"
    }

    private static func row(_ task: TaskResult, hasOutput: Bool, mask: SecretMask) -> String {
        let ran = task.state != .skipped
        var name = HTMLText.content(mask.apply(task.name))
        if hasOutput { name += " <a class=\"out-link\" href=\"#out-\(anchor(task.id))\">output</a>" }
        let state = GanttChart.cssState(task.state, task: task)
        var detail = HTMLText.content(mask.apply(RunReport.describe(task.state)))
        if task.continueOnError && task.state.isFailure { detail += " <span class=\"dim\">(continue-on-error)</span>" }
        if task.escapedDescendant { detail += " <span class=\"dim\">(a descendant escaped its process group)</span>" }
        var attempts = ran ? String(task.attempts) : ""
        if task.attemptSpans.count > 1 {
            attempts = "<span title=\"\(HTMLText.attribute(task.attemptSpans.map { "\($0.attempt): \(RunReport.describe($0.state))" }.joined(separator: "\n")))\">\(task.attempts)</span>"
        }
        let usage = task.resources
        var out = "<tr id=\"\(anchor(task.id))\" class=\"\(state)\">"
        out += "<td class=\"name\">\(name)</td>"
        out += "<td><span class=\"pill \(state)\"></span>\(detail)</td>"
        out += "<td class=\"num\">\(ran ? DurationFormat.human(task.duration) : "")</td>"
        out += "<td class=\"num\">\(task.queued.map(DurationFormat.human) ?? "")</td>"
        out += "<td class=\"num\">\(attempts)</td>"
        out += "<td>\(exitText(task.state))</td>"
        out += "<td class=\"num\">\(usage.map { DurationFormat.human($0.cpu) } ?? "")</td>"
        out += "<td class=\"num\">\(usage.map { ResourceFormat.bytes($0.maxRSS) } ?? "")</td>"
        out += "<td class=\"result\">\(task.result.map { result(mask.apply($0)) } ?? "")</td>"
        return out + "</tr>\n"
    }

    /// A step of the task above (its last attempt's): name, state, duration and exit; the task's row has the rest.
    private static func stepRow(_ step: StepResult, mask: SecretMask) -> String {
        let state = GanttChart.cssState(step)
        var detail = HTMLText.content(mask.apply(RunReport.describe(step)))
        if step.continueOnError && step.state.isFailure { detail += " <span class=\"dim\">(continue-on-error)</span>" }
        var out = "<tr class=\"step \(state)\">"
        out += "<td class=\"name step\">\(HTMLText.content(mask.apply(step.name)))</td>"
        out += "<td><span class=\"pill \(state)\"></span>\(detail)</td>"
        out += "<td class=\"num\">\(step.started != nil ? DurationFormat.human(step.duration) : "")</td>"
        out += "<td class=\"num\"></td><td class=\"num\"></td>"
        out += "<td>\(exitText(step.state))</td>"
        out += "<td class=\"num\">\(step.resources.map { DurationFormat.human($0.cpu) } ?? "")</td>"
        out += "<td class=\"num\">\(step.resources.map { ResourceFormat.bytes($0.maxRSS) } ?? "")</td>"
        out += "<td class=\"result\"></td>"
        return out + "</tr>\n"
    }

    /// `0`, `2`, `SIGKILL (9)`; empty when the task has no exit status.
    private static func exitText(_ state: TaskState) -> String {
        switch state {
        case .succeeded: "0"
        case .failed(let code): String(code)
        case .killed(let signal): RunReport.signalName(signal).map { "\($0) (\(signal))" } ?? "signal \(signal)"
        case .failedToStart, .outputsInvalid, .timedOut, .cancelled, .skipped, .upToDate: ""
        }
    }

    /// The result's first line, cut; the whole value (bounded) in a `<details>` when cut.
    private static func result(_ value: String) -> String {
        let firstLine = value.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let shown = String(firstLine.prefix(resultWidth))
        if shown.count == value.count { return "<code>\(HTMLText.content(shown))</code>" }
        var full = value
        var note = ""
        if value.utf8.count > resultLimit {
            full = String(decoding: value.utf8.prefix(resultLimit), as: UTF8.self)
            note = "\n[… \(value.utf8.count - full.utf8.count) more bytes in the JSON report]"
        }
        return "<details><summary><code>\(HTMLText.content(shown))…</code></summary>"
            + "<pre>\(HTMLText.content(full))\(HTMLText.content(note))</pre></details>"
    }

    private static func has(_ outputs: TaskOutputLog, _ id: TaskID) -> Bool {
        [OutputStreamKind.stdout, .stderr].contains { stream in
            let captured = outputs.captured(id, stream)
            return !captured.lines.isEmpty || captured.droppedBytes > 0
        }
    }

    private static func outputSection(_ run: RunResult, outputs: TaskOutputLog, mask: SecretMask) -> String {
        var out = "<section id=\"output\">\n<h2>Output</h2>\n"
        var any = false
        for task in run.tasks {
            let streams = [(OutputStreamKind.stdout, "stdout"), (.stderr, "stderr")].compactMap { stream, label in
                let captured = outputs.captured(task.id, stream)
                return captured.lines.isEmpty && captured.droppedBytes == 0 ? nil : (label, captured)
            }
            guard !streams.isEmpty else { continue }
            any = true
            let state = GanttChart.cssState(task.state, task: task)
            let lines = streams.reduce(0) { $0 + $1.1.lines.count }
            // Failures open: they are what the reader came for.
            out += "<details id=\"out-\(anchor(task.id))\"\(task.state.isFailure ? " open" : "")>"
                + "<summary><span class=\"pill \(state)\"></span>\(HTMLText.content(mask.apply(task.qualifiedName)))"
                + " <span class=\"dim\">\(lines) line\(lines == 1 ? "" : "s")</span></summary>\n"
            for (label, captured) in streams {
                out += "<div class=\"stream \(label)\"><div class=\"stream-name\">\(label)</div>"
                    + "<pre>\(HTMLText.content(mask.apply(captured.text)))</pre></div>\n"
            }
            out += "</details>\n"
        }
        if !any { out += "<p class=\"dim\">No task wrote any output.</p>\n" }
        return out + "</section>\n"
    }

    /// The fragment naming a task's row: `task-STAGE-TASK`.
    static func anchor(_ id: TaskID) -> String { "task-\(id.stage)-\(id.task)" }
}
