/// The check made before any task starts (and by `plan --executor slurm`):
/// are Slurm's commands installed, does the controller answer, does the
/// partition exist. Learns how many CPUs the partition has, to size the
/// run's allocation.
public struct SlurmProbe: Sendable {
    /// What the cluster offers, as far as a run needs to know.
    public struct Cluster: Sendable, Equatable {
        /// The partition tasks go to (the cluster's default when none is named).
        public var partition: String
        /// Its CPUs, over all its nodes.
        public var cpus: Int
    }

    /// Why Slurm cannot be used.
    public enum Problem: Error, Sendable, Equatable {
        case notInstalled(program: String)
        case unreachable(reason: String)
        case unknownPartition(String, known: [String])
    }

    public var control: SlurmControl

    public init(control: SlurmControl = SlurmControl()) {
        self.control = control
    }

    public func check(_ settings: ExecutorSettings) async -> Result<Cluster, Problem> {
        for program in ["srun", "salloc", "sinfo", "squeue", "scancel"] where !SlurmControl.isInstalled(program) {
            return .failure(.notInstalled(program: program))
        }
        let reply = await control.run(["sinfo", "--noheader", "--format=%P %C"])
        guard reply.succeeded else { return .failure(.unreachable(reason: reply.problem)) }
        return Self.cluster(fromSinfo: reply.stdout, partition: settings.partition)
    }

    /// Reads `sinfo --format='%P %C'` (`debug* 0/8/0/8`: the default partition
    /// is starred, the last CPU figure is the total).
    public static func cluster(fromSinfo text: String, partition wanted: String?) -> Result<Cluster, Problem> {
        var partitions: [(name: String, isDefault: Bool, cpus: Int)] = []
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count == 2 else { continue }
            let isDefault = fields[0].hasSuffix("*")
            let name = String(isDefault ? fields[0].dropLast() : fields[0])
            let cpus = fields[1].split(separator: "/").last.flatMap { Int($0) } ?? 0
            partitions.append((name, isDefault, cpus))
        }
        let chosen = wanted.map { name in partitions.first { $0.name == name } } ?? partitions.first { $0.isDefault }
        guard let chosen else {
            if let wanted { return .failure(.unknownPartition(wanted, known: partitions.map(\.name))) }
            return .failure(.unreachable(reason: "the cluster has no default partition; name one with executor.partition"))
        }
        return .success(Cluster(partition: chosen.name, cpus: chosen.cpus))
    }
}

extension SlurmProbe.Problem {
    /// 2 for a workflow problem (a partition the cluster lacks), 69 for a cluster that cannot be used.
    public var exitStatus: ExitStatus {
        if case .unknownPartition = self { return .invalidWorkflow }
        return .unavailable
    }
}
