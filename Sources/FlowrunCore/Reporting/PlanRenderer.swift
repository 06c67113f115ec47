/// Writes a `Plan` for people (text) and for machines and pictures (JSON, DOT, Mermaid).
public struct PlanRenderer: Sendable {
    /// The forms `flowrun plan --format` offers.
    public enum Format: String, Sendable, CaseIterable {
        case text
        case json
        case dot
        case mermaid
    }

    public init() {}

    public func render(_ plan: Plan, as format: Format) -> String {
        let masker = SecretMask(plan.secretValues)
        switch format {
        case .text: return text(plan, masker)
        case .json: return json(plan, masker)
        case .dot: return dot(plan, masker)
        case .mermaid: return mermaid(plan, masker)
        }
    }

    // MARK: Text

    private func text(_ plan: Plan, _ masker: SecretMask) -> String {
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

    private func concurrency(_ stage: PlannedStage) -> String {
        let n = stage.tasks.count
        if n == 1 { return "1 task" }
        if let cap = stage.maxParallel, cap < n {
            return cap == 1 ? "\(n) tasks one at a time" : "\(n) tasks, at most \(cap) at once"
        }
        return "\(n) tasks concurrently"
    }

    private func action(_ task: PlannedTask, _ masker: SecretMask) -> String {
        stepAction(task.action, masker)
    }

    private func stepAction(_ action: PlannedTask.Action, _ masker: SecretMask) -> String {
        switch action {
        case .steps(let steps): return steps.count == 1 ? "1 step" : "\(steps.count) steps"
        case .sleep(let duration): return "sleep \(DurationFormat.written(duration))"
        case .run(let command, let shell):
            let shown = DisplayText.escaped(masker.apply(display(command)), limit: 160)
            return shell == NamedShell.defaultArguments ? "run: \(shown)" : "run (\(shell.joined(separator: " "))): \(shown)"
        }
    }

    private func options(_ task: PlannedTask) -> [String] {
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

    /// The text with holes shown as the expressions that fill them.
    func display(_ text: PlannedText) -> String {
        var out = ""
        for part in text.parts {
            switch part {
            case .text(let s): out += s
            case .taskResult(let stage, let task): out += "${{ stages.\(stage).tasks.\(task).result }}"
            case .taskResults(let stage, let task): out += "${{ stages.\(stage).tasks.\(task).results }}"
            case .taskOutput(let stage, let task, let name): out += "${{ stages.\(stage).tasks.\(task).outputs.\(name) }}"
            case .matrix(let key): out += "${{ matrix.\(key) }}"
            case .ownOutput(let output): out += "${{ \(output.rawValue) }}"
            }
        }
        return out
    }

    private func count(_ n: Int, _ noun: String) -> String { n == 1 ? "1 \(noun)" : "\(n) \(noun)s" }

    // MARK: JSON

    private func json(_ plan: Plan, _ masker: SecretMask) -> String {
        func str(_ s: String) -> String { JSONText.quoted(masker.apply(s)) }
        var stages: [String] = []
        for stage in plan.stages {
            var tasks: [String] = []
            for task in stage.tasks {
                var fields = ["\"name\":\(str(task.name))"]
                fields += actionFields(task.action, str)
                if case .steps(let steps) = task.action {
                    let list = steps.map { step in
                        var stepFields = ["\"name\":\(str(step.name))"] + actionFields(step.action, str)
                        stepFields.append("\"working_directory\":\(str(display(step.workingDirectory)))")
                        stepFields.append("\"timeout\":\(step.timeout.map { DurationFormat.seconds($0) } ?? "null")")
                        stepFields.append("\"continue_on_error\":\(step.continueOnError)")
                        return "{\(stepFields.joined(separator: ","))}"
                    }
                    fields.append("\"steps\":[\(list.joined(separator: ","))]")
                }
                if let fanOut = task.fanOut {
                    let axes = fanOut.axes.map { axis in
                        switch axis {
                        case .list(let name, let values): "\(str(name)):[\(values.map(str).joined(separator: ","))]"
                        case .lines(let name, let text): "\(str(name)):\(str(display(text)))"
                        }
                    }
                    fields.append("\"fan_out\":{\(axes.joined(separator: ","))}")
                }
                if !task.outputs.isEmpty { fields.append("\"outputs\":[\(task.outputs.map(str).joined(separator: ","))]") }
                if task.interactive { fields.append("\"interactive\":true") }
                let env = task.environment.map { "\(str($0.name)):\(str(display($0.value)))" }
                fields.append("\"env\":{\(env.joined(separator: ","))}")
                fields.append("\"working_directory\":\(str(display(task.workingDirectory)))")
                fields.append("\"timeout\":\(task.timeout.map { DurationFormat.seconds($0) } ?? "null")")
                fields.append("\"retries\":\(task.retries)")
                fields.append("\"retry_delay\":\(DurationFormat.seconds(task.retryDelay))")
                fields.append("\"continue_on_error\":\(task.continueOnError)")
                fields.append("\"result\":\(task.result.map { str(display($0)) } ?? "null")")
                tasks.append("{\(fields.joined(separator: ","))}")
            }
            stages.append("""
                {"name":\(str(stage.name)),"max_parallel":\(stage.maxParallel.map(String.init) ?? "null"),\
                "fail_fast":\(stage.failFast),"tasks":[\(tasks.joined(separator: ","))]}
                """)
        }
        return """
            {"workflow":\(str(plan.workflowName)),"source":\(str(plan.sourcePath)),\
            "kill_grace":\(DurationFormat.seconds(plan.killGrace)),\
            "stages":[\(stages.joined(separator: ","))]}

            """
    }

    private func actionFields(_ action: PlannedTask.Action, _ str: (String) -> String) -> [String] {
        switch action {
        case .sleep(let d): ["\"sleep\":\(DurationFormat.seconds(d))"]
        case .run(let command, let shell): ["\"run\":\(str(display(command)))", "\"shell\":[\(shell.map(str).joined(separator: ","))]"]
        case .steps: []
        }
    }

    // MARK: Pictures

    private func dot(_ plan: Plan, _ masker: SecretMask) -> String {
        func quote(_ s: String) -> String {
            "\"" + masker.apply(s).replacing("\\", with: "\\\\").replacing("\"", with: "\\\"").replacing("\n", with: "\\n") + "\""
        }
        var out = "digraph \(quote(plan.workflowName)) {\n  rankdir=LR;\n  node [shape=box];\n"
        for stage in plan.stages {
            out += "  subgraph cluster_\(stage.index) {\n    label=\(quote("\(stage.index + 1). \(stage.name)"));\n"
            for task in stage.tasks {
                out += "    \"t\(stage.index)_\(task.id.task)\" [label=\(quote(task.name + "\n" + action(task, masker)))];\n"
            }
            out += "  }\n"
        }
        for (a, b) in zip(plan.stages, plan.stages.dropFirst()) {
            for from in a.tasks {
                for to in b.tasks { out += "  \"t\(a.index)_\(from.id.task)\" -> \"t\(b.index)_\(to.id.task)\";\n" }
            }
        }
        return out + "}\n"
    }

    private func mermaid(_ plan: Plan, _ masker: SecretMask) -> String {
        func label(_ s: String) -> String {
            "\"" + masker.apply(s).replacing("\"", with: "#quot;").replacing("\n", with: " ") + "\""
        }
        var out = "flowchart LR\n"
        for stage in plan.stages {
            out += "  subgraph s\(stage.index)[\(label("\(stage.index + 1). \(stage.name)"))]\n"
            for task in stage.tasks {
                out += "    t\(stage.index)_\(task.id.task)[\(label(task.name + ": " + action(task, masker)))]\n"
            }
            out += "  end\n"
        }
        for (a, b) in zip(plan.stages, plan.stages.dropFirst()) { out += "  s\(a.index) --> s\(b.index)\n" }
        return out
    }
}
