/// How tasks' live output is shown while a workflow runs (`--output`).
public enum OutputMode: String, Sendable, CaseIterable {
    /// Each line as `[stage/task] line` (stderr: `[stage/task:err] line`; the executor's own lines, e.g. `srun: …`: `[stage/task:executor] line`) as it comes. The default.
    case prefixed
    /// Each task's output as one block when the task ends, in completion order.
    case grouped
    /// No live output; only the report.
    case quiet
}
