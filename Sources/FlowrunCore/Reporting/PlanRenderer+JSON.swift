/// `flowrun plan --format json`.
extension PlanRenderer {
    func json(_ plan: Plan, _ masker: SecretMask) -> String {
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
                        if let condition = step.conditionText { stepFields.append("\"if\":\(str(condition))") }
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
                fields.append("\"workingDirectory\":\(str(display(task.workingDirectory)))")
                fields.append("\"timeout\":\(task.timeout.map { DurationFormat.seconds($0) } ?? "null")")
                fields.append("\"retries\":\(task.retries)")
                fields.append("\"retryDelay\":\(DurationFormat.seconds(task.retryDelay))")
                fields.append("\"continueOnError\":\(task.continueOnError)")
                fields.append("\"result\":\(task.result.map { str(display($0)) } ?? "null")")
                // Only when there is something to say, so plans without targets or state read as before.
                if !task.selected { fields.append("\"selected\":false") }
                if let mark = plan.stateMarks[task.id] { fields.append("\"up_to_date\":\(JSONText.quoted(mark.rawValue))") }
                tasks.append("{\(fields.joined(separator: ","))}")
            }
            stages.append("""
                {"name":\(str(stage.name)),\(stage.origin.map { "\"from\":\(str($0.file))," } ?? "")\
                "maxParallel":\(stage.maxParallel.map(String.init) ?? "null"),\
                "failFast":\(stage.failFast),"tasks":[\(tasks.joined(separator: ","))]}
                """)
        }
        return """
            {"workflow":\(str(plan.workflowName)),"source":\(str(plan.sourcePath)),\
            "killGrace":\(DurationFormat.seconds(plan.killGrace)),\
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
}
