/// flowrun's process exit status: the one place where the numbers are defined.
public enum ExitStatus: Int32, Sendable, CaseIterable {
    /// Every task succeeded (or failed with `continue-on-error`).
    case success = 0
    /// The workflow ran and a task failed.
    case taskFailed = 1
    /// The workflow file was invalid or unreadable.
    case invalidWorkflow = 2
    /// The command line was wrong.
    case usage = 64
    /// The executor cannot be reached (no `srun`, the Slurm controller down), `EX_UNAVAILABLE`.
    case unavailable = 69
    /// Interrupted by SIGHUP (128 + 1).
    case hangup = 129
    /// Interrupted by SIGINT (128 + 2).
    case interrupted = 130
    /// Interrupted by SIGTERM (128 + 15).
    case terminated = 143

    /// The status for a run ended by `signal`, or nil for a signal flowrun does not handle.
    public init?(interruptedBy signal: Int32) {
        switch signal {
        case 1: self = .hangup
        case 2: self = .interrupted
        case 15: self = .terminated
        default: return nil
        }
    }
}
