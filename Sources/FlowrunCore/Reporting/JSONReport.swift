/// The run as one JSON document (`--format json`, `--report FILE`).
///
/// Times are seconds as numbers (three decimals), offsets from the run's
/// start; a task's `result` is null when it has none; `exitCode` is the
/// status flowrun exits with. `resources` (rusage: CPU seconds, peak RSS in
/// bytes, blocks) is null when nothing was measured; a task's `queued` is the
/// time from its stage's start to its first attempt's process, which
/// `parallelism` (task time over wall time) leaves out.
public enum JSONReport {
    public static func render(plan: Plan, run: RunResult, exitStatus: ExitStatus) -> String {
        var out = ""
        write(plan: plan, run: run, exitStatus: exitStatus, to: &out)
        return out
    }

    /// The same document written piece by piece, so that a 100,000-task
    /// report (45 MB) goes to its file without ever being one String.
    public static func write<Out: TextOutputStream>(plan: Plan, run: RunResult, exitStatus: ExitStatus, to out: inout Out) {
        out.write("{\n")
        out.write("  \"workflow\": \(JSONText.quoted(run.workflowName)),\n")
        out.write("  \"runId\": \(JSONText.quoted(run.runID)),\n")
        out.write("  \"exitCode\": \(exitStatus.rawValue),\n")
        out.write("  \"succeeded\": \(run.succeeded),\n")
        out.write("  \"interrupted\": \(run.interrupted),\n")
        out.write("  \"plan\": {\"source\": \(JSONText.quoted(plan.sourcePath)), \"stages\": [")
        for (index, stage) in plan.stages.enumerated() {
            if index > 0 { out.write(", ") }
            out.write("{\"name\": \(JSONText.quoted(stage.name)), \"maxParallel\": \(stage.maxParallel.map(String.init) ?? "null"), "
                + "\"failFast\": \(stage.failFast), \"tasks\": [")
            for (position, task) in stage.tasks.enumerated() {
                if position > 0 { out.write(", ") }
                out.write(JSONText.quoted(task.name))
            }
            out.write("]}")
        }
        out.write("]},\n")
        let parallelism = run.parallelism
        out.write("  \"timing\": {\"wall\": \(DurationFormat.seconds(run.wallTime)), ")
        out.write("\"taskTime\": \(DurationFormat.seconds(run.taskTime)), ")
        out.write("\"parallelism\": \(DurationFormat.seconds(.milliseconds(Int((parallelism * 1000).rounded()))))" + ", ")
        out.write("\"criticalPath\": \(DurationFormat.seconds(run.criticalPath)), ")
        out.write("\"queued\": \(DurationFormat.seconds(run.queuedTime)), ")
        out.write("\"totalCPU\": \(number(run.totalCPU)), ")
        out.write("\"peakConcurrency\": \(run.peakConcurrency)},\n")
        out.write("  \"stages\": [\n")
        out.write(run.stages.map { stage in
            "    {\"name\": \(JSONText.quoted(stage.name)), \"skipped\": \(stage.skipped), "
                + "\"started\": \(number(stage.started)), \"finished\": \(number(stage.finished)), "
                + "\"duration\": \(DurationFormat.seconds(stage.duration))}"
        }.joined(separator: ",\n"))
        out.write("\n  ],\n  \"tasks\": [\n")
        for (index, result) in run.tasks.enumerated() {
            if index > 0 { out.write(",\n") }
            out.write(task(result))
        }
        out.write("\n  ],\n")
        out.write("  \"firstFailure\": \(JSONText.quoted(run.firstFailure?.qualifiedName)),\n")
        out.write("  \"results\": [")
        for (index, result) in run.tasks.enumerated() {
            if index > 0 { out.write(", ") }
            out.write(JSONText.quoted(result.result))
        }
        out.write("]\n")
        out.write("}\n")
    }

    private static func task(_ task: TaskResult) -> String {
        var (exitCode, signal, reason) = ending(task.state)
        if let why = task.reason { reason = JSONText.quoted(why.rawValue) }
        return "    {\"stage\": \(JSONText.quoted(task.stageName)), \"name\": \(JSONText.quoted(task.name)), "
            + "\"state\": \(JSONText.quoted(task.state.name)), \"exitCode\": \(exitCode), \"signal\": \(signal), "
            + "\"reason\": \(reason), \"started\": \(number(task.started)), \"finished\": \(number(task.finished)), "
            + "\"duration\": \(DurationFormat.seconds(task.duration)), \"attempts\": \(task.attempts), "
            + "\"continueOnError\": \(task.continueOnError), \"escapedDescendant\": \(task.escapedDescendant), "
            + "\"result\": \(JSONText.quoted(task.result)), "
            + (task.resultTruncated ? "\"resultTruncated\": true, " : "")
            + (task.matrixTask.map { "\"matrixTask\": \(JSONText.quoted($0)), " } ?? "")
            + (task.outputs.isEmpty ? "" : "\"outputs\": {" + task.outputs.map {
                "\(JSONText.quoted($0.name)): \(JSONText.quoted($0.value))"
            }.joined(separator: ", ") + "}, ")
            + (task.steps.isEmpty ? "" : "\"steps\": [" + task.steps.map(step).joined(separator: ", ") + "], ")
            + "\"stderrTail\": [" + task.stderrTail.map { JSONText.quoted($0) }.joined(separator: ", ") + "], "
            + "\"queued\": \(number(task.queued)), \"resources\": \(resources(task.resources)), "
            + "\"attemptSpans\": [" + task.attemptSpans.map(attempt).joined(separator: ", ") + "]"
            + placement(task.placement) + "}"
    }

    private static func attempt(_ span: AttemptSpan) -> String {
        let (exitCode, signal, _) = ending(span.state)
        return "{\"attempt\": \(span.attempt), \"state\": \(JSONText.quoted(span.state.name)), "
            + "\"exitCode\": \(exitCode), \"signal\": \(signal), "
            + "\"started\": \(DurationFormat.seconds(span.started)), \"finished\": \(DurationFormat.seconds(span.finished)), "
            + "\"resources\": \(resources(span.resources))}"
    }

    /// `exitCode`, `signal` and `reason` as JSON values.
    private static func ending(_ state: TaskState) -> (String, String, String) {
        switch state {
        case .succeeded: ("0", "null", "null")
        case .failed(let code): (String(code), "null", "null")
        case .killed(let number): ("null", String(number), "null")
        case .failedToStart(let text): ("null", "null", JSONText.quoted(text))
        case .outputsInvalid(let message): ("null", "null", JSONText.quoted(message.text))
        case .timedOut, .cancelled, .skipped, .upToDate: ("null", "null", "null")
        }
    }

    /// `{"userCPU": s, "systemCPU": s, "maxRSS": bytes, "readBlocks": n, "writtenBlocks": n}`, or `null`.
    static func resources(_ usage: ResourceUsage?) -> String {
        guard let usage else { return "null" }
        return "{\"userCPU\": \(DurationFormat.seconds(usage.userCPU)), \"systemCPU\": \(DurationFormat.seconds(usage.systemCPU)), "
            + "\"maxRSS\": \(usage.maxRSS), \"readBlocks\": \(usage.readBlocks), \"writtenBlocks\": \(usage.writtenBlocks)}"
    }

    private static func step(_ step: StepResult) -> String {
        "{\"name\": \(JSONText.quoted(step.name)), \"state\": \(JSONText.quoted(step.state.name)), "
            + "\"detail\": \(JSONText.quoted(RunReport.describe(step))), \"reason\": \(JSONText.quoted(step.reason?.rawValue)), "
            + "\"started\": \(number(step.started)), \"finished\": \(number(step.finished)), "
            + "\"duration\": \(DurationFormat.seconds(step.duration)), \"continueOnError\": \(step.continueOnError), "
            + "\"resources\": \(resources(step.resources))}"
    }

    /// `, "executor": {...}` for a task that ran on a cluster; nothing for a local one
    /// (so local reports are unchanged).
    private static func placement(_ placement: TaskPlacement?) -> String {
        guard let placement else { return "" }
        return ", \"executor\": {\"name\": \(JSONText.quoted(placement.executor.rawValue)), "
            + "\"job\": \(JSONText.quoted(placement.jobID)), \"step\": \(JSONText.quoted(placement.stepID)), "
            + "\"node\": \(JSONText.quoted(placement.node))}"
    }

    private static func number(_ offset: Duration?) -> String {
        offset.map { DurationFormat.seconds($0) } ?? "null"
    }
}
