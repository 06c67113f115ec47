/// Where an attempt ran, when the executor is not this machine: the Slurm job,
/// step and node. Reports name them.
public struct TaskPlacement: Sendable, Hashable {
    public var executor: ExecutorSettings.Kind
    public var jobID: String
    public var stepID: String?
    public var node: String?

    public init(executor: ExecutorSettings.Kind, jobID: String, stepID: String? = nil, node: String? = nil) {
        self.executor = executor
        self.jobID = jobID
        self.stepID = stepID
        self.node = node
    }
}
