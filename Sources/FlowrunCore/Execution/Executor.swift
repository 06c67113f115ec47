import Synchronization

/// Runs a plan: stage after stage, the tasks of a stage concurrently in one
/// task group, and reports what happens as `RunEvent`s. Prints nothing.
///
/// Cancelling the task that calls `run` interrupts the run: running process
/// groups are ended (SIGTERM, SIGKILL after the plan's grace), unstarted tasks
/// are skipped, and `run` still returns (and emits) the partial result.
public struct Executor: Sendable {
    public var runner: any ProcessRunning
    /// Marker exported to every task as `FLOWRUN_RUN_ID`.
    public var runID: String
    /// Bytes of a task's stdout/stderr kept for its result; longer output is cut there.
    public var resultCaptureLimit: Int

    public init(
        runner: any ProcessRunning = ProcessRunner(), runID: String = Executor.makeRunID(),
        resultCaptureLimit: Int = 1 << 20
    ) {
        self.runner = runner
        self.runID = runID
        self.resultCaptureLimit = resultCaptureLimit
    }

    /// A fresh random run id.
    public static func makeRunID() -> String {
        let value = UInt64.random(in: .min ... .max)
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Runs `plan`, sending events to `sink`, and returns the ordered results.
    public func run(_ plan: Plan, sink: any RunEventSink) async -> RunResult {
        let run = RunContext(plan: plan, executor: self, sink: sink)
        return await run.execute()
    }

    /// Runs `plan` and delivers its events as an (unbounded) stream that ends
    /// with `runFinished`. Cancelling the consumer's iteration does not stop
    /// the run; cancel the returned task for that.
    public func events(_ plan: Plan) -> (events: AsyncStream<RunEvent>, run: Task<RunResult, Never>) {
        let (stream, continuation) = AsyncStream.makeStream(of: RunEvent.self)
        let task = Task {
            let result = await run(plan, sink: ClosureEventSink { continuation.yield($0) })
            continuation.finish()
            return result
        }
        return (stream, task)
    }
}

/// The state of one run; lives for the duration of `Executor.run`.
private final class RunContext: Sendable {
    let plan: Plan
    let executor: Executor
    let sink: any RunEventSink
    let mask: SecretMask
    let start = ContinuousClock.now
    /// Results of finished tasks by stage name, then task name, for run-time templates.
    let results = Mutex<[String: [String: String]]>([:])

    init(plan: Plan, executor: Executor, sink: any RunEventSink) {
        self.plan = plan
        self.executor = executor
        self.sink = sink
        self.mask = SecretMask(plan.secretValues)
    }

    func now() -> Duration { ContinuousClock.now - start }

    func execute() async -> RunResult {
        let startedAt = WallTime.now()
        sink.receive(.runStarted(workflowName: plan.workflowName, runID: executor.runID, startedAt: startedAt))
        var stages: [StageResult] = []
        var tasks: [TaskResult] = []
        var stop = false
        for stage in plan.stages {
            if stop || Task.isCancelled {
                let skipped = stage.tasks.map { skippedResult($0) }
                for result in skipped { sink.receive(.taskFinished(result)) }
                let stageResult = StageResult(index: stage.index, name: stage.name)
                sink.receive(.stageFinished(stageResult))
                stages.append(stageResult)
                tasks += skipped
                continue
            }
            let stageStart = now()
            sink.receive(.stageStarted(index: stage.index, name: stage.name, at: stageStart))
            let stageTasks = await runStage(stage)
            let stageResult = StageResult(index: stage.index, name: stage.name, started: stageStart, finished: now())
            sink.receive(.stageFinished(stageResult))
            stages.append(stageResult)
            tasks += stageTasks
            if !stageTasks.allSatisfy(\.countsAsSuccess) { stop = true }
        }
        let result = RunResult(
            workflowName: plan.workflowName, runID: executor.runID, startedAt: startedAt, wallTime: now(),
            stages: stages, tasks: tasks, interrupted: Task.isCancelled)
        sink.receive(.runFinished(result))
        return result
    }

    /// What a child of a stage's task group hands back.
    private enum StageEvent: Sendable {
        case finished(Int, TaskResult)
        /// The sleep timer fired; due sleepers are finished by the stage loop.
        case timerFired
    }

    /// Runs one stage's tasks, at most `maxParallel` at once, starting them in
    /// declaration order as slots free up; returns results in declaration order.
    ///
    /// Plain `sleep` tasks (no timeout, no retries) get no child task of their
    /// own: they wait in a deadline queue served by one timer child. A child
    /// task costs kilobytes; 100,000 sleeps would cost hundreds of megabytes.
    private func runStage(_ stage: PlannedStage) async -> [TaskResult] {
        var results = [TaskResult?](repeating: nil, count: stage.tasks.count)
        let cap = max(1, stage.maxParallel ?? Int.max)
        await withTaskGroup(of: StageEvent.self) { group in
            var next = 0
            var running = 0
            var stopStarting = false
            var sleepers = DeadlineQueue()
            var timerArmedFor: Duration?
            func armTimer() {
                guard let earliest = sleepers.earliest, timerArmedFor.map({ earliest < $0 }) ?? true else { return }
                timerArmedFor = earliest
                let wait = earliest - now()
                group.addTask {
                    try? await Task.sleep(for: wait)
                    return .timerFired
                }
            }
            func fill() {
                while !stopStarting, !Task.isCancelled, running < cap, next < stage.tasks.count {
                    let index = next
                    let task = stage.tasks[index]
                    // Announced here, not in the child, so that start events
                    // come in declaration order whatever the scheduler does.
                    let started = now()
                    sink.receive(.taskStarted(task.id, attempt: 1, at: started))
                    if case .sleep(let duration) = task.action, task.timeout == nil {
                        sleepers.insert(deadline: started + duration, index: index, started: started)
                    } else {
                        group.addTask { .finished(index, await self.runTask(task, started: started)) }
                    }
                    next += 1
                    running += 1
                }
                armTimer()
            }
            func finish(_ index: Int, _ result: TaskResult) {
                results[index] = result
                running -= 1
                if stage.failFast, !stopStarting, result.state.isFailure, !result.continueOnError {
                    // asyncio.TaskGroup semantics: the first failure cancels the siblings.
                    stopStarting = true
                    group.cancelAll()
                }
            }
            fill()
            while let event = await group.next() {
                switch event {
                case .finished(let index, let result):
                    finish(index, result)
                case .timerFired:
                    timerArmedFor = nil
                    let cancelled = Task.isCancelled || stopStarting
                    let due = cancelled ? sleepers.removeAll() : sleepers.removeDue(at: now())
                    for sleeper in due {
                        let task = stage.tasks[sleeper.index]
                        let result = finishedSleep(task, started: sleeper.started, cancelled: cancelled)
                        sink.receive(.taskFinished(result))
                        finish(sleeper.index, result)
                    }
                }
                fill()
                // A cancelled timer returns at once; make sure waiting sleepers are collected.
                if (Task.isCancelled || stopStarting), !sleepers.isEmpty, timerArmedFor == nil {
                    group.addTask { .timerFired }
                    timerArmedFor = .zero
                }
            }
        }
        return stage.tasks.enumerated().map { index, task in
            if let result = results[index] { return result }
            let skipped = skippedResult(task)
            sink.receive(.taskFinished(skipped))
            return skipped
        }
    }

    /// The result of a queued sleep task whose deadline passed (or whose stage was cancelled).
    private func finishedSleep(_ task: PlannedTask, started: Duration, cancelled: Bool) -> TaskResult {
        var value: String?
        if !cancelled {
            value = mask.apply(task.result.map { render($0, own: nil) } ?? "")
            results.withLock { $0[task.stageName, default: [:]][task.name] = value }
        } else {
            sink.receive(.attemptFailed(task.id, attempt: 1, state: .cancelled, willRetry: false, at: now()))
        }
        let finished = now()
        let state: TaskState = cancelled ? .cancelled : .succeeded
        return TaskResult(
            id: task.id, stageName: task.stageName, name: task.name, state: state,
            attempts: 1, started: started, finished: finished, result: value, stderrTail: [],
            continueOnError: task.continueOnError,
            attemptSpans: [AttemptSpan(attempt: 1, started: started, finished: finished, state: state)])
    }

    private func skippedResult(_ task: PlannedTask) -> TaskResult {
        TaskResult(id: task.id, stageName: task.stageName, name: task.name, state: .skipped,
                   continueOnError: task.continueOnError)
    }

    /// Runs a task through all its attempts.
    private func runTask(_ task: PlannedTask, started: Duration) async -> TaskResult {
        var attempt = 0
        var last: AttemptOutcome
        var spans: [AttemptSpan] = []
        while true {
            attempt += 1
            let attemptStarted = attempt == 1 ? started : now()
            if attempt > 1 { sink.receive(.taskStarted(task.id, attempt: attempt, at: attemptStarted)) }
            last = await runAttempt(task)
            let attemptFinished = now()
            spans.append(AttemptSpan(attempt: attempt, started: attemptStarted, finished: attemptFinished, state: last.state))
            let willRetry = last.state.isFailure && attempt <= task.retries && !Task.isCancelled
            if last.state.isFailure || last.state == .cancelled {
                sink.receive(.attemptFailed(task.id, attempt: attempt, state: last.state, willRetry: willRetry, at: attemptFinished))
            }
            guard willRetry else { break }
            if task.retryDelay > .zero {
                do {
                    try await Task.sleep(for: task.retryDelay)
                } catch {
                    last = AttemptOutcome(state: .cancelled, result: nil, stderrTail: last.stderrTail)
                    break
                }
            }
        }
        if let value = last.result {
            results.withLock { $0[task.stageName, default: [:]][task.name] = value }
        }
        let result = TaskResult(
            id: task.id, stageName: task.stageName, name: task.name, state: last.state, attempts: attempt,
            started: started, finished: now(), result: last.result, stderrTail: last.stderrTail,
            continueOnError: task.continueOnError, escapedDescendant: last.escapedDescendant, attemptSpans: spans)
        sink.receive(.taskFinished(result))
        return result
    }

    private struct AttemptOutcome: Sendable {
        var state: TaskState
        var result: String?
        var stderrTail: [String]
        var escapedDescendant = false
    }

    /// One attempt, raced against the task's timeout.
    private func runAttempt(_ task: PlannedTask) async -> AttemptOutcome {
        guard let timeout = task.timeout else { return await runOnce(task) }
        return await withTaskGroup(of: AttemptOutcome?.self) { group in
            group.addTask { await self.runOnce(task) }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            var timedOut = false
            while let outcome = await group.next() {
                guard var outcome else {
                    // The timer ended: a timeout, unless the whole attempt was cancelled.
                    if !Task.isCancelled {
                        timedOut = true
                        group.cancelAll()
                    }
                    continue
                }
                group.cancelAll()
                if timedOut, outcome.state != .succeeded {
                    outcome.state = .timedOut
                    outcome.result = nil
                }
                return outcome
            }
            return AttemptOutcome(state: .cancelled, result: nil, stderrTail: [])
        }
    }

    private func runOnce(_ task: PlannedTask) async -> AttemptOutcome {
        switch task.action {
        case .sleep(let duration):
            do {
                try await Task.sleep(for: duration)
            } catch {
                return AttemptOutcome(state: .cancelled, result: nil, stderrTail: [])
            }
            let value = task.result.map { render($0, own: nil) } ?? ""
            return AttemptOutcome(state: .succeeded, result: mask.apply(value), stderrTail: [])
        case .run(let command, let shell):
            if Task.isCancelled { return AttemptOutcome(state: .cancelled, result: nil, stderrTail: []) }
            let request = processRequest(task, command: command, shell: shell)
            let id = task.id
            let sink = self.sink
            let outcome = await executor.runner.run(request) { stream, lines in
                sink.receive(.output(id, stream, lines))
            }
            return classify(outcome, task: task, cancelled: Task.isCancelled)
        }
    }

    private func classify(_ outcome: ProcessOutcome, task: PlannedTask, cancelled: Bool) -> AttemptOutcome {
        let state: TaskState
        switch outcome.termination {
        case .exited(0): state = .succeeded
        case _ where cancelled: state = .cancelled
        case .exited(let code): state = .failed(exitCode: code)
        case .signaled(let signal): state = .killed(signal: signal)
        case .failedToStart(let reason): state = .failedToStart(reason: reason)
        }
        var result: String? = nil
        if state == .succeeded {
            let value = task.result.map { render($0, own: outcome) } ?? Self.droppingOneNewline(outcome.stdout)
            result = mask.apply(value)
        }
        return AttemptOutcome(
            state: state, result: result, stderrTail: outcome.stderrTail, escapedDescendant: outcome.escapedDescendant)
    }

    private func processRequest(_ task: PlannedTask, command: PlannedText, shell: [String]) -> ProcessRequest {
        var environment = task.environment.map { ($0.name, render($0.value, own: nil)) }
        environment += [
            ("FLOWRUN_WORKFLOW", plan.workflowName), ("FLOWRUN_STAGE", task.stageName),
            ("FLOWRUN_TASK", task.name), ("FLOWRUN_RUN_ID", executor.runID),
        ]
        let needs = Self.ownOutputs(task.result)
        return ProcessRequest(
            arguments: shell + [render(command, own: nil)],
            environment: environment,
            workingDirectory: render(task.workingDirectory, own: nil),
            killGrace: plan.killGrace,
            stdoutCaptureLimit: task.result == nil || needs.contains(.stdout) ? executor.resultCaptureLimit : 0,
            stderrCaptureLimit: needs.contains(.stderr) ? executor.resultCaptureLimit : 0,
            mask: mask)
    }

    private static func ownOutputs(_ text: PlannedText?) -> Set<Reference.OwnOutput> {
        var found = Set<Reference.OwnOutput>()
        for part in text?.parts ?? [] {
            if case .ownOutput(let which) = part { found.insert(which) }
        }
        return found
    }

    /// Fills run-time holes: earlier results, and this task's own output.
    /// `${{ stdout }}` and `${{ stderr }}` lose one trailing newline, like the default result.
    private func render(_ text: PlannedText, own: ProcessOutcome?) -> String {
        if text.isResolved { return text.render { _ in "" } }
        let known = results.withLock { $0 }
        return text.render { part in
            switch part {
            case .text(let s): return s
            case .taskResult(let stage, let task): return known[stage]?[task] ?? ""
            case .ownOutput(.stdout): return Self.droppingOneNewline(own?.stdout ?? "")
            case .ownOutput(.stderr): return Self.droppingOneNewline(own?.stderr ?? "")
            case .ownOutput(.exitCode):
                if case .exited(let code) = own?.termination { return String(code) }
                return ""
            }
        }
    }

    /// Drops one trailing `\n` byte (not a `\r\n` grapheme: only the newline goes).
    private static func droppingOneNewline(_ text: String) -> String {
        guard text.utf8.last == 0x0A else { return text }
        return String(decoding: text.utf8.dropLast(), as: UTF8.self)
    }
}

/// Sleep tasks waiting for their deadlines, earliest first (a binary min-heap).
private struct DeadlineQueue {
    struct Entry {
        var deadline: Duration
        var index: Int
        var started: Duration
    }

    private var heap: [Entry] = []

    var isEmpty: Bool { heap.isEmpty }
    var earliest: Duration? { heap.first?.deadline }

    mutating func insert(deadline: Duration, index: Int, started: Duration) {
        heap.append(Entry(deadline: deadline, index: index, started: started))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard precedes(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Entries whose deadline is at or before `time`, in deadline then declaration order.
    mutating func removeDue(at time: Duration) -> [Entry] {
        var due: [Entry] = []
        while let first = heap.first, first.deadline <= time { due.append(removeFirst()) }
        return due
    }

    mutating func removeAll() -> [Entry] {
        defer { heap.removeAll() }
        return heap.sorted { $0.index < $1.index }
    }

    private func precedes(_ a: Entry, _ b: Entry) -> Bool {
        a.deadline != b.deadline ? a.deadline < b.deadline : a.index < b.index
    }

    private mutating func removeFirst() -> Entry {
        let first = heap[0]
        let last = heap.removeLast()
        guard !heap.isEmpty else { return first }
        heap[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count, precedes(heap[left], heap[smallest]) { smallest = left }
            if right < heap.count, precedes(heap[right], heap[smallest]) { smallest = right }
            guard smallest != parent else { return first }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
