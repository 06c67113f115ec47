/// The run in Chrome's Trace Event format (`--trace FILE`), for Perfetto and
/// `chrome://tracing`.
///
/// Tracks (`tid`): 0 holds the workflow and, nested in it, one slice per
/// stage; tracks 1… are concurrency slots, so tasks that overlap in time sit
/// on different tracks. Each attempt of a task is its own complete (`"X"`)
/// slice, and the wait between attempts a `retry-delay` slice, on the slot
/// the task holds for its whole time. Times are microseconds from the run's
/// start, the same offsets the text and JSON reports show.
public enum TraceReport {
    /// The track holding the workflow and stage slices.
    public static let stageTrack = 0

    public static func render(_ run: RunResult, mask: SecretMask = SecretMask([])) -> String {
        let slots = slotAssignment(run.tasks)
        let slotCount = slots.values.max() ?? 0
        var events: [String] = []
        events.append(metadata("process_name", tid: stageTrack, args: "{\"name\":\(JSONText.quoted("flowrun " + run.workflowName))}"))
        events.append(metadata("thread_name", tid: stageTrack, args: "{\"name\":\"stages\"}"))
        events.append(metadata("thread_sort_index", tid: stageTrack, args: "{\"sort_index\":0}"))
        for slot in stride(from: 1, through: slotCount, by: 1) {
            events.append(metadata("thread_name", tid: slot, args: "{\"name\":\"slot \(slot)\"}"))
            events.append(metadata("thread_sort_index", tid: slot, args: "{\"sort_index\":\(slot)}"))
        }
        events.append(slice(
            name: run.workflowName, category: "workflow", tid: stageTrack, from: .zero, to: run.wallTime,
            args: "{\"runId\":\(JSONText.quoted(run.runID)),\"succeeded\":\(run.succeeded),\"interrupted\":\(run.interrupted)}"))
        for stage in run.stages {
            guard let started = stage.started, let finished = stage.finished else { continue }
            events.append(slice(name: stage.name, category: "stage", tid: stageTrack, from: started, to: finished,
                                args: "{\"stage\":\(stage.index)}"))
        }
        for task in run.tasks {
            guard let tid = slots[task.id] else { continue }
            let spans = spans(of: task)
            for (index, span) in spans.enumerated() {
                if index > 0 {
                    let previous = spans[index - 1]
                    events.append(slice(
                        name: "\(task.qualifiedName) retry delay", category: "retry-delay", tid: tid,
                        from: previous.finished, to: span.started, args: "{\"beforeAttempt\":\(span.attempt)}"))
                }
                var args = "{\"stage\":\(JSONText.quoted(task.stageName)),\"task\":\(JSONText.quoted(task.name))"
                args += ",\"attempt\":\(span.attempt),\"attempts\":\(task.attempts)"
                args += ",\"state\":\(JSONText.quoted(span.state.name))"
                args += ",\"detail\":\(JSONText.quoted(mask.apply(RunReport.describe(span.state))))"
                if let usage = span.resources { args += ",\"resources\":" + JSONReport.resources(usage) }
                if index == 0, let queued = task.queued { args += ",\"queued\":\(DurationFormat.seconds(queued))" }
                if index == spans.count - 1, let result = task.result {
                    args += ",\"result\":\(JSONText.quoted(mask.apply(result)))"
                }
                args += "}"
                let name = span.attempt > 1 ? "\(task.qualifiedName) (attempt \(span.attempt))" : task.qualifiedName
                events.append(slice(name: name, category: "task", tid: tid, from: span.started, to: span.finished, args: args))
            }
            // The last attempt's steps, nested in its slice on the same track.
            // A step its condition skipped is an empty slice where it would have started, with the reason.
            var cursor = task.attemptSpans.last?.started
            for step in task.steps {
                guard let started = step.started, let finished = step.finished else {
                    if let reason = step.reason, let at = cursor {
                        let args = "{\"task\":\(JSONText.quoted(task.qualifiedName)),\"state\":\"skipped\","
                            + "\"reason\":\(JSONText.quoted(reason.rawValue))}"
                        events.append(slice(name: "\(task.qualifiedName) \(step.name)", category: "step", tid: tid,
                                            from: at, to: at, args: args))
                    }
                    continue
                }
                cursor = finished
                var args = "{\"task\":\(JSONText.quoted(task.qualifiedName)),\"state\":\(JSONText.quoted(step.state.name))"
                if let usage = step.resources { args += ",\"resources\":" + JSONReport.resources(usage) }
                args += "}"
                events.append(slice(name: "\(task.qualifiedName) \(step.name)", category: "step", tid: tid,
                                    from: started, to: finished, args: args))
            }
        }
        return "{\"traceEvents\":[\n" + events.joined(separator: ",\n") + "\n],\n"
            + "\"displayTimeUnit\":\"ms\",\n"
            + "\"otherData\":{\"workflow\":\(JSONText.quoted(run.workflowName)),\"runId\":\(JSONText.quoted(run.runID)),"
            + "\"startedAt\":\(JSONText.quoted(JUnitReport.timestamp(run.startedAt)))}}\n"
    }

    /// The track (1…) of every task that ran: tasks in order of start take
    /// the lowest track free since the previous holder finished. Greedy
    /// interval partitioning, so the number of tracks is the run's peak
    /// concurrency and no two tasks on a track overlap.
    public static func slotAssignment(_ tasks: [TaskResult]) -> [TaskID: Int] {
        let ran = tasks.compactMap { task -> (TaskID, Int, Int)? in
            guard let started = task.started, let finished = task.finished else { return nil }
            return (task.id, microseconds(started), microseconds(finished))
        }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }
        var freeAt: [Int] = []
        var slots: [TaskID: Int] = [:]
        for (id, start, end) in ran {
            if let slot = freeAt.firstIndex(where: { $0 <= start }) {
                freeAt[slot] = end
                slots[id] = slot + 1
            } else {
                freeAt.append(end)
                slots[id] = freeAt.count
            }
        }
        return slots
    }

    /// The task's attempts; one made up from its start and end when the
    /// result carries none (built by hand rather than by the executor).
    static func spans(of task: TaskResult) -> [AttemptSpan] {
        if !task.attemptSpans.isEmpty { return task.attemptSpans }
        guard let started = task.started, let finished = task.finished else { return [] }
        return [AttemptSpan(attempt: max(1, task.attempts), started: started, finished: finished, state: task.state)]
    }

    static func microseconds(_ offset: Duration) -> Int {
        let (seconds, attoseconds) = offset.components
        return Int(seconds) * 1_000_000 + Int(attoseconds / 1_000_000_000_000)
    }

    private static func metadata(_ name: String, tid: Int, args: String) -> String {
        "{\"name\":\"\(name)\",\"ph\":\"M\",\"pid\":1,\"tid\":\(tid),\"args\":\(args)}"
    }

    private static func slice(name: String, category: String, tid: Int, from: Duration, to: Duration, args: String) -> String {
        let start = microseconds(from)
        let duration = max(0, microseconds(to) - start)
        return "{\"name\":\(JSONText.quoted(name)),\"cat\":\"\(category)\",\"ph\":\"X\",\"pid\":1,\"tid\":\(tid),"
            + "\"ts\":\(start),\"dur\":\(duration),\"args\":\(args)}"
    }
}
