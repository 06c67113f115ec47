import Foundation
import Testing
@testable import FlowrunCore

/// Scheduling logic against a fake runner: no processes, fast and exact.
@Suite("Executor scheduling") struct ExecutionExecutorTests {
    @Test func resultsComeInDeclarationOrderUnderReversedCompletion() async {
        let runner = FakeRunner()
        let result = await Executor(runner: LocalTaskRunner(processes: runner)).run(
            plan([stage(0, "s", [("a", "60 0 A"), ("b", "30 0 B"), ("c", "0 0 C")])]), sink: EventRecorder())
        #expect(runner.finished == ["c", "b", "a"])
        #expect(result.results == ["A", "B", "C"])
        #expect(result.exitStatus == .success)
    }

    @Test(arguments: [1, 2, 3])
    func capIsRespectedAndTasksStartInOrder(cap: Int) async {
        let runner = FakeRunner()
        let commands = (0..<6).map { ("t\($0)", "\(10 + ($0 % 3) * 10) 0") }
        let recorder = EventRecorder()
        let result = await Executor(runner: LocalTaskRunner(processes: runner)).run(
            plan([stage(0, "s", maxParallel: cap, commands)]), sink: recorder)
        #expect(runner.maxRunning == cap)
        let starts = recorder.all.compactMap { event -> Int? in
            if case .taskStarted(let id, _, _) = event { id.task } else { nil }
        }
        #expect(starts == Array(0..<6))
        #expect(result.tasks.allSatisfy { $0.state == .succeeded })
    }

    @Test func failFastCancelsSiblingsSkipsUnstartedAndLaterStages() async {
        let clock = ManualClock()
        let executor = Executor(runner: LocalTaskRunner(processes: FakeRunner(clock: clock)), clock: clock)
        let run = Task {
            await executor.run(
                plan([
                    stage(0, "s", maxParallel: 2, [("long", "5000 0"), ("bad", "10 3"), ("later", "0 0")]),
                    stage(1, "next", [("n", "0 0")]),
                ]), sink: EventRecorder())
        }
        await clock.waitForSleepers(2)
        clock.advance(by: .milliseconds(10))
        let result = await run.value
        #expect(result.tasks.map(\.state) == [.cancelled, .failed(exitCode: 3), .skipped, .skipped])
        // The long task was cancelled the moment its sibling failed: no time passed after.
        #expect(result.wallTime == .milliseconds(10))
        #expect(result.tasks[0].finished == .milliseconds(10))
        #expect(result.firstFailure?.name == "bad")
        #expect(result.exitStatus == .taskFailed)
        #expect(result.stages[1].skipped)
    }

    @Test func failFastFalseRunsTheWholeStageThenStops() async {
        let runner = FakeRunner()
        let result = await Executor(runner: LocalTaskRunner(processes: runner)).run(
            plan([
                stage(0, "s", failFast: false, [("bad", "0 1"), ("slow", "50 0 S")]),
                stage(1, "next", [("n", "0 0")]),
            ]), sink: EventRecorder())
        #expect(result.tasks.map(\.state) == [.failed(exitCode: 1), .succeeded, .skipped])
        #expect(result.results == [nil, "S", nil])
    }

    @Test func continueOnErrorLetsTheRunGoOn() async {
        var first = stage(0, "s", [("bad", "0 2"), ("ok", "20 0")])
        first.tasks[0].continueOnError = true
        let result = await Executor(runner: LocalTaskRunner(processes: FakeRunner())).run(
            plan([first, stage(1, "next", [("n", "0 0 N")])]), sink: EventRecorder())
        #expect(result.tasks.map(\.state) == [.failed(exitCode: 2), .succeeded, .succeeded])
        #expect(result.exitStatus == .success)
    }

    @Test(arguments: [(0, 1, true), (2, 3, true), (3, 3, false)])
    func retriesAreCounted(failures: Int, attempts: Int, succeeds: Bool) async {
        var only = stage(0, "s", [("f", "flaky \(failures)")])
        only.tasks[0].retries = 2
        let recorder = EventRecorder()
        let result = await Executor(runner: LocalTaskRunner(processes: FakeRunner())).run(plan([only]), sink: recorder)
        #expect(result.tasks[0].attempts == attempts)
        #expect((result.tasks[0].state == .succeeded) == succeeds)
        let retried = recorder.all.filter { if case .attemptFailed(_, _, _, true, _) = $0 { true } else { false } }
        #expect(retried.count == min(failures, 2))
    }

    @Test func timeoutIsItsOwnState() async {
        let clock = ManualClock()
        let executor = Executor(runner: LocalTaskRunner(processes: FakeRunner(clock: clock)), clock: clock)
        let run = Task {
            await executor.run(plan([stage(0, "s", [("slow", "5000 0")], timeout: .milliseconds(30))]), sink: EventRecorder())
        }
        // The command's sleep and the timeout's.
        await clock.waitForSleepers(2)
        #expect(clock.deadlines == [.milliseconds(30), .milliseconds(5000)])
        clock.advanceToNextDeadline()
        let result = await run.value
        #expect(result.tasks[0].state == .timedOut)
        #expect(result.tasks[0].result == nil)
        #expect(result.tasks[0].finished == .milliseconds(30))
    }

    @Test func retryDelayPassesOnTheClockBetweenAttempts() async {
        let clock = ManualClock()
        var only = stage(0, "s", [("f", "flaky 1")])
        only.tasks[0].retries = 1
        only.tasks[0].retryDelay = .seconds(2)
        let executor = Executor(runner: LocalTaskRunner(processes: FakeRunner(clock: clock)), clock: clock)
        let run = Task { await executor.run(plan([only]), sink: EventRecorder()) }
        await clock.waitForSleepers(1)
        #expect(clock.deadlines == [.seconds(2)])
        clock.advanceToNextDeadline()
        let result = await run.value
        #expect(result.tasks[0].state == .succeeded)
        #expect(result.tasks[0].attemptSpans.map(\.started) == [.zero, .seconds(2)])
    }

    @Test func sleepActionNeedsNoProcess() async {
        let runner = FakeRunner()
        let nap = PlannedTask(
            id: TaskID(stage: 0, task: 0), stageName: "s", name: "nap", action: .sleep(.milliseconds(20)),
            result: PlannedText(literal: "task (nap) result"))
        let result = await Executor(runner: LocalTaskRunner(processes: runner)).run(
            plan([PlannedStage(index: 0, name: "s", tasks: [nap])]), sink: EventRecorder())
        #expect(result.results == ["task (nap) result"])
        #expect(runner.started.isEmpty)
    }

    @Test func cancellingTheRunCancelsRunningAndSkipsTheRest() async {
        let recorder = EventRecorder()
        let executor = Executor(runner: LocalTaskRunner(processes: FakeRunner()))
        let run = Task {
            await executor.run(plan([stage(0, "s", [("a", "5000 0")]), stage(1, "t", [("b", "0 0")])]), sink: recorder)
        }
        while !recorder.all.contains(where: { if case .taskStarted = $0 { true } else { false } }) {
            await Task.yield()
        }
        run.cancel()
        let result = await run.value
        #expect(result.interrupted)
        #expect(result.tasks.map(\.state) == [.cancelled, .skipped])
        guard case .runFinished = recorder.all.last else {
            Issue.record("runFinished must be the last event")
            return
        }
    }

    @Test func resultsAndSecretsFlowThroughTemplates() async {
        var second = stage(1, "use", [("u", "")])
        second.tasks[0].action = .run(
            command: PlannedText(parts: [.text("0 0 "), .taskResult(stage: "make", task: "m")], quotesValues: false),
            shell: ["sh", "-c"])
        second.tasks[0].result = PlannedText(parts: [.text("got "), .ownOutput(.stdout)])
        let result = await Executor(runner: LocalTaskRunner(processes: FakeRunner())).run(
            plan([stage(0, "make", [("m", "0 0 s3cret-value")]), second], secrets: ["s3cret"]), sink: EventRecorder())
        #expect(result.results == ["***-value", "got ***-value"])
    }
}
