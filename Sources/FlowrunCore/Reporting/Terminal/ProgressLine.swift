import Synchronization

/// A live status line on a terminal (stderr): the running stage, tasks
/// done/running/pending and the elapsed time, redrawn in place.
///
/// Invariant: the line is erased (`\r`, erase-line) before anything else is
/// written to the terminal, and redrawn after; every write that can reach the
/// same terminal must go through `guarding(_:)`, which does both under this
/// object's lock, so the status never lands inside another line. The line
/// is cut to the terminal's width minus one so that it never wraps (a
/// wrapped line cannot be erased with one `\r`). Whether to show it at all
/// is the caller's decision (`TerminalTraits.canRedraw`, `--no-progress`).
public final class ProgressLine: RunEventSink {
    /// Moves to the start of the line and erases it.
    public static let erase = "\r\u{1B}[K"

    private struct State {
        var start: ContinuousClock.Instant?
        /// Nil until the first stage starts: there is nothing to show before.
        var stageIndex: Int?
        var stageName = ""
        var done = 0
        var running = 0
        var failed = 0
        var finished = false
        /// The run was interrupted: the running tasks are being ended.
        var stopping = false
        /// The text on screen; nil when the line is erased.
        var shown: String?
        /// Grows or shrinks as dynamic matrices expand.
        var taskCount = 0
        /// An interactive task has the terminal: the line stays erased until it ends.
        var paused = false
    }

    private let terminal: any TextSink
    /// Tasks that get the terminal; the line pauses while one runs.
    private let interactive: Set<TaskID>
    private let stageCount: Int
    private let width: Int
    private let colored: Bool
    private let now: @Sendable () -> ContinuousClock.Instant
    private let state = Mutex(State())

    /// - Parameters:
    ///   - terminal: where the line is drawn (stderr).
    ///   - width: the terminal's width in columns.
    ///   - now: the clock for the elapsed time (injected for tests).
    public init(
        plan: Plan, terminal: any TextSink, width: Int, colored: Bool = false,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) {
        self.terminal = terminal
        state.withLock { $0.taskCount = plan.stages.reduce(0) { $0 + $1.tasks.count } }
        self.interactive = Set(plan.stages.flatMap(\.tasks).filter(\.interactive).map(\.id))
        self.stageCount = plan.stages.count
        self.width = max(10, width)
        self.colored = colored
        self.now = now
    }

    public func receive(_ event: RunEvent) {
        state.withLock { state in
            switch event {
            case .runStarted:
                state.start = now()
            case .stageStarted(let index, let name, _):
                state.stageIndex = index
                state.stageName = name
                // A stage that starts after the interrupt is a clean-up stage: its tasks run, they do not stop.
                state.stopping = false
            case .matrixExpanded(let id, let instances):
                _ = id
                state.taskCount += instances.count - 1
            case .taskStarted(let id, let attempt, _) where attempt == 1:
                state.running += 1
                if interactive.contains(TaskID(stage: id.stage, task: id.task)) {
                    erase(&state)
                    state.paused = true
                }
            case .taskFinished(let result):
                if interactive.contains(TaskID(stage: result.id.stage, task: result.id.task)) { state.paused = false }
                // Skipped and up-to-date tasks finish without having started.
                if result.attempts > 0 { state.running -= 1 }
                state.done += 1
                if result.state.isFailure { state.failed += 1 }
            case .runFinished:
                erase(&state)
                state.finished = true
            default:
                return
            }
            draw(&state)
        }
    }

    /// Shows the running tasks as stopping: the run was interrupted and they are being ended.
    public func stopping() {
        state.withLock { state in
            state.stopping = true
            draw(&state)
        }
    }

    /// Redraws the line so the elapsed time moves; call it a few times a second.
    public func tick() {
        state.withLock { draw(&$0) }
    }

    /// A sink whose writes erase the status line first and redraw it after.
    public func guarding(_ sink: any TextSink) -> any TextSink {
        ProgressGuardedSink(progress: self, sink: sink)
    }

    /// Writes `text` to `sink` with the status line out of the way.
    func write(_ text: String, to sink: any TextSink) {
        state.withLock { state in
            erase(&state)
            sink.write(text)
            draw(&state)
        }
    }

    /// The status text, plain and colored, cut to the width.
    ///
    /// `[2/3] stage · 2 done · 2 running · 2 pending · 4.2s`; on a narrow
    /// terminal `[2/3] stage 2/6 · 4.2s`; only the stage name is cut. After
    /// an interrupt, `2 stopping` (narrow: `2/6 stopping`).
    private func status(_ state: State) -> (plain: String, colored: String) {
        let elapsed = Self.elapsed(state.start.map { now() - $0 } ?? .zero)
        let pending = max(0, state.taskCount - state.done - state.running)
        let stage = "[\((state.stageIndex ?? 0) + 1)/\(stageCount)] "
        let failed = state.failed > 0 ? " · \(state.failed) failed" : ""
        let full = " · \(state.done) done · \(state.running) \(state.stopping ? "stopping" : "running") · \(pending) pending"
        let compact = " \(state.done)/\(state.taskCount)" + (state.stopping ? " stopping" : "")
        let limit = width - 1
        let name = state.stageName
        let counts = limit - stage.count - full.count - failed.count - 3 - elapsed.count >= min(name.count, 8) ? full : compact
        let room = limit - stage.count - counts.count - failed.count - 3 - elapsed.count
        let shown = name.count <= room ? name : String(name.prefix(max(0, room - 1))) + "…"
        let plain = stage + shown + counts + failed + " · " + elapsed
        guard plain.count <= limit else {
            let cut = String(plain.prefix(limit))
            return (cut, cut)
        }
        let painted = stage + TerminalColor.paint(shown, TerminalColor.bold, colored) + counts
            + TerminalColor.paint(failed, TerminalColor.red, colored) + " · " + elapsed
        return (plain, painted)
    }

    private func draw(_ state: inout State) {
        guard !state.finished, !state.paused, state.start != nil, state.stageIndex != nil else { return }
        let text = status(state).colored
        if state.shown == text { return }
        // One write: the terminal never shows a half-drawn line.
        terminal.write(Self.erase + text)
        state.shown = text
    }

    private func erase(_ state: inout State) {
        guard state.shown != nil else { return }
        terminal.write(Self.erase)
        state.shown = nil
    }

    /// `4.2s`, then `1m02.5s` past a minute.
    static func elapsed(_ duration: Duration) -> String {
        let tenths = DurationFormat.milliseconds(duration) / 100
        if tenths < 600 { return "\(tenths / 10).\(tenths % 10)s" }
        return DurationFormat.human(duration)
    }
}
