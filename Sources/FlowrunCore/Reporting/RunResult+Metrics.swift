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
        // Starts and ends sorted apart (8 bytes an edge, not 16: 1.6 MB less at 100,000 tasks),
        // then merged with ends first at an equal instant.
        var starts: [Int] = []
        var ends: [Int] = []
        starts.reserveCapacity(tasks.count)
        ends.reserveCapacity(tasks.count)
        for task in tasks {
            guard let started = task.started, let finished = task.finished else { continue }
            let start = TraceReport.microseconds(started)
            starts.append(start)
            ends.append(max(start, TraceReport.microseconds(finished)))
        }
        starts.sort()
        ends.sort()
        var running = 0
        var peak = 0
        var nextEnd = 0
        for start in starts {
            while nextEnd < ends.count, ends[nextEnd] <= start {
                running -= 1
                nextEnd += 1
            }
            running += 1
            peak = max(peak, running)
        }
        return peak
    }
}
