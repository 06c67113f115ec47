/// The `TaskRunner` a plan's executor needs, checked and ready before any
/// task starts: the local runner, or the Slurm runner once the cluster has
/// answered. `finish()` ends what the runner left on the executor (the run's
/// Slurm jobs); call it after the run however it ended.
public struct RunnerSetup: Sendable {
    public let runner: any TaskRunner
    /// The cluster the probe found; nil for a local run.
    public let cluster: SlurmProbe.Cluster?
    private let slurm: SlurmTaskRunner?

    /// Checks the executor `plan` names and builds its runner.
    /// Fails with what is wrong (exit 69 for a cluster that cannot be used, 2 for an unknown partition).
    public static func prepare(
        _ plan: Plan, runID: String, local: LocalTaskRunner = LocalTaskRunner(), control: SlurmControl = SlurmControl()
    ) async -> Result<RunnerSetup, SlurmProbe.Problem> {
        guard needsProbe(plan) else { return .success(RunnerSetup(runner: local, cluster: nil, slurm: nil)) }
        switch await SlurmProbe(control: control).check(plan.executor) {
        case .failure(let problem):
            return .failure(problem)
        case .success(let cluster):
            let slurm = SlurmTaskRunner(plan: plan, runID: runID, cluster: cluster, local: local, control: control)
            return .success(RunnerSetup(runner: slurm, cluster: cluster, slurm: slurm))
        }
    }

    /// The setup of a local run: no check, nothing to finish.
    public static let local = RunnerSetup(runner: LocalTaskRunner(), cluster: nil, slurm: nil)

    /// True when some task of `plan` goes to Slurm, so the cluster must be checked first.
    public static func needsProbe(_ plan: Plan) -> Bool {
        plan.executor.kind == .slurm && plan.stages.contains { $0.tasks.contains { !$0.staysLocal } }
    }

    /// Cancels every Slurm job of the run that is still there.
    public func finish() async {
        await slurm?.finish()
    }
}

extension SlurmProbe.Problem {
    /// The problem as a diagnostic (about the workflow file, unlocated).
    public var diagnostic: Diagnostic {
        switch self {
        case .notInstalled(let program):
            .error(.executorNotInstalled(executor: "slurm", program: program), at: nil)
        case .unreachable(let reason):
            .error(.clusterUnreachable(reason: reason), at: nil)
        case .unknownPartition(let name, let known):
            .error(.unknownPartition(name, known: known, suggestion: Spelling.closest(to: name, among: known)), at: nil)
        }
    }
}
