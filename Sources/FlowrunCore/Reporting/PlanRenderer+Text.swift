/// `flowrun plan` for people.
///
/// Per task: its action on the first line (with its limits in brackets),
/// a multi-line command as indented lines, then the shell when it is not the
/// default, the working directory and the effective environment (secrets
/// masked), each on a line of its own under the action.
extension PlanRenderer {
    /// Longest line of a command shown; a longer one is cut with `…`.
    static let commandLineLimit = 1000

    func text(_ plan: Plan, _ masker: SecretMask) -> String {
        let tasks = plan.taskCount
        var out = "plan: \(DisplayText.escaped(plan.workflowName)) (\(DisplayText.escaped(plan.sourcePath, limit: 4096)))\n"
        if let description = plan.description { out += "  \(DisplayText.escaped(masker.apply(description)))\n" }
        out += "\(count(plan.stages.count, "stage")) run one after another; \(count(tasks, "task")) in all\n"
        for stage in plan.stages {
            out += "\nstage \(stage.index + 1)/\(plan.stages.count) \(stage.name)"
            if let origin = stage.origin { out += " (from \(DisplayText.escaped(origin.file, limit: 4096)))" }
            out += ": "
            out += concurrency(stage)
            out += stage.failFast ? ", fail-fast" : ", runs all even if one fails"
            out += "\n"
            if let description = stage.description { out += "  \(DisplayText.escaped(masker.apply(description)))\n" }
            let width = min(24, stage.tasks.map { $0.name.count }.max() ?? 0)
            for task in stage.tasks { out += text(task, nameWidth: width, masker, notes: stateNotes(task, plan)) }
        }
        return out
    }

    /// What targets and the state folder say of a task: not selected, up to date, would be resumed.
    func stateNotes(_ task: PlannedTask, _ plan: Plan) -> [String] {
        var notes: [String] = []
        if let mark = plan.stateMarks[task.id] { notes.append(mark == .resumed ? "would be resumed" : "up to date") }
        if !task.selected { notes.append("not selected") }
        return notes
    }

    /// One task: its first line, then what it runs with, indented under its action.
    func text(_ task: PlannedTask, nameWidth width: Int, _ masker: SecretMask, notes: [String] = []) -> String {
        let padded = task.name.count < width ? task.name + String(repeating: " ", count: width - task.name.count) : task.name
        let indent = String(repeating: " ", count: 2 + width + 2)
        let extras = notes + options(task)
        let limits = extras.isEmpty ? "" : "  [\(extras.joined(separator: ", "))]"
        switch task.action {
        case .steps(let steps):
            var out = "  \(padded)  \(steps.count == 1 ? "1 step" : "\(steps.count) steps")\(limits)\n"
            for (index, step) in steps.enumerated() {
                out += indent + "\(index + 1). \(DisplayText.escaped(step.name))  \(stepAction(step.action, masker))"
                var stepExtras: [String] = []
                if let condition = step.conditionText { stepExtras.append("if: " + DisplayText.escaped(masker.apply(condition))) }
                if let timeout = step.timeout { stepExtras.append("timeout \(DurationFormat.written(timeout))") }
                if step.continueOnError { stepExtras.append("continue-on-error") }
                if !stepExtras.isEmpty { out += "  [\(stepExtras.joined(separator: ", "))]" }
                out += "\n"
            }
            return out
        case .sleep(let duration):
            return "  \(padded)  sleep \(DurationFormat.written(duration))\(limits)\n"
        case .run(let command, let shell):
            var out = "  \(padded)  "
            let lines = commandLines(masker.apply(display(command)))
            if lines.count == 1 {
                out += "run: \(lines[0])\(limits)\n"
            } else {
                out += "run:\(limits)\n"
                for line in lines { out += (line.isEmpty ? "" : indent + "  " + line) + "\n" }
            }
            if shell != NamedShell.defaultArguments {
                out += indent + "shell: " + DisplayText.escaped(shell.map(ShellQuote.word).joined(separator: " "), limit: 4096) + "\n"
            }
            out += indent + "working-directory: "
                + DisplayText.escaped(masker.apply(display(task.workingDirectory)), limit: 4096) + "\n"
            for (index, entry) in task.environment.enumerated() {
                out += indent + (index == 0 ? "env: " : "     ") + DisplayText.escaped(entry.name) + "="
                    + DisplayText.escaped(masker.apply(display(entry.value)), limit: Self.commandLineLimit) + "\n"
            }
            return out
        }
    }

    /// The command's lines, each escaped; the newline that ends a `|` block adds no empty line.
    private func commandLines(_ command: String) -> [String] {
        var lines = command.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.count > 1, lines.last == "" { lines.removeLast() }
        return lines.map { DisplayText.escaped($0.hasSuffix("\r") ? String($0.dropLast()) : $0, limit: Self.commandLineLimit) }
    }

    func concurrency(_ stage: PlannedStage) -> String {
        let n = stage.tasks.count
        if n == 1 { return "1 task" }
        if let cap = stage.maxParallel, cap < n {
            return cap == 1 ? "\(n) tasks one at a time" : "\(n) tasks, at most \(cap) at once"
        }
        return "\(n) tasks concurrently"
    }

    /// The action on one line, for pictures: `sleep 3s`, `run: CMD` (first line, cut).
    func action(_ task: PlannedTask, _ masker: SecretMask) -> String {
        stepAction(task.action, masker)
    }

    func stepAction(_ action: PlannedTask.Action, _ masker: SecretMask) -> String {
        switch action {
        case .steps(let steps): return steps.count == 1 ? "1 step" : "\(steps.count) steps"
        case .sleep(let duration): return "sleep \(DurationFormat.written(duration))"
        case .run(let command, let shell):
            let shown = DisplayText.escaped(masker.apply(display(command)), limit: 160)
            return shell == NamedShell.defaultArguments ? "run: \(shown)" : "run (\(shell.joined(separator: " "))): \(shown)"
        }
    }

    func options(_ task: PlannedTask) -> [String] {
        var extras: [String] = []
        if let timeout = task.timeout { extras.append("timeout \(DurationFormat.written(timeout))") }
        if task.retries > 0 {
            extras.append("retries \(task.retries)" + (task.retryDelay > .zero ? " every \(DurationFormat.written(task.retryDelay))" : ""))
        }
        if task.continueOnError { extras.append("continue-on-error") }
        if let fanOut = task.fanOut {
            let over = fanOut.axes.map { axis in
                switch axis {
                case .list(let name, let values): "\(name) in [\(values.joined(separator: ", "))]"
                case .lines(let name, let text): "\(name) in lines of \(display(text))"
                }
            }
            extras.append("fan-out over " + over.joined(separator: " x "))
        }
        if !task.outputs.isEmpty { extras.append("outputs \(task.outputs.joined(separator: ", "))") }
        if task.interactive { extras.append("interactive") }
        return extras
    }
}
