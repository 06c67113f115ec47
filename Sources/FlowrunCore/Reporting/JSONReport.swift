/// The run as one JSON document (`--format json`, `--report FILE`).
///
/// Times are seconds as numbers (three decimals), offsets from the run's
/// start; a task's `result` is null when it has none; `exitCode` is the
/// status flowrun exits with.
public enum JSONReport {
    public static func render(plan: Plan, run: RunResult, exitStatus: ExitStatus) -> String {
        var out = "{\n"
        out += "  \"workflow\": \(JSONText.quoted(run.workflowName)),\n"
        out += "  \"runId\": \(JSONText.quoted(run.runID)),\n"
        out += "  \"exitCode\": \(exitStatus.rawValue),\n"
        out += "  \"succeeded\": \(run.succeeded),\n"
        out += "  \"interrupted\": \(run.interrupted),\n"
        out += "  \"plan\": {\"source\": \(JSONText.quoted(plan.sourcePath)), \"stages\": ["
        out += plan.stages.map { stage in
            "{\"name\": \(JSONText.quoted(stage.name)), \"maxParallel\": \(stage.maxParallel.map(String.init) ?? "null"), "
                + "\"failFast\": \(stage.failFast), \"tasks\": ["
                + stage.tasks.map { JSONText.quoted($0.name) }.joined(separator: ", ") + "]}"
        }.joined(separator: ", ")
        out += "]},\n"
        let parallelism = run.wallTime > .zero ? run.taskTime.seconds / run.wallTime.seconds : 0
        out += "  \"timing\": {\"wall\": \(DurationFormat.seconds(run.wallTime)), "
        out += "\"taskTime\": \(DurationFormat.seconds(run.taskTime)), "
        out += "\"parallelism\": \(DurationFormat.seconds(.milliseconds(Int((parallelism * 1000).rounded()))))" + ", "
        out += "\"criticalPath\": \(DurationFormat.seconds(run.criticalPath))},\n"
        out += "  \"stages\": [\n"
        out += run.stages.map { stage in
            "    {\"name\": \(JSONText.quoted(stage.name)), \"skipped\": \(stage.skipped), "
                + "\"started\": \(number(stage.started)), \"finished\": \(number(stage.finished)), "
                + "\"duration\": \(DurationFormat.seconds(stage.duration))}"
        }.joined(separator: ",\n")
        out += "\n  ],\n  \"tasks\": [\n"
        out += run.tasks.map(task).joined(separator: ",\n")
        out += "\n  ],\n"
        out += "  \"firstFailure\": \(JSONText.quoted(run.firstFailure?.qualifiedName)),\n"
        out += "  \"results\": [" + run.results.map { JSONText.quoted($0) }.joined(separator: ", ") + "]\n"
        out += "}\n"
        return out
    }

    private static func task(_ task: TaskResult) -> String {
        var exitCode = "null"
        var signal = "null"
        var reason = "null"
        switch task.state {
        case .succeeded: exitCode = "0"
        case .failed(let code): exitCode = String(code)
        case .killed(let number): signal = String(number)
        case .failedToStart(let text): reason = JSONText.quoted(text)
        case .outputsInvalid(let message): reason = JSONText.quoted(message.text)
        case .timedOut, .cancelled, .skipped: break
        }
        return "    {\"stage\": \(JSONText.quoted(task.stageName)), \"name\": \(JSONText.quoted(task.name)), "
            + "\"state\": \(JSONText.quoted(task.state.name)), \"exitCode\": \(exitCode), \"signal\": \(signal), "
            + "\"reason\": \(reason), \"started\": \(number(task.started)), \"finished\": \(number(task.finished)), "
            + "\"duration\": \(DurationFormat.seconds(task.duration)), \"attempts\": \(task.attempts), "
            + "\"continueOnError\": \(task.continueOnError), \"escapedDescendant\": \(task.escapedDescendant), "
            + "\"result\": \(JSONText.quoted(task.result)), "
            + (task.matrixTask.map { "\"matrixTask\": \(JSONText.quoted($0)), " } ?? "")
            + (task.outputs.isEmpty ? "" : "\"outputs\": {" + task.outputs.map {
                "\(JSONText.quoted($0.name)): \(JSONText.quoted($0.value))"
            }.joined(separator: ", ") + "}, ")
            + (task.steps.isEmpty ? "" : "\"steps\": [" + task.steps.map(step).joined(separator: ", ") + "], ")
            + "\"stderrTail\": [" + task.stderrTail.map { JSONText.quoted($0) }.joined(separator: ", ") + "]}"
    }

    private static func step(_ step: StepResult) -> String {
        "{\"name\": \(JSONText.quoted(step.name)), \"state\": \(JSONText.quoted(step.state.name)), "
            + "\"detail\": \(JSONText.quoted(RunReport.describe(step.state))), "
            + "\"started\": \(number(step.started)), \"finished\": \(number(step.finished)), "
            + "\"duration\": \(DurationFormat.seconds(step.duration)), \"continueOnError\": \(step.continueOnError)}"
    }

    private static func number(_ offset: Duration?) -> String {
        offset.map { DurationFormat.seconds($0) } ?? "null"
    }
}
