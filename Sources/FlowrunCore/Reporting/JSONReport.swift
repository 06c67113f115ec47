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
        for index in run.tasks.indices {
            if index > 0 { out.write(",\n") }
            write(task: run.tasks[index], to: &out)
        }
        out.write("\n  ],\n")
        out.write("  \"firstFailure\": \(JSONText.quoted(run.firstFailure?.qualifiedName)),\n")
        out.write("  \"results\": [")
        for index in run.tasks.indices {
            if index > 0 { out.write(", ") }
            if let result = run.tasks[index].result { JSONText.write(result, to: &out) } else { out.write("null") }
        }
        out.write("]\n")
        out.write("}\n")
    }

    /// One entry of `tasks`, piece by piece (a String per task cost 49 MB of pieces at 100,000 tasks).
    private static func write<Out: TextOutputStream>(task: TaskResult, to out: inout Out) {
        var (exitCode, signal, reason) = ending(task.state)
        if let why = task.reason { reason = JSONText.quoted(why.rawValue) }
        out.write("    {\"stage\": ")
        JSONText.write(task.stageName, to: &out)
        out.write(", \"name\": ")
        JSONText.write(task.name, to: &out)
        out.write(", \"state\": \"")
        out.write(task.state.name)
        out.write("\", \"exitCode\": ")
        out.write(exitCode)
        out.write(", \"signal\": ")
        out.write(signal)
        out.write(", \"reason\": ")
        out.write(reason)
        out.write(", \"started\": ")
        out.write(number(task.started))
        out.write(", \"finished\": ")
        out.write(number(task.finished))
        out.write(", \"duration\": ")
        out.write(DurationFormat.seconds(task.duration))
        out.write(", \"attempts\": ")
        out.write(String(task.attempts))
        out.write(task.continueOnError ? ", \"continueOnError\": true" : ", \"continueOnError\": false")
        out.write(task.escapedDescendant ? ", \"escapedDescendant\": true" : ", \"escapedDescendant\": false")
        out.write(", \"result\": ")
        if let result = task.result { JSONText.write(result, to: &out) } else { out.write("null") }
        out.write(", ")
        if task.resultTruncated { out.write("\"resultTruncated\": true, ") }
        if let matrixTask = task.matrixTask { out.write("\"matrixTask\": \(JSONText.quoted(matrixTask)), ") }
        if !task.outputs.isEmpty {
            out.write("\"outputs\": {" + task.outputs.map {
                "\(JSONText.quoted($0.name)): \(JSONText.quoted($0.value))"
            }.joined(separator: ", ") + "}, ")
        }
        if !task.steps.isEmpty { out.write("\"steps\": [" + task.steps.map(step).joined(separator: ", ") + "], ") }
        out.write("\"stderrTail\": [")
        for (index, line) in task.stderrTail.enumerated() {
            if index > 0 { out.write(", ") }
            JSONText.write(line, to: &out)
        }
        out.write("], \"queued\": ")
        out.write(number(task.queued))
        out.write(", \"resources\": ")
        out.write(resources(task.resources))
        out.write(", \"attemptSpans\": [")
        for (index, span) in task.attemptSpans.enumerated() {
            if index > 0 { out.write(", ") }
            write(attempt: span, to: &out)
        }
        out.write("]")
        out.write(placement(task.placement))
        out.write("}")
    }

    private static func write<Out: TextOutputStream>(attempt span: AttemptSpan, to out: inout Out) {
        let (exitCode, signal, _) = ending(span.state)
        out.write("{\"attempt\": ")
        out.write(String(span.attempt))
        out.write(", \"state\": \"")
        out.write(span.state.name)
        out.write("\", \"exitCode\": ")
        out.write(exitCode)
        out.write(", \"signal\": ")
        out.write(signal)
        out.write(", \"started\": ")
        out.write(DurationFormat.seconds(span.started))
        out.write(", \"finished\": ")
        out.write(DurationFormat.seconds(span.finished))
        out.write(", \"resources\": ")
        out.write(resources(span.resources))
        out.write("}")
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
