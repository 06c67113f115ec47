/// Figures over the whole run, shared by every report so that they agree.
extension RunResult {
    /// Task time over wall time. Task time starts at each task's first
    /// spawned process, so time spent queueing for a slot is not counted.
    public var parallelism: Double {
        wallTime > .zero ? taskTime.seconds / wallTime.seconds : 0
    }

    /// User plus system CPU of every measured attempt; nil when nothing was measured.
    public var totalCPU: Duration? {
        // Lazily: an array of every task's usage was 6.4 MB at 100,000 tasks, the report's heap peak.
        ResourceUsage.combined(tasks.lazy.map(\.resources))?.cpu
    }

    /// Every measured resource together (peak RSS is the largest of any task).
    public var totalResources: ResourceUsage? {
        ResourceUsage.combined(tasks.lazy.map(\.resources))
    }

    /// Time tasks spent waiting for a slot before their first attempt, summed.
    public var queuedTime: Duration {
        tasks.reduce(.zero) { $0 + ($1.queued ?? .zero) }
    }

    /// The most tasks that ran at the same moment (a task holds its place
    /// from its first attempt's start to its last one's end, retry delays
    /// included). A task ending at the instant another starts does not
    /// overlap it: the same rule, at the same microsecond resolution, that
    /// `TraceReport.slotAssignment` follows, so the trace has exactly this
    /// many slot tracks.
    public var peakConcurrency: Int {
        var edges: [(at: Int, delta: Int)] = []
        edges.reserveCapacity(tasks.count * 2)
        for task in tasks {
            guard let started = task.started, let finished = task.finished else { continue }
            let start = TraceReport.microseconds(started)
            edges.append((start, 1))
            edges.append((max(start, TraceReport.microseconds(finished)), -1))
        }
        // Ends before starts at the same instant.
        edges.sort { $0.at != $1.at ? $0.at < $1.at : $0.delta < $1.delta }
        var running = 0
        var peak = 0
        for edge in edges {
            running += edge.delta
            peak = max(peak, running)
        }
        return peak
    }
}
