/// The run as an SVG Gantt chart, for the HTML report.
///
/// Rows, top to bottom: per stage a band row (the stage's span), one row
/// per task (each matrix instance is a task), and below a task of `steps`
/// one row per step of its last attempt; the stage's rows share a shaded
/// band. Each attempt is its own bar, colored by its state (`class="bar
/// s-STATE"`, styled by the page), and the wait between attempts a thin
/// line; a step's bar is thinner (`class="bar step s-STATE"`). Every bar and label has a
/// `<title>` with exact offsets, which browsers show on hover. A time axis
/// with gridlines runs along the top. Plain SVG: no script, no external
/// reference, readable with styles off.
public enum GanttChart {
    /// Layout in SVG user units (the chart scales to the page's width).
    static let width = 1100
    static let labelWidth = 240
    static let rowHeight = 18
    static let axisHeight = 28
    static let rightMargin = 70

    /// - Parameter mask: applied to every text taken from the run.
    public static func render(_ run: RunResult, mask: SecretMask = SecretMask([])) -> String {
        let rows = layout(run)
        let chartWidth = width - labelWidth - rightMargin
        let span = max(run.wallTime, run.tasks.compactMap(\.finished).max() ?? .zero, .milliseconds(1))
        let scale = Double(chartWidth) / span.seconds
        func x(_ offset: Duration) -> String { number(Double(labelWidth) + max(0, offset.seconds) * scale) }
        func w(_ from: Duration, _ to: Duration) -> String { number(max(1, (to - from).seconds * scale)) }
        let height = axisHeight + rows.count * rowHeight + 6
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"gantt\" role=\"img\" "
            + "viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" "
            + "aria-label=\"Timeline of \(HTMLText.attribute(mask.apply(run.workflowName)))\">\n"
        // Stage bands behind their rows.
        var row = 0
        for item in rows {
            if case .stage(let stage, let taskRows) = item {
                let y = axisHeight + row * rowHeight
                out += "<rect class=\"band\(stage.index % 2 == 0 ? "" : " odd")\" x=\"0\" y=\"\(y)\" width=\"\(width)\" "
                    + "height=\"\((taskRows + 1) * rowHeight)\"/>\n"
            }
            row += 1
        }
        out += axis(span: span, scale: scale, height: height)
        row = 0
        for item in rows {
            let y = axisHeight + row * rowHeight
            let textY = y + rowHeight - 5
            switch item {
            case .stage(let stage, _):
                let name = mask.apply(stage.name)
                out += "<g class=\"stage-row\"><text class=\"stage-label\" x=\"6\" y=\"\(textY)\">"
                    + "<title>stage \(HTMLText.content(name))</title>\(HTMLText.content(clipped(name, 34)))</text>"
                if let started = stage.started, let finished = stage.finished {
                    out += "<rect class=\"stage-bar\" x=\"\(x(started))\" y=\"\(y + 6)\" width=\"\(w(started, finished))\" height=\"6\">"
                        + "<title>\(HTMLText.content(stageTitle(stage, name: name, run: run)))</title></rect>"
                    out += "<text class=\"dur\" x=\"\(x(finished))\" dx=\"4\" y=\"\(textY)\">\(DurationFormat.human(stage.duration))</text>"
                } else {
                    out += "<text class=\"dur\" x=\"\(labelWidth + 4)\" y=\"\(textY)\">skipped</text>"
                }
                out += "</g>\n"
            case .task(let task):
                let name = mask.apply(task.name)
                out += "<g class=\"task-row\"><text class=\"task-label\" x=\"18\" y=\"\(textY)\">"
                    + "<title>\(HTMLText.content(mask.apply(task.qualifiedName)))</title>\(HTMLText.content(clipped(name, 32)))</text>"
                let spans = TraceReport.spans(of: task)
                if spans.isEmpty {
                    out += "<text class=\"dur\" x=\"\(labelWidth + 4)\" y=\"\(textY)\">\(HTMLText.content(task.state.name))</text>"
                }
                for (index, span) in spans.enumerated() {
                    if index > 0 {
                        let previous = spans[index - 1]
                        out += "<line class=\"retry-wait\" x1=\"\(x(previous.finished))\" x2=\"\(x(span.started))\" "
                            + "y1=\"\(y + rowHeight / 2)\" y2=\"\(y + rowHeight / 2)\"/>"
                    }
                    out += "<rect class=\"bar \(cssState(span.state, task: task))\" x=\"\(x(span.started))\" y=\"\(y + 3)\" "
                        + "width=\"\(w(span.started, span.finished))\" height=\"\(rowHeight - 6)\">"
                        + "<title>\(HTMLText.content(attemptTitle(task, span, count: spans.count, run: run, mask: mask)))</title></rect>"
                }
                if let last = spans.last {
                    out += "<text class=\"dur\" x=\"\(x(last.finished))\" dx=\"4\" y=\"\(textY)\">\(DurationFormat.human(task.duration))</text>"
                }
                out += "</g>\n"
            case .step(let task, let step):
                out += stepRow(task, step, y: y, textY: textY, x: x, w: w, run: run, mask: mask)
            }
            row += 1
        }
        out += "</svg>\n"
        return out
    }

    /// A step's row: its name indented under the task's, and a thin bar
    /// over the step's span in the task's last attempt; a skipped step, its state.
    private static func stepRow(
        _ task: TaskResult, _ step: StepResult, y: Int, textY: Int,
        x: (Duration) -> String, w: (Duration, Duration) -> String, run: RunResult, mask: SecretMask
    ) -> String {
        let name = mask.apply(step.name)
        var out = "<g class=\"step-row\"><text class=\"step-label\" x=\"30\" y=\"\(textY)\">"
            + "<title>\(HTMLText.content(mask.apply(task.qualifiedName) + " › step " + name))</title>"
            + "\(HTMLText.content(clipped(name, 30)))</text>"
        if let started = step.started, let finished = step.finished {
            var title = mask.apply(task.qualifiedName) + " › step " + name
            if task.attempts > 1 { title += " (attempt \(task.attempts))" }
            title += "\n" + mask.apply(RunReport.describe(step.state))
            if step.state.isFailure, step.continueOnError { title += " (continue-on-error)" }
            title += "\n" + interval(started, finished, run: run)
            if let usage = step.resources { title += "\n" + ResourceFormat.column(usage) }
            out += "<rect class=\"bar step \(cssState(step))\" x=\"\(x(started))\" y=\"\(y + 5)\" "
                + "width=\"\(w(started, finished))\" height=\"\(rowHeight - 10)\"><title>\(HTMLText.content(title))</title></rect>"
            out += "<text class=\"dur\" x=\"\(x(finished))\" dx=\"4\" y=\"\(textY)\">\(DurationFormat.human(step.duration))</text>"
        } else {
            out += "<text class=\"dur\" x=\"\(labelWidth + 4)\" y=\"\(textY)\">\(HTMLText.content(step.state.name))</text>"
        }
        return out + "</g>\n"
    }

    /// The CSS class of a bar: `s-` and the state's name; a failure under continue-on-error is `s-tolerated`.
    static func cssState(_ state: TaskState, task: TaskResult) -> String {
        if state.isFailure, task.continueOnError, task.state == state { return "s-tolerated" }
        return "s-" + state.name
    }

    /// A step's CSS class: a failure that `continue-on-error` let pass is `s-tolerated`.
    static func cssState(_ step: StepResult) -> String {
        step.state.isFailure && step.continueOnError ? "s-tolerated" : "s-" + step.state.name
    }

    private enum Row {
        /// A stage's band row, and how many task and step rows follow it.
        case stage(StageResult, Int)
        case task(TaskResult)
        case step(TaskResult, StepResult)
    }

    private static func layout(_ run: RunResult) -> [Row] {
        var byStage: [Int: [TaskResult]] = [:]
        for task in run.tasks { byStage[task.id.stage, default: []].append(task) }
        var rows: [Row] = []
        for stage in run.stages {
            let tasks = byStage[stage.index] ?? []
            rows.append(.stage(stage, tasks.reduce(0) { $0 + 1 + $1.steps.count }))
            for task in tasks {
                rows.append(.task(task))
                rows += task.steps.map { .step(task, $0) }
            }
        }
        return rows
    }

    /// Gridlines and labels at a round step: 1, 2 or 5 times a power of ten, about eight of them.
    private static func axis(span: Duration, scale: Double, height: Int) -> String {
        let step = tickStep(span.seconds)
        var out = "<g class=\"axis\">"
        var tick = 0.0
        while tick <= span.seconds + step / 1000 {
            let x = number(Double(labelWidth) + tick * scale)
            out += "<line x1=\"\(x)\" x2=\"\(x)\" y1=\"\(axisHeight - 6)\" y2=\"\(height)\"/>"
                + "<text x=\"\(x)\" y=\"\(axisHeight - 10)\">\(tickLabel(tick, step: step))</text>"
            tick += step
        }
        return out + "</g>\n"
    }

    static func tickStep(_ seconds: Double) -> Double {
        let rough = max(seconds, 0.001) / 8
        var power = 1.0
        while power * 10 <= rough { power *= 10 }
        while power > rough { power /= 10 }
        for factor in [1.0, 2.0, 5.0, 10.0] where power * factor >= rough { return power * factor }
        return power * 10
    }

    /// `0`, `250ms`, `1.5s`, `20s`, `1m30s`.
    static func tickLabel(_ seconds: Double, step: Double) -> String {
        if seconds < step / 2 { return "0" }
        if step < 1 {
            let millis = Int((seconds * 1000).rounded())
            if millis < 1000 { return "\(millis)ms" }
            var text = String(millis / 1000) + "." + String(1000 + millis % 1000).dropFirst()
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
            return text + "s"
        }
        if step < 60 || seconds < 60 { return "\(Int(seconds.rounded()))s" }
        let total = Int(seconds.rounded())
        return total % 60 == 0 ? "\(total / 60)m" : "\(total / 60)m\(total % 60)s"
    }

    private static func stageTitle(_ stage: StageResult, name: String, run: RunResult) -> String {
        guard let started = stage.started, let finished = stage.finished else { return "stage \(name): skipped" }
        return "stage \(name)\n" + interval(started, finished, run: run)
    }

    private static func attemptTitle(_ task: TaskResult, _ span: AttemptSpan, count: Int, run: RunResult, mask: SecretMask) -> String {
        var text = mask.apply(task.qualifiedName)
        if count > 1 { text += " — attempt \(span.attempt) of \(count)" }
        text += "\n" + mask.apply(RunReport.describe(span.state))
        if span.state.isFailure, task.continueOnError { text += " (continue-on-error)" }
        text += "\n" + interval(span.started, span.finished, run: run)
        if span.attempt == 1, let queued = task.queued, queued > .zero { text += "\nqueued \(DurationFormat.seconds(queued))s before" }
        if let usage = span.resources { text += "\n" + ResourceFormat.column(usage) }
        return text
    }

    /// `+1.200s → +2.000s (800ms)` and the wall-clock times.
    private static func interval(_ from: Duration, _ to: Duration, run: RunResult) -> String {
        "+\(DurationFormat.seconds(from))s → +\(DurationFormat.seconds(to))s (\(DurationFormat.human(to - from)))\n"
            + "\(JUnitReport.timestamp(run.startedAt.adding(from))) → \(JUnitReport.timestamp(run.startedAt.adding(to)))"
    }

    private static func clipped(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    /// One decimal at most: enough for a screen, and a smaller file.
    private static func number(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return tenths % 10 == 0 ? String(tenths / 10) : "\(tenths / 10).\(abs(tenths % 10))"
    }
}
