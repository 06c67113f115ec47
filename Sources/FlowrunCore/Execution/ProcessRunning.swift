/// Runs one attempt of a task's process; the seam that lets the executor be
/// tested with a fake.
///
/// Contract: `run` returns when the attempt is over and its process group is
/// gone (or reported as escaped); it never throws — a process that cannot
/// start is an outcome. Cancelling the calling task ends the process group
/// (SIGTERM, then SIGKILL after `request.killGrace`) and `run` still returns
/// the outcome. `onLines` is called with batches of masked lines, in order per
/// stream, and never after `run` has returned.
public protocol ProcessRunning: Sendable {
    func run(
        _ request: ProcessRequest,
        onLines: @escaping @Sendable (OutputStreamKind, OutputLines) -> Void
    ) async -> ProcessOutcome
}

/// What to start for one attempt.
public struct ProcessRequest: Sendable {
    /// The program (looked up in `PATH` when it has no `/`) followed by its arguments.
    public var arguments: [String]
    /// Variables set on top of flowrun's own environment.
    public var environment: [(name: String, value: String)]
    public var workingDirectory: String
    public var killGrace: Duration
    /// How many bytes of stdout / stderr to keep for the result (0 keeps none).
    public var stdoutCaptureLimit: Int
    public var stderrCaptureLimit: Int
    /// Values to mask as `***` in every line handed out and in the captured text.
    public var mask: SecretMask
    /// Set when `arguments` is a direct exec of a plain command (see
    /// `DirectExec`): the shell's argument vector to run instead if the
    /// program is not found, and whose reports of a signal to imitate.
    public var shellFallback: [String]?
    /// The bytes the child reads on fd 3 (its script, see `ScriptFileForm`),
    /// or nil for no descriptor beyond 0–2.
    public var script: [UInt8]?
    /// Inherit flowrun's stdin, stdout and stderr and run in the terminal's
    /// foreground process group (given back to flowrun afterwards); no pipes, nothing captured.
    public var inheritsTerminal = false

    public init(
        arguments: [String], environment: [(name: String, value: String)] = [],
        workingDirectory: String = ".", killGrace: Duration = Plan.defaultKillGrace,
        stdoutCaptureLimit: Int = 0, stderrCaptureLimit: Int = 0, mask: SecretMask = SecretMask([])
    ) {
        self.arguments = arguments
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.killGrace = killGrace
        self.stdoutCaptureLimit = stdoutCaptureLimit
        self.stderrCaptureLimit = stderrCaptureLimit
        self.mask = mask
    }
}

/// How an attempt's process ended, and what it left behind.
public struct ProcessOutcome: Sendable, Equatable {
    /// How the direct child ended.
    public enum Termination: Sendable, Equatable {
        case exited(Int32)
        case signaled(Int32)
        /// The process could not be started (missing shell, missing directory, ...).
        case failedToStart(reason: String)
    }

    public var termination: Termination
    /// Captured stdout / stderr (masked, at most the requested limit; when
    /// more was produced, cut at the last line break within the limit).
    public var stdout: String
    public var stderr: String
    public var stdoutTruncated: Bool
    /// The last lines of stderr (masked), for failure reports.
    public var stderrTail: [String]
    /// True when a pipe was still held open after the group was killed: a
    /// descendant escaped the process group (e.g. with `setsid`).
    public var escapedDescendant: Bool
    /// Where the attempt ran when not on this machine (a Slurm job step).
    public var placement: TaskPlacement?
    /// What the process and the descendants it waited for cost (rusage); nil when not measured.
    public var resources: ResourceUsage?
    /// How long the process ran: from its spawn to the end of the attempt; nil
    /// when it never started or the runner cannot tell. The rest of an
    /// attempt's time is queueing (for a spawn, a job slot), which reports
    /// keep apart from running time.
    public var running: Duration?

    public init(
        termination: Termination, stdout: String = "", stderr: String = "",
        stdoutTruncated: Bool = false, stderrTail: [String] = [], escapedDescendant: Bool = false,
        resources: ResourceUsage? = nil, running: Duration? = nil
    ) {
        self.termination = termination
        self.stdout = stdout
        self.stderr = stderr
        self.stdoutTruncated = stdoutTruncated
        self.stderrTail = stderrTail
        self.escapedDescendant = escapedDescendant
        self.resources = resources
        self.running = running
    }
}
