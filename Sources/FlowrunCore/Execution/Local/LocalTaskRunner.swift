#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs task attempts as process groups on this machine, through a
/// `ProcessRunning` (the real `ProcessRunner`, or a fake in tests).
public struct LocalTaskRunner: TaskRunner {
    public var processes: any ProcessRunning
    /// Bytes of a task's stdout/stderr kept for its result; longer output is cut there.
    public var resultCaptureLimit: Int
    /// Whether a plain command may skip the shell (`DirectExec`); off for
    /// the differential tests' shell side. `FLOWRUN_DIRECT_EXEC=0` turns it off.
    public var directExec: Bool

    public init(
        processes: any ProcessRunning = ProcessRunner(), resultCaptureLimit: Int = 1 << 20,
        directExec: Bool = LocalTaskRunner.directExecByDefault
    ) {
        self.processes = processes
        self.resultCaptureLimit = resultCaptureLimit
        self.directExec = directExec
    }

    public static let directExecByDefault: Bool = {
        guard let value = getenv("FLOWRUN_DIRECT_EXEC") else { return true }
        return String(cString: value) != "0"
    }()

    public func run(
        _ attempt: TaskAttempt,
        onLines: @escaping @Sendable (OutputStreamKind, OutputLines) -> Void
    ) async -> ProcessOutcome {
        await processes.run(request(for: attempt), onLines: onLines)
    }

    /// The process for `attempt`: `shell + [command]`, or the shell reading
    /// the command on fd 3 (`ScriptFileForm`) when it holds a secret or is
    /// long, with the task's variables and then the `FLOWRUN_*` ones, which
    /// identify its processes.
    func request(for attempt: TaskAttempt) -> ProcessRequest {
        let identity = [
            ("FLOWRUN_WORKFLOW", attempt.workflowName), ("FLOWRUN_STAGE", attempt.stageName),
            ("FLOWRUN_TASK", attempt.taskName), ("FLOWRUN_RUN_ID", attempt.runID),
        ]
        let fileForm = ScriptFileForm.isUsed(for: attempt.command, mask: attempt.mask)
            ? ScriptFileForm.arguments(shell: attempt.shell, command: attempt.command) : nil
        let shellArguments = fileForm?.arguments ?? attempt.shell + [attempt.command]
        let direct = directExec && !attempt.interactive && fileForm == nil
            ? DirectExec.arguments(
                command: attempt.command, shell: attempt.shell, shellIsExplicit: attempt.shellIsExplicit, mask: attempt.mask)
            : nil
        var request = ProcessRequest(
            arguments: direct ?? shellArguments,
            environment: attempt.environment + identity,
            workingDirectory: attempt.workingDirectory,
            killGrace: attempt.killGrace,
            stdoutCaptureLimit: attempt.keepsStdout ? resultCaptureLimit : 0,
            stderrCaptureLimit: attempt.keepsStderr ? resultCaptureLimit : 0,
            mask: attempt.mask)
        if direct != nil { request.shellFallback = shellArguments }
        request.script = fileForm?.script
        request.inheritsTerminal = attempt.interactive
        return request
    }
}
