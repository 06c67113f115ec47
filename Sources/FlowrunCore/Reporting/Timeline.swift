/// A text Gantt chart of a run: one row per stage and per task, each a bar
/// from its start to its end on one shared time axis, so concurrency shows
/// as bars side by side. Stage rows carry a bracket `├──┤` over the stage's
/// span, and every row a `│` where a stage starts.
///
/// Columns are whole cells: a bar runs between the cell boundaries nearest
/// to its start and end, and a short task still shows one cell. The chart is at most `width` columns
/// wide (labels are cut with `…` to make room for a bar of 10 cells or more).
public enum Timeline {
    /// The fewest cells a bar area gets, whatever the width.
    static let minimumBarWidth = 10
    /// The least space between the starts of two axis labels.
    static let minimumTickSpacing = 8

    private enum Glyph {
        static let succeeded: Character = "█"
        static let failed: Character = "▓"
        static let cancelled: Character = "░"
        static let retryDelay: Character = "·"
        static let stageStart: Character = "│"
    }

    private struct Cell {
        var glyph: Character = " "
        var color: String? = nil
    }

    private struct Row {
        var label: String
        var labelColor: String?
        var cells: [Cell]
        var right: String
        var rightColor: String?
    }

    /// The chart, ending with a newline.
    public static func render(_ run: RunResult, width: Int, colored: Bool = false) -> String {
        let ran = run.tasks.filter { $0.started != nil }
        guard !ran.isEmpty else { return "timeline: no task ran\n" }
        var end = run.wallTime
        for task in ran { end = max(end, task.finished ?? .zero) }
        for stage in run.stages { end = max(end, stage.finished ?? .zero) }

        var rightTexts: [String] = []
        var labels: [String] = []
        for stage in run.stages {
            labels.append(stage.name)
            rightTexts.append(stage.skipped ? "skipped" : DurationFormat.human(stage.duration))
            guard !stage.skipped else { continue }
            for task in run.tasks where task.id.stage == stage.index {
                labels.append("  " + task.name)
                rightTexts.append(rightText(task))
            }
        }
        let rightWidth = rightTexts.map(\.count).max() ?? 0
        var labelWidth = min(labels.map(\.count).max() ?? 0, max(12, width / 3))
        if width - labelWidth - rightWidth - 2 < minimumBarWidth {
            labelWidth = max(6, width - rightWidth - 2 - minimumBarWidth)
        }
        let barWidth = max(minimumBarWidth, width - labelWidth - rightWidth - 2)
        let scale = Scale(total: max(1, TraceReport.microseconds(end)), width: barWidth)

        let stageStarts = Set(run.stages.compactMap { $0.started.map(scale.column) })
        func background() -> [Cell] {
            (0..<barWidth).map { column in
                stageStarts.contains(column) ? Cell(glyph: Glyph.stageStart, color: TerminalColor.dim) : Cell()
            }
        }

        var rows: [Row] = []
        var used: [(Character, String)] = []
        func use(_ glyph: Character, _ meaning: String) {
            if !used.contains(where: { $0.0 == glyph }) { used.append((glyph, meaning)) }
        }
        for stage in run.stages {
            var cells = background()
            if let started = stage.started, let finished = stage.finished {
                let range = scale.cells(started, finished)
                for column in range {
                    let glyph: Character = range.count == 1 ? "│"
                        : column == range.lowerBound ? "├" : column == range.upperBound - 1 ? "┤" : "─"
                    cells[column] = Cell(glyph: glyph, color: TerminalColor.dim)
                }
            }
            rows.append(Row(label: stage.name, labelColor: TerminalColor.bold, cells: cells,
                            right: stage.skipped ? "skipped" : DurationFormat.human(stage.duration),
                            rightColor: stage.skipped ? TerminalColor.dim : nil))
            guard !stage.skipped else { continue }
            for task in run.tasks where task.id.stage == stage.index {
                var cells = background()
                let spans = spans(of: task)
                for (previous, next) in zip(spans, spans.dropFirst()) {
                    for column in scale.cells(previous.finished, next.started) {
                        cells[column] = Cell(glyph: Glyph.retryDelay, color: TerminalColor.dim)
                    }
                    use(Glyph.retryDelay, "retry delay")
                }
                for span in spans {
                    let glyph = self.glyph(span.state)
                    use(glyph, legend(span.state))
                    for column in scale.cells(span.started, span.finished) {
                        cells[column] = Cell(glyph: glyph, color: TerminalColor.of(span.state))
                    }
                }
                rows.append(Row(label: "  " + task.name, labelColor: nil, cells: cells, right: rightText(task),
                                rightColor: task.state == .succeeded ? nil : TerminalColor.of(task.state)))
            }
        }

        var out = trimmed(pad("timeline", labelWidth) + " " + axis(scale, barWidth: barWidth)) + "\n"
        for row in rows {
            var line = TerminalColor.paint(pad(cut(row.label, labelWidth), labelWidth), row.labelColor ?? "", colored && row.labelColor != nil)
            line += " " + paint(row.cells, colored) + " "
            let gap = String(repeating: " ", count: rightWidth - row.right.count)
            line += gap + TerminalColor.paint(row.right, row.rightColor ?? "", colored && row.rightColor != nil)
            out += line + "\n"
        }
        use(Glyph.stageStart, "stage start")
        out += legendLines(used, width: width)
        return out
    }

    /// Maps offsets to cells of the bar area.
    private struct Scale {
        /// Microseconds the bar area spans.
        let total: Int
        let width: Int

        /// The cell boundary nearest to an instant, as a cell index.
        ///
        /// Rounding (not floor and ceiling) keeps a task that ends at a
        /// stage's end and one that starts right after out of each other's cells.
        func column(_ offset: Duration) -> Int {
            min(width - 1, boundary(offset))
        }

        /// The cells from the boundary nearest `from` to the one nearest `to`; at least one.
        func cells(_ from: Duration, _ to: Duration) -> Range<Int> {
            let first = column(from)
            return first..<max(first + 1, min(width, boundary(to)))
        }

        private func boundary(_ offset: Duration) -> Int {
            max(0, (TraceReport.microseconds(offset) * width + total / 2) / total)
        }
    }

    /// Tick labels (`0s`, `2s`, `4s`, …) at round steps, none overlapping.
    private static func axis(_ scale: Scale, barWidth: Int) -> String {
        let steps = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1_000, 2_000, 2_500, 5_000, 10_000, 15_000, 30_000,
                     60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 18_000_000, 36_000_000]
        let totalMillis = max(1, scale.total / 1000)
        let step = steps.first { $0 * barWidth >= minimumTickSpacing * totalMillis } ?? steps.last!
        var line = [Character](repeating: " ", count: barWidth)
        var nextFree = 0
        var tick = 0
        while tick <= totalMillis {
            let label = tick == 0 ? "0s" : DurationFormat.written(.milliseconds(tick))
            // A label that would run off the end moves left to fit.
            let column = min(scale.column(.milliseconds(tick)), barWidth - label.count)
            if column >= nextFree {
                for (offset, character) in label.enumerated() { line[column + offset] = character }
                nextFree = column + label.count + 1
            }
            tick += step
        }
        return String(line)
    }

    private static func spans(of task: TaskResult) -> [AttemptSpan] {
        if !task.attemptSpans.isEmpty { return task.attemptSpans }
        guard let started = task.started, let finished = task.finished else { return [] }
        return [AttemptSpan(attempt: max(1, task.attempts), started: started, finished: finished, state: task.state)]
    }

    private static func rightText(_ task: TaskResult) -> String {
        switch task.state {
        case .skipped: "skipped"
        case .upToDate: "up-to-date"
        case .succeeded: DurationFormat.human(task.duration)
        default: DurationFormat.human(task.duration) + " " + task.state.name
        }
    }

    private static func glyph(_ state: TaskState) -> Character {
        switch state {
        case .succeeded: Glyph.succeeded
        case .cancelled, .skipped, .upToDate: Glyph.cancelled
        case .failed, .killed, .failedToStart, .outputsInvalid, .timedOut: Glyph.failed
        }
    }

    private static func legend(_ state: TaskState) -> String {
        switch state {
        case .succeeded: "succeeded"
        case .cancelled, .skipped, .upToDate: "cancelled"
        case .failed, .killed, .failedToStart, .outputsInvalid, .timedOut: "failed"
        }
    }

    private static func legendLines(_ used: [(Character, String)], width: Int) -> String {
        var out = ""
        var line = ""
        for (glyph, meaning) in used {
            let item = "\(glyph) \(meaning)"
            if !line.isEmpty, line.count + 2 + item.count > width {
                out += line + "\n"
                line = ""
            }
            line += (line.isEmpty ? "" : "  ") + item
        }
        return out + line + "\n"
    }

    private static func paint(_ cells: [Cell], _ colored: Bool) -> String {
        guard colored else { return String(cells.map(\.glyph)) }
        var out = ""
        var index = 0
        while index < cells.count {
            let color = cells[index].glyph == " " ? nil : cells[index].color
            var run = ""
            while index < cells.count, (cells[index].glyph == " " ? nil : cells[index].color) == color {
                run.append(cells[index].glyph)
                index += 1
            }
            out += color.map { TerminalColor.paint(run, $0, true) } ?? run
        }
        return out
    }

    private static func cut(_ text: String, _ width: Int) -> String {
        text.count <= width ? text : String(text.prefix(max(0, width - 1))) + "…"
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }

    private static func trimmed(_ text: String) -> String {
        var text = text
        while text.last == " " { text.removeLast() }
        return text
    }
}
