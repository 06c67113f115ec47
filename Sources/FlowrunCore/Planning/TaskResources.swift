/// What a task asks of the machine that runs it: `resources:` in a task or in `defaults`.
///
/// On Slurm each becomes an `srun` option; locally only `cpus` matters, as
/// that many slots against `--jobs` and `max-parallel`. Nil means "not asked".
public struct TaskResources: Sendable, Hashable {
    public var cpus: Int?
    /// Megabytes (`512M` is 512, `4G` is 4096).
    public var memoryMegabytes: Int?
    public var gpus: Int?
    public var time: Duration?

    public init(cpus: Int? = nil, memoryMegabytes: Int? = nil, gpus: Int? = nil, time: Duration? = nil) {
        self.cpus = cpus
        self.memoryMegabytes = memoryMegabytes
        self.gpus = gpus
        self.time = time
    }

    /// Each value of `self`, or `fallback`'s where `self` asks nothing (a task over its defaults).
    public func over(_ fallback: TaskResources) -> TaskResources {
        TaskResources(
            cpus: cpus ?? fallback.cpus, memoryMegabytes: memoryMegabytes ?? fallback.memoryMegabytes,
            gpus: gpus ?? fallback.gpus, time: time ?? fallback.time)
    }

    /// Slots the task takes against a concurrency cap: its CPUs, at least one.
    public var slots: Int { max(1, cpus ?? 1) }

    /// Whole minutes for `srun --time`: the duration rounded up, plus one, so
    /// that flowrun's own (finer) timer always fires first.
    public static func slurmMinutes(_ duration: Duration) -> Int {
        let seconds = duration.components.seconds + (duration.components.attoseconds > 0 ? 1 : 0)
        return Int((seconds + 59) / 60) + 1
    }
}
