/// Runs task attempts as process groups on this machine, through a
/// `ProcessRunning` (the real `ProcessRunner`, or a fake in tests).
public struct LocalTaskRunner: TaskRunner {
    public var processes: any ProcessRunning
    /// Bytes of a task's stdout/stderr kept for its result; longer output is cut there.
    public var resultCaptureLimit: Int

    public init(processes: any ProcessRunning = ProcessRunner(), resultCaptureLimit: Int = 1 << 20) {
        self.processes = processes
        self.resultCaptureLimit = resultCaptureLimit
    }

    public func run(
        _ attempt: TaskAttempt,
        onLines: @escaping @Sendable (OutputStreamKind, OutputLines) -> Void
    ) async -> ProcessOutcome {
        await processes.run(request(for: attempt), onLines: onLines)
    }

    /// The process for `attempt`: `shell + [command]`, with the task's
    /// variables and then the `FLOWRUN_*` ones, which identify its processes.
    func request(for attempt: TaskAttempt) -> ProcessRequest {
        let identity = [
            ("FLOWRUN_WORKFLOW", attempt.workflowName), ("FLOWRUN_STAGE", attempt.stageName),
            ("FLOWRUN_TASK", attempt.taskName), ("FLOWRUN_RUN_ID", attempt.runID),
        ]
        var request = ProcessRequest(
            arguments: attempt.shell + [attempt.command],
            environment: attempt.environment + identity,
            workingDirectory: attempt.workingDirectory,
            killGrace: attempt.killGrace,
            stdoutCaptureLimit: attempt.keepsStdout ? resultCaptureLimit : 0,
            stderrCaptureLimit: attempt.keepsStderr ? resultCaptureLimit : 0,
            mask: attempt.mask)
        request.inheritsTerminal = attempt.interactive
        return request
    }
}
