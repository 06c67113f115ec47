/// The one allocation of an `allocation: run` Slurm run: asked for once
/// (`salloc --no-shell`), shared by every task as job steps, cancelled at
/// the end of the run.
public actor SlurmAllocation {
    /// What `salloc` is asked for.
    public struct Size: Sendable, Equatable {
        /// CPUs in all, as `--ntasks` of one CPU each (a step may take several).
        public var cpus: Int
        public var memoryMegabytes: Int?
        public var gpus: Int?

        public init(cpus: Int, memoryMegabytes: Int? = nil, gpus: Int? = nil) {
            self.cpus = cpus
            self.memoryMegabytes = memoryMegabytes
            self.gpus = gpus
        }
    }

    public nonisolated let name: String
    public nonisolated let size: Size
    private let settings: ExecutorSettings
    private let control: SlurmControl
    private var request: Task<Result<String, SlurmError>, Never>?
    private var released = false

    public init(name: String, size: Size, settings: ExecutorSettings, control: SlurmControl) {
        self.name = name
        self.size = size
        self.settings = settings
        self.control = control
    }

    /// The `salloc` command line.
    public nonisolated var arguments: [String] {
        var arguments = ["salloc", "--no-shell", "--job-name=\(name)", "--ntasks=\(size.cpus)", "--cpus-per-task=1"]
        if let partition = settings.partition { arguments.append("--partition=\(partition)") }
        if let account = settings.account { arguments.append("--account=\(account)") }
        if let qos = settings.qos { arguments.append("--qos=\(qos)") }
        if let memory = size.memoryMegabytes { arguments.append("--mem=\(memory)M") }
        if let gpus = size.gpus { arguments.append("--gpus=\(gpus)") }
        return arguments
    }

    /// The allocation's job id, asking for it on the first call. Waits while
    /// the cluster queues it; a cancelled caller stops waiting (and stops the
    /// request, which the end of the run cleans up).
    public func jobID() async -> Result<String, SlurmError> {
        if released { return .failure(.allocationFailed(reason: "the run is over")) }
        let request = self.request ?? startRequest()
        return await withTaskCancellationHandler {
            await request.value
        } onCancel: {
            request.cancel()
        }
    }

    private func startRequest() -> Task<Result<String, SlurmError>, Never> {
        let control = self.control
        let arguments = self.arguments
        let task = Task {
            let reply = await control.run(arguments, timeout: .seconds(24 * 3600))
            if let id = Self.grantedJobID(reply.stderr) { return Result<String, SlurmError>.success(id) }
            return .failure(.allocationFailed(reason: reply.problem))
        }
        request = task
        return task
    }

    /// Ends the allocation and every step in it; later `jobID()` calls fail.
    /// Also cancels a job `salloc` was still waiting for (by name).
    public func release() async {
        released = true
        guard let request else { return }
        request.cancel()
        var ids: [String] = []
        if case .success(let id) = await request.value { ids.append(id) }
        ids += await control.jobs(named: name).filter { !ids.contains($0) }
        await control.cancel(ids)
    }

    /// The id in salloc's `Granted job allocation 1234`.
    static func grantedJobID(_ stderr: String) -> String? {
        let marker = "Granted job allocation "
        for line in stderr.split(separator: "\n") {
            guard let words = line.split(separator: " ").last, line.hasSuffix(words),
                  line.dropLast(words.count).hasSuffix(marker) else { continue }
            if !words.isEmpty, words.allSatisfy(\.isNumber) { return String(words) }
        }
        return nil
    }
}

/// Why a Slurm task could not be started.
public enum SlurmError: Error, Sendable, Equatable {
    case allocationFailed(reason: String)
}
