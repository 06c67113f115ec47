/// Runs task attempts on Slurm: each one is `srun` run under the local
/// process runner, so live output, result capture, masking, timeouts,
/// retries, fail-fast and reports work as they do locally.
///
/// With `allocation: run`, attempts are job steps (`srun --jobid=J --exact`)
/// in one allocation asked for on first use; with `allocation: task`, each is
/// a job of its own. Tasks that stay local (`sleep`, `executor: local`) go to
/// the local runner. Cancelling an attempt sends SIGTERM to its `srun`
/// (never SIGINT, which only prints status), which ends the step at once.
/// `finish()` cancels what is left of the run's jobs: call it after the run,
/// whatever way it ended.
public struct SlurmTaskRunner: TaskRunner {
    public let local: LocalTaskRunner
    public let settings: ExecutorSettings
    public let control: SlurmControl
    public let runID: String
    /// The allocation of an `allocation: run` run; nil for `allocation: task`.
    public let allocation: SlurmAllocation?
    private let tasks: [TaskID: PlannedTask]
    /// Where relative working directories are resolved (flowrun's current directory).
    private let baseDirectory: String

    /// - Parameter cluster: what the probe learned; it caps the allocation's size.
    public init(
        plan: Plan, runID: String, cluster: SlurmProbe.Cluster?, local: LocalTaskRunner = LocalTaskRunner(),
        control: SlurmControl = SlurmControl(), baseDirectory: String = SlurmTaskRunner.currentDirectory()
    ) {
        self.local = local
        self.settings = plan.executor
        self.control = control
        self.runID = runID
        self.baseDirectory = baseDirectory
        var tasks: [TaskID: PlannedTask] = [:]
        for stage in plan.stages {
            for task in stage.tasks { tasks[task.id] = task }
        }
        self.tasks = tasks
        if plan.executor.allocation == .run, let size = Self.allocationSize(plan, clusterCPUs: cluster?.cpus) {
            allocation = SlurmAllocation(
                name: SrunCommand.jobName(runID: runID, "run"), size: size, settings: plan.executor, control: control)
        } else {
            allocation = nil
        }
    }

    /// The allocation an `allocation: run` plan needs: the largest stage's
    /// concurrency (its tasks on Slurm, capped by `max-parallel`) times its
    /// largest `cpus`, capped by what the partition has; nil when nothing runs on Slurm.
    public static func allocationSize(_ plan: Plan, clusterCPUs: Int?) -> SlurmAllocation.Size? {
        var size: SlurmAllocation.Size?
        for stage in plan.stages {
            let remote = stage.tasks.filter { !$0.staysLocal }
            guard !remote.isEmpty else { continue }
            let concurrency = min(remote.count, stage.maxParallel ?? Int.max)
            let cpus = remote.map { $0.resources.cpus ?? 1 }.max() ?? 1
            var wanted = concurrency * cpus
            if let clusterCPUs, clusterCPUs > 0 { wanted = max(cpus, min(wanted, clusterCPUs)) }
            let memory = remote.compactMap(\.resources.memoryMegabytes).max().map { $0 * concurrency }
            let gpus = remote.compactMap(\.resources.gpus).max().map { $0 * concurrency }
            var next = size ?? SlurmAllocation.Size(cpus: 0)
            next.cpus = max(next.cpus, wanted)
            if let memory { next.memoryMegabytes = max(next.memoryMegabytes ?? 0, memory) }
            if let gpus { next.gpus = max(next.gpus ?? 0, gpus) }
            size = next
        }
        return size
    }

    public func run(
        _ attempt: TaskAttempt,
        onLines: @escaping @Sendable (OutputStreamKind, OutputLines) -> Void
    ) async -> ProcessOutcome {
        guard let task = tasks[attempt.id], !task.staysLocal else { return await local.run(attempt, onLines: onLines) }
        var jobID: String?
        if let allocation {
            switch await allocation.jobID() {
            case .success(let id): jobID = id
            case .failure(.allocationFailed(let reason)): return ProcessOutcome(termination: .failedToStart(reason: reason))
            }
        }
        var request = local.request(for: attempt)
        let name = SrunCommand.jobName(runID: runID, "\(attempt.stageName)-\(attempt.taskName)")
        let command = SrunCommand(
            shell: attempt.shell, script: attempt.command, environment: request.environment,
            workingDirectory: absolute(attempt.workingDirectory), resources: task.resources, settings: settings,
            jobID: jobID, jobName: name)
        request.arguments = command.arguments
        request.environment = command.environment
        // The script travels in the environment; srun gets no fd 3 (`ScriptFileForm` is for the local shell).
        request.script = nil
        request.shellFallback = nil
        // srun itself runs from `/`; the step enters the task's directory.
        request.workingDirectory = "/"
        let placement = PlacementBox()
        var outcome = await local.processes.run(request) { stream, lines in
            guard stream == .stderr else { return onLines(stream, lines) }
            let parts = ExecutorLines.split(lines)
            if let found = parts.placement { placement.set(found) }
            if !parts.task.isEmpty { onLines(.stderr, parts.task) }
            if !parts.executor.isEmpty { onLines(.executor, parts.executor) }
        }
        let report = placement.value.map(StepReport.init(line:))
        outcome.placement = report?.placement
        if report?.directoryMissing == true {
            let node = report?.placement?.node.map { " on node \($0)" } ?? ""
            outcome.termination = .failedToStart(
                reason: "working directory '\(absolute(attempt.workingDirectory))' cannot be entered\(node)")
        }
        outcome.stderr = ExecutorLines.taskText(outcome.stderr)
        let executorTail = outcome.stderrTail.filter(ExecutorLines.isExecutorLine)
        outcome.stderrTail = outcome.stderrTail.filter {
            !ExecutorLines.isExecutorLine($0) && !$0.hasPrefix(SrunCommand.placementPrefix)
        }
        if report?.directoryMissing != true {
            outcome.termination = Self.taskTermination(outcome.termination, executorLines: executorTail)
        }
        return outcome
    }

    /// srun exits with 128+N when the task died of signal N; its own
    /// `task 0: Killed`-style line (not `Exited with exit code`) says which it was.
    static func taskTermination(_ termination: ProcessOutcome.Termination, executorLines: [String]) -> ProcessOutcome.Termination {
        guard case .exited(let code) = termination, code > 128, code < 128 + 65 else { return termination }
        let signaled = executorLines.contains { $0.contains("task 0: ") && !$0.contains("Exited with exit code") }
        return signaled ? .signaled(code - 128) : termination
    }

    /// Cancels every job of this run that is left: the allocation (its steps
    /// die with it) and, by name, any job `allocation: task` left behind.
    public func finish() async {
        await allocation?.release()
        let prefix = SrunCommand.jobName(runID: runID, "")
        await control.cancel(await control.jobs(named: prefix))
        // scancel returns before the controller lets go of the jobs (they show
        // as completing for a moment): wait, bounded, until none is listed.
        for _ in 0..<100 {
            guard !(await control.jobs(named: prefix)).isEmpty else { return }
            try? await Task.sleep(for: .milliseconds(100))
        }
    }

    private func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : baseDirectory + (path == "." ? "" : "/" + path)
    }

    /// flowrun's current directory.
    public static func currentDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, buffer.count) != nil else { return "/" }
        return String(cString: buffer)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The placement line of a step, seen on a pipe reader's thread.
private final class PlacementBox: Sendable {
    private let found = Mutex<String?>(nil)
    func set(_ line: String) { found.withLock { $0 = line } }
    var value: String? { found.withLock { $0 } }
}
