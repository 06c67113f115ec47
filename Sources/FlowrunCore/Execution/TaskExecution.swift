/// Runs one task through its attempts: retries with their delay, each
/// attempt raced against the task's timeout, and the outcome classified into
/// a `TaskState` and a result.
struct TaskExecution: Sendable {
    let run: RunContext

    /// Runs `task` through all its attempts; `started` is when its first attempt was announced.
    ///
    /// An attempt's span starts when its process was running, not when it was
    /// dispatched: with many tasks at once, spawning queues, and that wait is
    /// the task's `queued` time (from its stage's start), not running time.
    /// Counted as running, it made 2,000 quick tasks report a parallelism of 1183x.
    func runTask(_ task: PlannedTask, started: Duration, stageStart: Duration) async -> TaskResult {
        let sink = run.sink
        var attempt = 0
        var last: AttemptOutcome
        var spans: [AttemptSpan] = []
        while true {
            attempt += 1
            let dispatched = attempt == 1 ? started : run.now()
            if attempt > 1 { sink.receive(.taskStarted(task.id, attempt: attempt, at: dispatched)) }
            last = await runAttempt(task, number: attempt)
            let attemptFinished = run.now()
            let attemptStarted = last.running.map { max(dispatched, attemptFinished - $0) } ?? dispatched
            spans.append(AttemptSpan(
                attempt: attempt, started: min(attemptStarted, attemptFinished), finished: attemptFinished,
                state: last.state, resources: last.resources))
            let willRetry = last.state.isFailure && attempt <= task.retries && !Task.isCancelled
            if last.state.isFailure || last.state == .cancelled {
                sink.receive(.attemptFailed(task.id, attempt: attempt, state: last.state, willRetry: willRetry, at: attemptFinished))
            }
            guard willRetry else { break }
            if task.retryDelay > .zero {
                do {
                    try await run.clock.sleep(for: task.retryDelay)
                } catch {
                    last = AttemptOutcome(state: .cancelled, result: nil, stderrTail: last.stderrTail)
                    break
                }
            }
        }
        if let value = last.result { run.board.post(value, stage: task.stageName, task: task.name) }
        var result = TaskResult(
            id: task.id, stageName: task.stageName, name: task.name, state: last.state, attempts: attempt,
            started: spans.first?.started ?? started, finished: run.now(), result: last.result,
            stderrTail: last.stderrTail, continueOnError: task.continueOnError,
            escapedDescendant: last.escapedDescendant, attemptSpans: spans,
            queued: (spans.first?.started ?? started) - stageStart)
        result.resultTruncated = last.result != nil && last.resultTruncated
        result.placement = last.placement
        sink.receive(.taskFinished(result))
        return result
    }

    private struct AttemptOutcome: Sendable {
        var state: TaskState
        var result: String?
        var stderrTail: [String]
        var escapedDescendant = false
        var resultTruncated = false
        var placement: TaskPlacement?
        var resources: ResourceUsage?
        /// How long the process ran (see `ProcessOutcome.running`); nil for a sleep.
        var running: Duration?
    }

    /// One attempt, raced against the task's timeout.
    private func runAttempt(_ task: PlannedTask, number: Int) async -> AttemptOutcome {
        guard let timeout = task.timeout else { return await runOnce(task, number: number) }
        let clock = run.clock
        return await withTaskGroup(of: AttemptOutcome?.self) { group in
            group.addTask { await self.runOnce(task, number: number) }
            group.addTask {
                try? await clock.sleep(for: timeout)
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

    private func runOnce(_ task: PlannedTask, number: Int) async -> AttemptOutcome {
        switch task.action {
        case .sleep(let duration):
            do {
                try await run.clock.sleep(for: duration)
            } catch {
                return AttemptOutcome(state: .cancelled, result: nil, stderrTail: [])
            }
            let value = task.result.map { run.board.render($0, own: nil) } ?? ""
            return AttemptOutcome(state: .succeeded, result: run.mask.apply(value), stderrTail: [])
        case .run(let command, let shell):
            if Task.isCancelled { return AttemptOutcome(state: .cancelled, result: nil, stderrTail: []) }
            let attempt = self.attempt(task, number: number, command: command, shell: shell)
            let id = task.id
            let sink = run.sink
            let outcome = await run.runner.run(attempt) { stream, lines in
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
            let value = task.result.map { run.board.render($0, own: outcome) }
                ?? ResultsBoard.droppingOneNewline(outcome.stdout)
            result = run.mask.apply(value)
        }
        var attempt = AttemptOutcome(
            state: state, result: result, stderrTail: outcome.stderrTail, escapedDescendant: outcome.escapedDescendant,
            placement: outcome.placement, resources: outcome.resources, running: outcome.running)
        attempt.resultTruncated = outcome.stdoutTruncated
        return attempt
    }

    /// The attempt handed to the runner, every run-time template filled.
    private func attempt(_ task: PlannedTask, number: Int, command: PlannedText, shell: [String]) -> TaskAttempt {
        let board = run.board
        let needs = ResultsBoard.ownOutputs(task.result)
        var attempt = TaskAttempt(
            id: task.id, workflowName: run.plan.workflowName, stageName: task.stageName, taskName: task.name,
            runID: run.runID, number: number, shell: shell, command: board.render(command, own: nil),
            environment: task.environment.map { ($0.name, board.render($0.value, own: nil)) },
            workingDirectory: board.render(task.workingDirectory, own: nil),
            killGrace: run.plan.killGrace,
            keepsStdout: task.result == nil || needs.contains(.stdout),
            keepsStderr: needs.contains(.stderr),
            mask: run.mask)
        attempt.shellIsExplicit = task.shellIsExplicit
        return attempt
    }
}
