/// Splits the lines of an `srun` process into the task's own and Slurm's
/// (`srun: …`, `slurmstepd: …`), and picks out where the step ran.
struct ExecutorLines: Sendable {
    static let prefixes = ["srun: ", "slurmstepd: ", "slurmstepd-"]

    static func isExecutorLine(_ line: String) -> Bool {
        prefixes.contains { line.hasPrefix($0) }
    }

    /// The task's lines, Slurm's lines, and the step's placement line if the batch held it.
    static func split(_ lines: OutputLines) -> (task: OutputLines, executor: OutputLines, placement: String?) {
        var task = OutputLines()
        var executor = OutputLines()
        var placement: String?
        for index in lines.indices {
            let range = lines.start(of: index)..<lines.ends[index]
            let bytes = lines.bytes[range]
            if bytes.starts(with: SrunCommand.placementPrefix.utf8) {
                placement = lines[index]
            } else if prefixes.contains(where: { bytes.starts(with: $0.utf8) }) {
                executor.append(bytesOf: bytes)
            } else {
                task.append(bytesOf: bytes)
            }
        }
        return (task, executor, placement)
    }

    /// `text` without Slurm's lines (for captured stderr and failure tails).
    static func taskText(_ text: String) -> String {
        guard text.contains("srun: ") || text.contains("slurmstepd") || text.contains(SrunCommand.placementPrefix) else {
            return text
        }
        var kept: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let string = String(line)
            if isExecutorLine(string) || string.hasPrefix(SrunCommand.placementPrefix) { continue }
            kept.append(line)
        }
        return kept.joined(separator: "\n")
    }
}

/// The step's own report, `flowrun-slurm: job=12 step=3 node=n1` (with
/// `directory=missing` when it could not enter the working directory).
struct StepReport: Sendable, Equatable {
    var placement: TaskPlacement?
    var directoryMissing: Bool

    init(line: String) {
        var fields: [Substring: Substring] = [:]
        for word in line.dropFirst(SrunCommand.placementPrefix.count).split(separator: " ") {
            let pair = word.split(separator: "=", maxSplits: 1)
            if pair.count == 2 { fields[pair[0]] = pair[1] }
        }
        directoryMissing = fields["directory"] == "missing"
        if let job = fields["job"], !job.isEmpty {
            placement = TaskPlacement(
                executor: .slurm, jobID: String(job), stepID: fields["step"].map(String.init),
                node: fields["node"].map(String.init))
        }
    }
}
