/// What an attempt's processes cost, from the kernel's own accounting
/// (`wait4`'s rusage of the task's shell, which covers the descendants it waited for).
///
/// Optional everywhere it appears: a sleep task, a process that never
/// started, or a runner that cannot measure (a fake, a remote executor)
/// has none.
public struct ResourceUsage: Sendable, Equatable, Hashable {
    /// CPU time spent in user mode.
    public var userCPU: Duration
    /// CPU time spent in the kernel on the processes' behalf.
    public var systemCPU: Duration
    /// Peak resident set size, in bytes (the largest single process, as the kernel reports it).
    public var maxRSS: Int
    /// Blocks read from and written to storage (`ru_inblock`, `ru_oublock`; 512-byte units on Linux).
    public var readBlocks: Int
    public var writtenBlocks: Int

    public init(userCPU: Duration = .zero, systemCPU: Duration = .zero, maxRSS: Int = 0, readBlocks: Int = 0, writtenBlocks: Int = 0) {
        self.userCPU = userCPU
        self.systemCPU = systemCPU
        self.maxRSS = maxRSS
        self.readBlocks = readBlocks
        self.writtenBlocks = writtenBlocks
    }

    /// User plus system CPU.
    public var cpu: Duration { userCPU + systemCPU }

    /// Two attempts (or tasks) together: times and blocks add up, the peak is the larger one.
    public func combined(with other: ResourceUsage) -> ResourceUsage {
        ResourceUsage(
            userCPU: userCPU + other.userCPU, systemCPU: systemCPU + other.systemCPU,
            maxRSS: max(maxRSS, other.maxRSS),
            readBlocks: readBlocks + other.readBlocks, writtenBlocks: writtenBlocks + other.writtenBlocks)
    }

    /// The combination of every measured usage; nil when none was measured.
    public static func combined(_ usages: some Sequence<ResourceUsage?>) -> ResourceUsage? {
        usages.reduce(nil as ResourceUsage?) { sum, usage in
            guard let usage else { return sum }
            return sum.map { $0.combined(with: usage) } ?? usage
        }
    }
}
