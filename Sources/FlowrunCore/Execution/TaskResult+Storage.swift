/// How a `TaskResult` keeps its fields: a hundred thousand of them made 30 MB,
/// and one array of attempt spans each 16 MB more (heaptrack, 100,000 sleeps).
///
/// Inline: id, names, state, times (as nanoseconds with one byte saying which
/// are set, not three optional `Duration`s: 40 bytes less a result), the result. Out of line, in one
/// copy-on-write box every result without them shares: what most tasks leave
/// empty. The attempt spans are stored only when they are not the single
/// attempt that the result's own times and state describe.
extension TaskResult {
    /// The out-of-line fields, in a `SharedFields` box.
    struct Extras: Sendable {
        var resultTruncated = false
        var stderrTail: [String] = []
        var escapedDescendant = false
        var attemptSpans: [AttemptSpan] = []
        var steps: [StepResult] = []
        var outputs: [TaskOutput] = []
        var matrixTask: String?
        var placement: TaskPlacement?

        /// The box of a result that has none of them.
        static let none = SharedFields(Extras())
    }

    /// The bits of `setTimes`.
    enum TimeField: UInt8 {
        case started = 1
        case finished = 2
        case queued = 4
    }

    private func time(_ field: TimeField) -> Duration? {
        guard setTimes & field.rawValue != 0 else { return nil }
        switch field {
        case .started: return .nanoseconds(startedTime)
        case .finished: return .nanoseconds(finishedTime)
        case .queued: return .nanoseconds(queuedTime)
        }
    }

    /// A time kept to the nanosecond (the clocks' own precision), clamped to ±292 years.
    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return seconds < 0 ? .min : .max }
        let (sum, overflowed) = whole.addingReportingOverflow(attoseconds / 1_000_000_000)
        return overflowed ? (seconds < 0 ? .min : .max) : sum
    }

    mutating func set(_ field: TimeField, _ value: Duration?) {
        let time = value.map(Self.nanoseconds) ?? 0
        switch field {
        case .started: startedTime = time
        case .finished: finishedTime = time
        case .queued: queuedTime = time
        }
        if value == nil { setTimes &= ~field.rawValue } else { setTimes |= field.rawValue }
    }

    /// Stores the implied attempt span before a field it is made of changes.
    private mutating func keepSpans() {
        guard spanIsImplied else { return }
        let spans = attemptSpans
        spanIsImplied = false
        extras.set(\.attemptSpans, spans)
    }

    /// The one attempt span the result's fields describe, if they describe one.
    private var impliedSpan: AttemptSpan? {
        guard let started, let finished else { return nil }
        return AttemptSpan(attempt: 1, started: started, finished: finished, state: storedState)
    }

    public var state: TaskState {
        get { storedState }
        set {
            keepSpans()
            storedState = newValue
        }
    }

    /// Offsets from the start of the run: first attempt's start, last attempt's end.
    public var started: Duration? {
        get { time(.started) }
        set {
            keepSpans()
            set(.started, newValue)
        }
    }

    public var finished: Duration? {
        get { time(.finished) }
        set {
            keepSpans()
            set(.finished, newValue)
        }
    }

    /// Time from its stage's start to the first attempt's start: waiting for a
    /// `max-parallel` slot, and for the process to be spawned. Nil when never started.
    public var queued: Duration? {
        get { time(.queued) }
        set { set(.queued, newValue) }
    }

    /// Every attempt in order; the gaps between them are retry delays. Empty when skipped.
    public var attemptSpans: [AttemptSpan] {
        get {
            if spanIsImplied, let span = impliedSpan { return [span] }
            return extras.fields.attemptSpans
        }
        set {
            if newValue.count == 1, let implied = impliedSpan, newValue[0] == implied {
                spanIsImplied = true
                if !extras.fields.attemptSpans.isEmpty { extras.set(\.attemptSpans, []) }
                return
            }
            spanIsImplied = false
            extras.update(\.attemptSpans, newValue)
        }
    }

    /// True when the output the result was made of passed the capture limit
    /// (1 MiB) and was cut at the last line break within it.
    public var resultTruncated: Bool {
        get { extras.fields.resultTruncated }
        set { extras.update(\.resultTruncated, newValue) }
    }

    /// Last lines of the last attempt's stderr, masked.
    public var stderrTail: [String] {
        get { extras.fields.stderrTail }
        set { extras.update(\.stderrTail, newValue) }
    }

    /// True when a descendant escaped the task's process group and held its output open.
    public var escapedDescendant: Bool {
        get { extras.fields.escapedDescendant }
        set { extras.update(\.escapedDescendant, newValue) }
    }

    /// The last attempt's steps, in order, for a task of `steps`; skipped ones included.
    public var steps: [StepResult] {
        get { extras.fields.steps }
        set { extras.update(\.steps, newValue) }
    }

    /// What the task wrote to `FLOWRUN_OUTPUT` (declared names only), masked.
    public var outputs: [TaskOutput] {
        get { extras.fields.outputs }
        set { extras.update(\.outputs, newValue) }
    }

    /// For a matrix instance: the matrix task it came from.
    public var matrixTask: String? {
        get { extras.fields.matrixTask }
        set { extras.update(\.matrixTask, newValue) }
    }

    /// Where the last attempt ran, when not on this machine (the Slurm job, step and node).
    public var placement: TaskPlacement? {
        get { extras.fields.placement }
        set { extras.update(\.placement, newValue) }
    }
}

extension TaskResult: Hashable {
    public static func == (a: TaskResult, b: TaskResult) -> Bool {
        a.id == b.id && a.stageName == b.stageName && a.name == b.name && a.state == b.state
            && a.attempts == b.attempts && a.started == b.started && a.finished == b.finished && a.result == b.result
            && a.continueOnError == b.continueOnError && a.queued == b.queued && a.reason == b.reason
            && a.attemptSpans == b.attemptSpans
            && (a.extras === b.extras || (a.resultTruncated == b.resultTruncated && a.stderrTail == b.stderrTail
                && a.escapedDescendant == b.escapedDescendant && a.steps == b.steps && a.outputs == b.outputs
                && a.matrixTask == b.matrixTask && a.placement == b.placement))
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(state)
        hasher.combine(result)
        hasher.combine(started)
        hasher.combine(finished)
    }
}
