/// What the kernel counted for one attempt's process: its own usage plus that
/// of the descendants it waited for (`wait4`'s rusage of the task's shell).
public struct ProcessResources: Sendable, Hashable {
    /// CPU time in user mode, seconds.
    public var userCPU: Double
    /// CPU time in kernel mode, seconds.
    public var systemCPU: Double
    /// Peak resident set size, bytes.
    public var maxRSS: Int
    /// Block input / output operations (`ru_inblock` / `ru_oublock`).
    public var readBlocks: Int
    public var writtenBlocks: Int

    public init(userCPU: Double = 0, systemCPU: Double = 0, maxRSS: Int = 0, readBlocks: Int = 0, writtenBlocks: Int = 0) {
        self.userCPU = userCPU
        self.systemCPU = systemCPU
        self.maxRSS = maxRSS
        self.readBlocks = readBlocks
        self.writtenBlocks = writtenBlocks
    }
}
