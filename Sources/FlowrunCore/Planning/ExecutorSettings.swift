/// Where a workflow's tasks run: the `executor:` key, `--executor` and `FLOWRUN_EXECUTOR`.
public struct ExecutorSettings: Sendable, Hashable {
    /// The executors flowrun knows.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case local
        case slurm
    }

    /// How a Slurm run asks for resources.
    public enum Allocation: String, Sendable, Hashable, CaseIterable {
        /// One allocation (`salloc --no-shell`) for the whole run; tasks are job steps in it.
        case run
        /// A job per task, for clusters where tasks differ a lot.
        case task
    }

    public var kind: Kind
    public var partition: String?
    public var account: String?
    public var qos: String?
    public var allocation: Allocation
    /// Extra `srun` arguments, appended as given.
    public var srunArguments: [String]

    public init(
        kind: Kind = .local, partition: String? = nil, account: String? = nil, qos: String? = nil,
        allocation: Allocation = .run, srunArguments: [String] = []
    ) {
        self.kind = kind
        self.partition = partition
        self.account = account
        self.qos = qos
        self.allocation = allocation
        self.srunArguments = srunArguments
    }
}
