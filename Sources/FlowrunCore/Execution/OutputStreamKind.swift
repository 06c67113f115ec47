/// Which of a task's output streams a line came from.
public enum OutputStreamKind: String, Sendable, Hashable {
    case stdout
    case stderr
    /// The executor's own lines about the task (`srun: …`, `slurmstepd: …`), not the task's.
    case executor
}
