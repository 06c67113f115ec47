/// `flowrun plan` for people.
extension PlanRenderer {
    func text(_ plan: Plan, _ masker: SecretMask) -> String {
        let tasks = plan.taskCount
        var out = "plan: \(DisplayText.escaped(plan.workflowName)) (\(DisplayText.escaped(plan.sourcePath, limit: 4096)))\n"
        if let description = plan.description { out += "  \(DisplayText.escaped(masker.apply(description)))\n" }
        out += "\(count(plan.stages.count, "stage")) run one after another; \(count(tasks, "task")) in all\n"
        for stage in plan.stages {
            out += "\nstage \(stage.index + 1)/\(plan.stages.count) \(stage.name): "
            out += concurrency(stage)
            out += stage.failFast ? ", fail-fast" : ", runs all even if one fails"
            out += "\n"
            if let description = stage.description { out += "  \(DisplayText.escaped(masker.apply(description)))\n" }
            let width = min(24, stage.tasks.map { $0.name.count }.max() ?? 0)
            for task in stage.tasks {
                let padded = task.name.count < width ? task.name + String(repeating: " ", count: width - task.name.count) : task.name
                out += "  \(padded)  \(action(task, masker))"
                let extras = options(task)
                if !extras.isEmpty { out += "  [\(extras.joined(separator: ", "))]" }
                out += "\n"
                if case .steps(let steps) = task.action {
                    for (index, step) in steps.enumerated() {
                        out += "    \(index + 1). \(DisplayText.escaped(step.name))  \(stepAction(step.action, masker))"
                        var stepExtras: [String] = []
                        if let timeout = step.timeout { stepExtras.append("timeout \(DurationFormat.written(timeout))") }
                        if step.continueOnError { stepExtras.append("continue-on-error") }
                        if !stepExtras.isEmpty { out += "  [\(stepExtras.joined(separator: ", "))]" }
                        out += "\n"
                    }
                }
            }
        }
        return out
    }

    func concurrency(_ stage: PlannedStage) -> String {
        let n = stage.tasks.count
        if n == 1 { return "1 task" }
        if let cap = stage.maxParallel, cap < n {
            return cap == 1 ? "\(n) tasks one at a time" : "\(n) tasks, at most \(cap) at once"
        }
        return "\(n) tasks concurrently"
    }

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
