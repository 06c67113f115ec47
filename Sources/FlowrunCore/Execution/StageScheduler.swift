/// Runs a plan's stages one after another, the tasks of a stage concurrently
/// in one task group under the stage's cap, and stops after a failing stage.
struct StageScheduler: Sendable {
    let run: RunContext

    private var sink: any RunEventSink { run.sink }

    func execute() async -> RunResult {
        let startedAt = WallTime.now()
        sink.receive(.runStarted(workflowName: run.plan.workflowName, runID: run.runID, startedAt: startedAt))
        var stages: [StageResult] = []
        var tasks: [TaskResult] = []
        var failed = false
        var interrupted = false
        for stage in run.plan.stages {
            interrupted = interrupted || Task.isCancelled
            // After the first interrupt only clean-up stages run: a condition that calls `always()` or
            // `cancelled()` and holds (as GitHub Actions), and none once the second interrupt ended the clean-up.
            let holds = run.board.evaluator(.init(failed: failed, interrupted: interrupted)).stageRuns(stage.condition)
                && (!interrupted || stage.condition?.callsCleanupFunction == true)
            let ended = interrupted && run.cleanup.isEnded
            let unselected = !stage.tasks.contains(where: \.selected)
            if !holds || ended || unselected {
                let reason: TaskReason? = if ended {
                    nil
                } else if holds {
                    .notSelected
                } else if interrupted {
                    // Skipped because the run stopped, unless its condition was asked.
                    stage.condition?.callsCleanupFunction == true ? .condition : nil
                } else {
                    stage.condition != nil ? .condition : nil
                }
                let skipped = stage.tasks.map { skippedResult($0, reason: reason) }
                run.board.postStage(stage.name, tasks: skipped)
                for result in skipped { sink.receive(.taskFinished(result)) }
                let stageResult = StageResult(index: stage.index, name: stage.name)
                sink.receive(.stageFinished(stageResult))
                stages.append(stageResult)
                tasks += skipped
                continue
            }
            let stageStart = run.now()
            sink.receive(.stageStarted(index: stage.index, name: stage.name, at: stageStart))
            let stageTasks = if interrupted {
                await run.cleanup.run { await runStage(stage, started: stageStart) }
            } else {
                await runStage(stage, started: stageStart)
            }
            var stageResult = StageResult(index: stage.index, name: stage.name, started: stageStart, finished: run.now())
            stageResult.cleanup = interrupted
            sink.receive(.stageFinished(stageResult))
            stages.append(stageResult)
            // The first stage's results are taken as they are, not copied (100,000 results are ~36 MB).
            if tasks.isEmpty { tasks = stageTasks } else { tasks += stageTasks }
            run.board.postStage(stage.name, tasks: stageTasks)
            // Tasks an interrupt ended are no failure of their own: they must not start `failure()` stages.
            let stopped = Task.isCancelled || (interrupted && run.cleanup.isEnded)
            if stageTasks.contains(where: { !$0.countsAsSuccess && (!stopped || $0.state.isFailure) }) { failed = true }
        }
        let result = RunResult(
            workflowName: run.plan.workflowName, runID: run.runID, startedAt: startedAt, wallTime: run.now(),
            stages: stages, tasks: tasks, interrupted: interrupted || Task.isCancelled)
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
    private func runStage(_ planned: PlannedStage, started stageStart: Duration) async -> [TaskResult] {
        var stage = planned
        // One slot per task, filled in place: a never-started task keeps its placeholder
        // (skipped), and the array is returned as it is, never copied (100,000 results are 36 MB).
        var (results, done) = expandFanOuts(&stage)
        let cap = max(1, stage.maxParallel ?? Int.max)
        // Locally a task with `resources.cpus: N` takes N slots of the cap (as
        // Snakemake's --cores); a task wider than the cap still runs, alone.
        let local = run.plan.executor.kind == .local
        let slots = stage.tasks.map { task in
            local || task.staysLocal ? min(cap, task.resources.slots) : 1
        }
        let execution = TaskExecution(run: run)
        let clock = run.clock
        let start = run.start
        await withTaskGroup(of: StageEvent.self) { group in
            var next = 0
            var running = 0
            var stopStarting = false
            // An interactive task has the terminal: nothing else of the stage runs beside it.
            var exclusive = false
            if stage.failFast, results.indices.contains(where: { done[$0] && results[$0].state.isFailure && !results[$0].continueOnError }) {
                stopStarting = true
            }
            var sleepers = DeadlineQueue(capacity: stage.tasks.count { task in
                if case .sleep = task.action { task.timeout == nil } else { false }
            })
            var timerArmedFor: Duration?
            /// Fingerprints of started tasks, by index, to record with their success; made at the
            /// first task that has one (tasks the cache checks at their success have none).
            var fingerprints: [Fingerprint?] = []
            /// The cache's tokens for those (`TaskCache.prepareSuccess`), -1 for none; made at the first.
            var tokens: [Int32] = []
            /// Started tasks that the cache fingerprints at their success, not yet prepared.
            var toPrepare: [Int] = []
            func armTimer() {
                guard let earliest = sleepers.earliest, timerArmedFor.map({ earliest < $0 }) ?? true else { return }
                timerArmedFor = earliest
                group.addTask {
                    try? await clock.sleep(until: start + earliest)
                    return .timerFired
                }
            }
            func fill() {
                while !stopStarting, !Task.isCancelled, !exclusive, next < stage.tasks.count,
                      running == 0 || running + slots[next] <= cap {
                    let index = next
                    let task = stage.tasks[index]
                    if done[index] {
                        // Its dynamic matrix could not be expanded; already finished.
                        next += 1
                        continue
                    }
                    if let condition = task.condition,
                       !run.board.evaluator(.init(failed: false, interrupted: false)).truth(condition) {
                        let skipped = skippedResult(task, reason: .condition)
                        sink.receive(.taskFinished(skipped))
                        run.board.post(skipped)
                        results[index] = skipped
                        done[index] = true
                        next += 1
                        continue
                    }
                    let (ended, fingerprint) = notStarted(task, stageStart: stageStart)
                    if let fingerprint {
                        if fingerprints.isEmpty { fingerprints = [Fingerprint?](repeating: nil, count: stage.tasks.count) }
                        fingerprints[index] = fingerprint
                    } else if ended == nil, let cache = run.cache, cache.checksAtSuccess(task) {
                        toPrepare.append(index)
                    }
                    if let ended {
                        sink.receive(.taskFinished(ended))
                        run.board.post(ended)
                        results[index] = ended
                        done[index] = true
                        next += 1
                        continue
                    }
                    if task.interactive {
                        guard running == 0 else { break }
                        exclusive = true
                    }
                    // Announced here, not in the child, so that start events
                    // come in declaration order whatever the scheduler does.
                    let started = run.now()
                    sink.receive(.taskStarted(task.id, attempt: 1, at: started))
                    if case .sleep(let duration) = task.action, task.timeout == nil {
                        sleepers.insert(deadline: started + duration, index: index)
                    } else {
                        group.addTask { .finished(index, await execution.runTask(task, started: started, stageStart: stageStart)) }
                    }
                    next += 1
                    running += slots[index]
                }
                armTimer()
                // Fingerprinted once started, while they run: the loop is the only place that
                // reads a token (at the task's end), so each is ready before it is read, and the
                // tasks of a big stage start without a SHA-256 between each two (100,000 sleeps
                // started within 0.05 s instead of 0.25 s).
                for index in toPrepare {
                    let task = stage.tasks[index]
                    guard let cache = run.cache, let token = cache.prepareSuccess(task, inputs: run.fingerprintInput(task)) else { continue }
                    if tokens.isEmpty { tokens = [Int32](repeating: -1, count: stage.tasks.count) }
                    tokens[index] = Int32(clamping: token)
                }
                toPrepare.removeAll(keepingCapacity: true)
            }
            func finish(_ index: Int, _ result: TaskResult) {
                results[index] = result
                done[index] = true
                run.board.post(result)
                running -= slots[index]
                if stage.tasks[index].interactive { exclusive = false }
                if result.state == .succeeded, let cache = run.cache {
                    let task = stage.tasks[index]
                    let known = fingerprints.isEmpty ? nil : fingerprints[index]
                    let token = tokens.isEmpty ? -1 : Int(tokens[index])
                    if token >= 0 {
                        cache.recordSuccess(token: token, task: task, result: result.result, outputs: result.outputs)
                    } else if let fingerprint = known ?? (cache.checksAtSuccess(task) ? cache.check(task, inputs: run.fingerprintInput(task)).fingerprint : nil) {
                        cache.recordSuccess(task, fingerprint: fingerprint, result: result.result, outputs: result.outputs)
                    }
                }
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
                    let now = run.now()
                    // Due ones one at a time (no array of 100,000); a cancelled stage's all at once.
                    let cancelledSleepers = cancelled ? sleepers.removeAll() : []
                    var nextCancelled = 0
                    func nextDue() -> DeadlineQueue.Entry? {
                        guard cancelled else { return sleepers.popDue(at: now) }
                        guard nextCancelled < cancelledSleepers.count else { return nil }
                        nextCancelled += 1
                        return cancelledSleepers[nextCancelled - 1]
                    }
                    while let sleeper = nextDue() {
                        let task = stage.tasks[sleeper.index]
                        // Only plain sleeps wait here: each started its duration before its deadline.
                        let started = if case .sleep(let duration) = task.action { sleeper.deadline - duration } else { sleeper.deadline }
                        let result = finishedSleep(task, started: started, stageStart: stageStart, cancelled: cancelled)
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
        for index in results.indices where !done[index] { sink.receive(.taskFinished(results[index])) }
        return results
    }

    /// Expands the stage's dynamic matrices, now that the results they read
    /// exist, through the same `MatrixExpansion.expand` the static ones went
    /// through; returns the results already known (a matrix that could not be
    /// expanded fails its task without starting anything), each other task's
    /// slot holding its result if it never starts, and which slots are final.
    private func expandFanOuts(_ stage: inout PlannedStage) -> (results: [TaskResult], done: [Bool]) {
        guard stage.tasks.contains(where: { $0.fanOut != nil }) else {
            return (stage.tasks.map { skippedResult($0) }, [Bool](repeating: false, count: stage.tasks.count))
        }
        var tasks: [PlannedTask] = []
        var results: [TaskResult?] = []
        for task in stage.tasks {
            guard let fanOut = task.fanOut else {
                tasks.append(task)
                results.append(nil)
                continue
            }
            let axes = fanOut.axes.map { axis in
                switch axis {
                case .list(let name, let values): MatrixExpansion.Axis(name: name, values: values)
                case .lines(let name, let text): MatrixExpansion.Axis(name: name, values: MatrixExpansion.lines(run.board.render(text, own: nil)))
                }
            }
            switch MatrixExpansion.expand(
                task: task.name, axes: axes, exclude: fanOut.exclude, include: fanOut.include, namePattern: fanOut.namePattern) {
            case .success(let found):
                let instances = found.enumerated().map { offset, instance in
                    task.instance(named: instance.name, id: TaskID(stage: task.id.stage, task: task.id.task, instance: offset), values: instance.values)
                }
                sink.receive(.matrixExpanded(task.id, instances: instances))
                tasks += instances
                results += [TaskResult?](repeating: nil, count: instances.count)
            case .failure(let problem):
                let now = run.now()
                let state = TaskState.failedToStart(reason: MatrixExpander.message(problem).text)
                sink.receive(.taskStarted(task.id, attempt: 1, at: now))
                var result = TaskResult(
                    id: task.id, stageName: task.stageName, name: task.name, state: state, attempts: 1,
                    started: now, finished: now, continueOnError: task.continueOnError,
                    attemptSpans: [AttemptSpan(attempt: 1, started: now, finished: now, state: state)])
                result.matrixTask = task.name
                sink.receive(.taskFinished(result))
                tasks.append(task)
                results.append(result)
            }
        }
        stage.tasks = tasks
        return (zip(tasks, results).map { task, result in result ?? skippedResult(task) }, results.map { $0 != nil })
    }

    /// The result of a queued sleep task whose deadline passed (or whose stage was cancelled).
    private func finishedSleep(_ task: PlannedTask, started: Duration, stageStart: Duration, cancelled: Bool) -> TaskResult {
        var value: String?
        if !cancelled {
            let rendered = run.mask.apply(task.result.map { run.board.render($0, own: nil) } ?? "")
            run.board.post(rendered, stage: task.stageName, task: task.name)
            value = rendered
        } else {
            sink.receive(.attemptFailed(task.id, attempt: 1, state: .cancelled, willRetry: false, at: run.now()))
        }
        let finished = run.now()
        let state: TaskState = cancelled ? .cancelled : .succeeded
        var result = TaskResult(
            id: task.id, stageName: task.stageName, name: task.name, state: state,
            attempts: 1, started: started, finished: finished, result: value, stderrTail: [],
            continueOnError: task.continueOnError, queued: started - stageStart)
        // Its one attempt span is (1, started, finished, state), as the result says: implied,
        // without an array made and compared per sleep in the rush of a big stage's successes.
        result.spanIsImplied = true
        return result
    }

    private func skippedResult(_ task: PlannedTask, reason: TaskReason? = nil) -> TaskResult {
        TaskResult(id: task.id, stageName: task.stageName, name: task.name, state: .skipped,
                   continueOnError: task.continueOnError, reason: reason)
    }

    /// The result of a task that does not start: not selected, or up to date (its
    /// stored result posted for later templates). Nil when it must run; then
    /// `fingerprint` is what to record with its success (nil when the cache
    /// checks it at its success).
    ///
    /// Decided in the stage loop, in declaration order, so start events keep that order.
    private func notStarted(_ task: PlannedTask, stageStart: Duration) -> (ended: TaskResult?, fingerprint: Fingerprint?) {
        guard task.selected else { return (skippedResult(task, reason: .notSelected), nil) }
        guard let cache = run.cache, !cache.checksAtSuccess(task) else { return (nil, nil) }
        let decision = cache.check(task, inputs: run.fingerprintInput(task))
        guard let reuse = decision.reuse else { return (nil, decision.fingerprint) }
        // Its stored outputs flow on as if it had just written them, in declared order.
        let outputs = task.outputs.compactMap { name in reuse.outputs[name].map { TaskOutput(name: name, value: $0) } }
        run.board.post(task, result: reuse.result ?? "", outputs: outputs)
        var result = TaskResult(
            id: task.id, stageName: task.stageName, name: task.name, state: .upToDate, result: reuse.result,
            continueOnError: task.continueOnError, reason: reuse.reason)
        result.outputs = outputs
        result.matrixTask = task.matrixTask
        return (result, decision.fingerprint)
    }
}
