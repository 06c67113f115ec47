/// Runs Slurm's client commands (`salloc`, `scancel`, `squeue`, `sinfo`)
/// through a `ProcessRunning`, so that tests can use the fake runner and the
/// real cluster alike. Never prints.
public struct SlurmControl: Sendable {
    /// What a client command printed and how it ended.
    public struct Reply: Sendable, Equatable {
        public var status: ProcessOutcome.Termination
        public var stdout: String
        public var stderr: String

        public var succeeded: Bool { status == .exited(0) }

        /// The first line of stderr (or a description of how the command ended), for messages.
        public var problem: String {
            let line = stderr.split(separator: "\n").first { !$0.hasPrefix("salloc: Pending") && !$0.isEmpty }
            if let line { return String(line) }
            switch status {
            case .exited(let code): return "exit status \(code)"
            case .signaled(let signal): return "killed by signal \(signal)"
            case .failedToStart(let reason): return reason
            }
        }
    }

    public var processes: any ProcessRunning
    /// How long a query may take before it counts as an unreachable controller.
    public var queryTimeout: Duration

    public init(processes: any ProcessRunning = ProcessRunner(), queryTimeout: Duration = .seconds(15)) {
        self.processes = processes
        self.queryTimeout = queryTimeout
    }

    /// Runs `arguments` to the end and returns what it printed. A query that
    /// outlives `timeout` is ended (SIGTERM) and reported as signaled.
    public func run(_ arguments: [String], timeout: Duration? = nil) async -> Reply {
        let request = ProcessRequest(
            arguments: arguments, killGrace: .seconds(2), stdoutCaptureLimit: 1 << 20, stderrCaptureLimit: 1 << 16)
        let processes = self.processes
        let limit = timeout ?? queryTimeout
        let outcome = await withTaskGroup(of: ProcessOutcome?.self) { group in
            group.addTask { await processes.run(request) { _, _ in } }
            group.addTask {
                try? await Task.sleep(for: limit)
                return nil
            }
            var result: ProcessOutcome?
            while let next = await group.next() {
                if let next {
                    result = next
                    group.cancelAll()
                } else if result == nil {
                    group.cancelAll()
                }
            }
            return result ?? ProcessOutcome(termination: .signaled(15))
        }
        return Reply(status: outcome.termination, stdout: outcome.stdout, stderr: outcome.stderr)
    }

    /// Whether `program` can be found in flowrun's `PATH`.
    public static func isInstalled(_ program: String) -> Bool {
        ExecutableLookup.shared.resolve(program, path: ExecutableLookup.processPath) != nil
    }

    /// Jobs of this user whose name starts with `prefix`, by id (`squeue` on the controller).
    public func jobs(named prefix: String) async -> [String] {
        let reply = await run(["squeue", "--noheader", "--me", "--format=%i %j"])
        guard reply.succeeded else { return [] }
        return reply.stdout.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", maxSplits: 1)
            guard fields.count == 2, fields[1].hasPrefix(prefix) else { return nil }
            return String(fields[0])
        }
    }

    /// Cancels `jobIDs` (their steps die with them). Quiet about jobs already gone.
    @discardableResult
    public func cancel(_ jobIDs: [String]) async -> Reply? {
        guard !jobIDs.isEmpty else { return nil }
        return await run(["scancel", "--quiet"] + jobIDs)
    }
}
