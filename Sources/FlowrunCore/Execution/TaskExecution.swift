/// Runs one task through its attempts: retries with their delay, each
/// attempt raced against the task's timeout, and the outcome classified into
/// a `TaskState` and a result. A task of `steps` runs them in order inside
/// each attempt; retries repeat every step.
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
            last = await runAttemptWithOutputs(task, number: attempt)
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
        if let value = last.result { run.board.post(task, result: value, outputs: last.outputs) }
        var result = TaskResult(
            id: task.id, stageName: task.stageName, name: task.name, state: last.state, attempts: attempt,
            started: spans.first?.started ?? started, finished: run.now(), result: last.result,
            stderrTail: last.stderrTail, continueOnError: task.continueOnError,
            escapedDescendant: last.escapedDescendant, attemptSpans: spans,
            queued: (spans.first?.started ?? started) - stageStart)
        result.resultTruncated = last.result != nil && last.resultTruncated
        result.steps = last.steps
        result.outputs = last.outputs
        result.matrixTask = task.matrixTask
        result.placement = last.placement
        sink.receive(.taskFinished(result))
        return result
    }

    struct AttemptOutcome: Sendable {
        var state: TaskState
        var result: String?
        var stderrTail: [String]
        var escapedDescendant = false
        var resultTruncated = false
        var placement: TaskPlacement?
        var resources: ResourceUsage?
        /// How long the process ran (see `ProcessOutcome.running`); nil for a sleep or steps.
        var running: Duration?
        var steps: [StepResult] = []
        var outputs: [TaskOutput] = []
    }

    /// One attempt with its own `FLOWRUN_OUTPUT` file, read (and checked
    /// against the declared names) when the attempt succeeded.
    private func runAttemptWithOutputs(_ task: PlannedTask, number: Int) async -> AttemptOutcome {
        if case .sleep = task.action { return await runAttempt(task, number: number, outputFile: nil) }
        let file = OutputFile.create()
        var outcome = await runAttempt(task, number: number, outputFile: file)
        guard let file else {
            if outcome.state == .succeeded, let name = task.outputs.first {
                outcome.state = .outputsInvalid(.outputFileUnreadable(reason: "no temporary file for output \(name) could be made"))
                outcome.result = nil
            }
            return outcome
        }
        guard outcome.state == .succeeded else {
            OutputFile.discard(file)
            return outcome
        }
        switch OutputFile.consume(file) {
        case .failure(let message):
            outcome.state = .outputsInvalid(message)
            outcome.result = nil
        case .success(let written):
            if let missing = task.outputs.first(where: { name in !written.contains { $0.name == name } }) {
                outcome.state = .outputsInvalid(.outputNotWritten(missing))
                outcome.result = nil
                return outcome
            }
            for output in written where !task.outputs.contains(output.name) {
                run.sink.receive(.output(task.id, .stderr, OutputLines(
                    ["flowrun: warning: " + DiagnosticMessage.undeclaredOutput(output.name).text])))
            }
            outcome.outputs = written.filter { task.outputs.contains($0.name) }
                .map { TaskOutput(name: $0.name, value: run.mask.apply($0.value)) }
        }
        return outcome
    }

    /// One attempt, raced against the task's timeout.
    private func runAttempt(_ task: PlannedTask, number: Int, outputFile: String?) async -> AttemptOutcome {
        let (value, timing) = await raced(timeout: task.timeout) { await self.runOnce(task, number: number, outputFile: outputFile) }
        guard var outcome = value else { return AttemptOutcome(state: .cancelled, result: nil, stderrTail: []) }
        if outcome.state != .succeeded, timing == .timedOut {
            outcome.state = .timedOut
            outcome.result = nil
            outcome.steps = outcome.steps.map { step in
                var step = step
                if step.state == .cancelled { step.state = .timedOut }
                return step
            }
        }
        return outcome
    }

    private enum Timing { case inTime, timedOut }

    /// Runs `operation`, cancelling it when `timeout` passes first; nil when
    /// the operation gave nothing (cancelled from outside).
    private func raced<T: Sendable>(
        timeout: Duration?, _ operation: @escaping @Sendable () async -> T
    ) async -> (value: T?, timing: Timing) {
        guard let timeout else { return (await operation(), .inTime) }
        let clock = run.clock
        return await withTaskGroup(of: T?.self) { group in
            group.addTask { await operation() }
            group.addTask {
                try? await clock.sleep(for: timeout)
                return nil
            }
            var timedOut = false
            while let value = await group.next() {
                guard let value else {
                    // The timer ended: a timeout, unless the whole attempt was cancelled.
                    if !Task.isCancelled {
                        timedOut = true
                        group.cancelAll()
                    }
                    continue
                }
                group.cancelAll()
                return (value, timedOut ? .timedOut : .inTime)
            }
            return (nil, .inTime)
        }
    }

    private func runOnce(_ task: PlannedTask, number: Int, outputFile: String?) async -> AttemptOutcome {
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
            let step = PlannedStep(
                name: task.name, action: task.action, environment: task.environment, workingDirectory: task.workingDirectory)
            let outcome = await launch(task, step: step, number: number, command: command, shell: shell,
                                       outputFile: outputFile, keepsOwnOutput: true)
            return classify(outcome, task: task, cancelled: Task.isCancelled)
        case .steps(let steps):
            return await runSteps(steps, of: task, number: number, outputFile: outputFile)
        }
    }

    /// The steps of one attempt, in order: the first failing one (without
    /// `continue-on-error`) fails the attempt and the rest are skipped.
    private func runSteps(_ steps: [PlannedStep], of task: PlannedTask, number: Int, outputFile: String?) async -> AttemptOutcome {
        var results: [StepResult] = []
        var failure: AttemptOutcome?
        var lastOutcome: ProcessOutcome?
        var stderrTail: [String] = []
        var escaped = false
        for (index, step) in steps.enumerated() {
            // As in GitHub Actions: no `if` is `success()`; `failure()` and `always()` steps run after a failed one.
            // An interrupt ends the attempt: nothing starts after it.
            let runsAfterFailure = step.condition?.callsStatusFunction == true
            if Task.isCancelled || (failure != nil && !runsAfterFailure) {
                results.append(StepResult(name: step.name, state: failure == nil ? .cancelled : .skipped, continueOnError: step.continueOnError))
                if failure == nil { failure = AttemptOutcome(state: .cancelled, result: nil, stderrTail: stderrTail) }
                continue
            }
            if let condition = step.condition,
               !run.board.evaluator(.init(failed: failure != nil, interrupted: false)).stageRuns(condition) {
                var skipped = StepResult(name: step.name, state: .skipped, continueOnError: step.continueOnError)
                skipped.reason = .condition
                results.append(skipped)
                continue
            }
            let started = run.now()
            // The task's default result is the last step's stdout that ran: keep it from every step that may be that one.
            let isLast = steps[(index + 1)...].allSatisfy { $0.condition != nil }
            let (value, timing) = await raced(timeout: step.timeout) { () -> ProcessOutcome? in
                switch step.action {
                case .run(let command, let shell):
                    return await launch(task, step: step, number: number, command: command, shell: shell,
                                        outputFile: outputFile, keepsOwnOutput: isLast)
                case .sleep(let duration):
                    do {
                        try await run.clock.sleep(for: duration)
                        return ProcessOutcome(termination: .exited(0))
                    } catch {
                        return nil
                    }
                case .steps:
                    return ProcessOutcome(termination: .failedToStart(reason: "nested steps"))
                }
            }
            let finished = run.now()
            var state: TaskState
            let stepOutcome = value ?? nil
            if let outcome = stepOutcome {
                state = Self.state(of: outcome, cancelled: Task.isCancelled || timing == .timedOut)
                if timing == .timedOut, state != .succeeded { state = .timedOut }
                lastOutcome = outcome
                stderrTail = outcome.stderrTail.isEmpty ? stderrTail : outcome.stderrTail
                escaped = escaped || outcome.escapedDescendant
            } else {
                state = timing == .timedOut ? .timedOut : .cancelled
                lastOutcome = nil
            }
            results.append(StepResult(name: step.name, state: state, started: started, finished: finished,
                                      continueOnError: step.continueOnError, resources: stepOutcome?.resources))
            // The first failure is the attempt's; a failing `always()` step after it does not replace it.
            if failure == nil, state != .succeeded, !(step.continueOnError && state.isFailure) {
                failure = AttemptOutcome(state: state, result: nil, stderrTail: stderrTail, escapedDescendant: escaped)
            }
        }
        // The attempt's resources are its steps' together: CPU and blocks add up, the peak is the largest.
        let resources = ResourceUsage.combined(results.map(\.resources))
        if var failure {
            failure.steps = results
            failure.resources = resources
            return failure
        }
        var outcome = classify(lastOutcome ?? ProcessOutcome(termination: .exited(0)), task: task, cancelled: false)
        // The steps succeeded (or were allowed to fail): so does the attempt.
        if outcome.state != .succeeded {
            outcome.state = .succeeded
            outcome.result = run.mask.apply(task.result.map { run.board.render($0, own: lastOutcome) }
                ?? ResultsBoard.droppingOneNewline(lastOutcome?.stdout ?? ""))
        }
        outcome.stderrTail = stderrTail
        outcome.escapedDescendant = escaped
        // The attempt spans every step, not only the last step's process.
        outcome.running = nil
        outcome.resources = resources
        outcome.steps = results
        return outcome
    }

    /// Starts one command (a `run` task's, or a step's) through the runner.
    private func launch(
        _ task: PlannedTask, step: PlannedStep, number: Int, command: PlannedText, shell: [String],
        outputFile: String?, keepsOwnOutput: Bool
    ) async -> ProcessOutcome {
        var attempt = self.attempt(task, step: step, number: number, command: command, shell: shell)
        if let outputFile { attempt.environment.append(("FLOWRUN_OUTPUT", outputFile)) }
        if case .steps = task.action { attempt.environment.append(("FLOWRUN_STEP", step.name)) }
        if !keepsOwnOutput {
            attempt.keepsStdout = false
            attempt.keepsStderr = false
        }
        let id = task.id
        let sink = run.sink
        return await run.runner.run(attempt) { stream, lines in
            sink.receive(.output(id, stream, lines))
        }
    }

    private static func state(of outcome: ProcessOutcome, cancelled: Bool) -> TaskState {
        switch outcome.termination {
        case .exited(0): .succeeded
        case _ where cancelled: .cancelled
        case .exited(let code): .failed(exitCode: code)
        case .signaled(let signal): .killed(signal: signal)
        case .failedToStart(let reason): .failedToStart(reason: reason)
        }
    }

    private func classify(_ outcome: ProcessOutcome, task: PlannedTask, cancelled: Bool) -> AttemptOutcome {
        let state = Self.state(of: outcome, cancelled: cancelled)
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
    private func attempt(_ task: PlannedTask, step: PlannedStep, number: Int, command: PlannedText, shell: [String]) -> TaskAttempt {
        let board = run.board
        let needs = ResultsBoard.ownOutputs(task.result)
        var attempt = TaskAttempt(
            id: task.id, workflowName: run.plan.workflowName, stageName: task.stageName, taskName: task.name,
            runID: run.runID, number: number, shell: shell, command: board.render(command, own: nil),
            environment: step.environment.map { ($0.name, board.render($0.value, own: nil)) },
            workingDirectory: board.render(step.workingDirectory, own: nil),
            killGrace: run.plan.killGrace,
            keepsStdout: task.result == nil || needs.contains(.stdout),
            keepsStderr: needs.contains(.stderr),
            mask: run.mask)
        attempt.shellIsExplicit = task.shellIsExplicit
        attempt.interactive = task.interactive
        return attempt
    }
}
