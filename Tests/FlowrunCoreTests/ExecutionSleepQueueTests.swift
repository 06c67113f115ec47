import Synchronization
import Testing
@testable import FlowrunCore

/// Plain sleep tasks share one deadline queue; these check that it keeps the
/// contract: declaration-order results, caps, fail-fast and cancellation.
@Suite("Sleep queue")
struct ExecutionSleepQueueTests {
    private func sleepTask(_ index: Int, milliseconds: Int, result: String? = nil) -> PlannedTask {
        PlannedTask(
            id: TaskID(stage: 0, task: index), stageName: "s", name: "t\(index)",
            action: .sleep(.milliseconds(milliseconds)), result: result.map { PlannedText(literal: $0) })
    }

    @Test func resultsKeepDeclarationOrderWhenDeadlinesAreReversed() async {
        let clock = ManualClock()
        let tasks = (0..<50).map { sleepTask($0, milliseconds: 100 - $0 * 2, result: "r\($0)") }
        let executor = Executor(runner: LocalTaskRunner(), clock: clock)
        let run = Task { await executor.run(plan([PlannedStage(index: 0, name: "s", tasks: tasks)]), sink: EventRecorder()) }
        // One timer child serves the queue: it waits for one deadline at a time.
        for _ in 0..<50 {
            await clock.waitForSleepers(1)
            #expect(clock.deadlines.count == 1)
            clock.advanceToNextDeadline()
        }
        let result = await run.value
        #expect(result.results == (0..<50).map { "r\($0)" })
        #expect(result.tasks.allSatisfy { $0.state == .succeeded })
        // Each task lasted exactly its own sleep.
        for (index, task) in result.tasks.enumerated() {
            #expect(task.duration == .milliseconds(100 - index * 2))
        }
    }

    @Test(arguments: [1, 3, 8])
    func capIsRespected(cap: Int) async {
        let tasks = (0..<24).map { sleepTask($0, milliseconds: 10 + ($0 * 7) % 20) }
        let result = await Executor(runner: LocalTaskRunner()).run(
            plan([PlannedStage(index: 0, name: "s", maxParallel: cap, tasks: tasks)]), sink: EventRecorder())
        #expect(result.tasks.allSatisfy { $0.state == .succeeded })
        // At no task's start were more than `cap` tasks running.
        for task in result.tasks {
            let start = task.started!
            let overlapping = result.tasks.filter { $0.started! <= start && $0.finished! > start }
            #expect(overlapping.count <= cap)
        }
        // Tasks started in declaration order.
        let starts = result.tasks.map { $0.started! }
        #expect(starts == starts.sorted())
    }

    @Test func failFastCancelsQueuedSleepsAtOnce() async {
        let tasks = [
            sleepTask(0, milliseconds: 30_000),
            PlannedTask(id: TaskID(stage: 0, task: 1), stageName: "s", name: "bad",
                        action: .run(command: PlannedText(literal: "exit 4"), shell: ["sh", "-c"])),
        ]
        let clock = ManualClock()
        let result = await Executor(runner: LocalTaskRunner(), clock: clock)
            .run(plan([PlannedStage(index: 0, name: "s", tasks: tasks)]), sink: EventRecorder())
        // The 30 s sleep ended with its sibling's failure; time never had to move.
        #expect(result.wallTime == .zero)
        #expect(result.tasks[0].state == .cancelled)
        #expect(result.tasks[1].state == .failed(exitCode: 4))
        #expect(result.exitStatus == .taskFailed)
    }

    @Test func cancellingTheRunCancelsQueuedSleeps() async {
        let tasks = (0..<1000).map { sleepTask($0, milliseconds: 30_000) }
        // Cancel from the sink once every task has started: no timing guess.
        let holder = Mutex<(task: Task<RunResult, Never>?, started: Int)>((nil, 0))
        let sink = ClosureEventSink { event in
            guard case .taskStarted = event else { return }
            let run = holder.withLock { state -> Task<RunResult, Never>? in
                state.started += 1
                return state.started == 1000 ? state.task : nil
            }
            run?.cancel()
        }
        let clock = ManualClock()
        let executor = Executor(runner: LocalTaskRunner(), clock: clock)
        let run = Task { await executor.run(plan([PlannedStage(index: 0, name: "s", tasks: tasks)]), sink: sink) }
        let alreadyAllStarted = holder.withLock { state -> Bool in
            state.task = run
            return state.started == 1000
        }
        if alreadyAllStarted { run.cancel() }
        let result = await run.value
        #expect(result.wallTime == .zero)
        #expect(result.tasks.allSatisfy { $0.state == .cancelled })
        #expect(result.interrupted)
    }
}
