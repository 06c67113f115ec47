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
        let tasks = (0..<50).map { sleepTask($0, milliseconds: 100 - $0 * 2, result: "r\($0)") }
        let result = await Executor().run(plan([PlannedStage(index: 0, name: "s", tasks: tasks)]), sink: EventRecorder())
        #expect(result.results == (0..<50).map { "r\($0)" })
        #expect(result.tasks.allSatisfy { $0.state == .succeeded })
        // Each task lasted at least its own sleep.
        for (index, task) in result.tasks.enumerated() {
            #expect(task.duration >= .milliseconds(100 - index * 2))
        }
    }

    @Test(arguments: [1, 3, 8])
    func capIsRespected(cap: Int) async {
        let tasks = (0..<24).map { sleepTask($0, milliseconds: 10 + ($0 * 7) % 20) }
        let result = await Executor().run(
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
        let clock = ContinuousClock()
        let began = clock.now
        let result = await Executor().run(plan([PlannedStage(index: 0, name: "s", tasks: tasks)]), sink: EventRecorder())
        #expect(clock.now - began < .seconds(5))
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
        let run = Task { await Executor().run(plan([PlannedStage(index: 0, name: "s", tasks: tasks)]), sink: sink) }
        let alreadyAllStarted = holder.withLock { state -> Bool in
            state.task = run
            return state.started == 1000
        }
        if alreadyAllStarted { run.cancel() }
        let clock = ContinuousClock()
        let began = clock.now
        let result = await run.value
        #expect(clock.now - began < .seconds(5))
        #expect(result.tasks.allSatisfy { $0.state == .cancelled })
        #expect(result.interrupted)
    }
}
