/// What the parts of one run share; lives for the duration of `Executor.run`.
struct RunContext: Sendable {
    let plan: Plan
    let runID: String
    let runner: any TaskRunner
    let sink: any RunEventSink
    let clock: any ExecutionClock
    /// The clock's time when the run started; events carry offsets from it.
    let start: Duration
    let mask: SecretMask
    let board: ResultsBoard
    let cache: (any TaskCache)?
    let cleanup: CleanupScope

    init(plan: Plan, executor: Executor, sink: any RunEventSink) {
        self.plan = plan
        self.runID = executor.runID
        self.runner = executor.runner
        self.sink = sink
        self.clock = executor.clock
        self.start = executor.clock.now
        self.mask = SecretMask(plan.secretValues)
        self.board = ResultsBoard(for: plan)
        self.cache = executor.cache
        self.cleanup = executor.cleanup
    }

    /// What `task` would do now, its run-time templates filled: the input of its fingerprint.
    func fingerprintInput(_ task: PlannedTask) -> FingerprintInput {
        task.fingerprintInput { [board] in board.render($0, own: nil) }
    }

    /// Time since the run started.
    func now() -> Duration { clock.now - start }
}
