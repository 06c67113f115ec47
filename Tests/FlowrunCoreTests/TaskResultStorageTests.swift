import Testing
@testable import FlowrunCore

/// A task result keeps what most tasks leave empty out of line, and its
/// single plain attempt span as nothing at all, with the same values seen.
@Suite struct TaskResultStorageTests {
    let id = TaskID(stage: 0, task: 3)

    func slept(_ state: TaskState = .succeeded) -> TaskResult {
        TaskResult(
            id: id, stageName: "s", name: "t", state: state, attempts: 1, started: .seconds(1), finished: .seconds(2),
            result: "", attemptSpans: [AttemptSpan(attempt: 1, started: .seconds(1), finished: .seconds(2), state: state)],
            queued: .milliseconds(5))
    }

    @Test func aResultIsSmall() {
        #expect(MemoryLayout<TaskState>.size <= 9)
        #expect(MemoryLayout<TaskResult>.stride <= 120)
    }

    @Test func timesAreKeptToTheNanosecondAndClampedAtTheEnds() {
        var result = slept()
        result.started = .nanoseconds(1_234_567_891)
        result.finished = .seconds(-2)
        #expect(result.started == .nanoseconds(1_234_567_891) && result.finished == .seconds(-2))
        result.queued = .seconds(Int64.max / 2)
        #expect(result.queued == .nanoseconds(Int64.max))
        result.queued = .seconds(Int64.min / 2)
        #expect(result.queued == .nanoseconds(Int64.min))
        result.started = nil
        #expect(result.started == nil && result.finished == .seconds(-2))
    }

    @Test func thePlainSingleAttemptIsImpliedAndReadBack() {
        let result = slept()
        #expect(result.spanIsImplied)
        #expect(result.extras === TaskResult.Extras.none)
        #expect(result.attemptSpans == [AttemptSpan(attempt: 1, started: .seconds(1), finished: .seconds(2), state: .succeeded)])
        #expect(result.resources == nil)
        #expect(result.started == .seconds(1) && result.finished == .seconds(2) && result.queued == .milliseconds(5))
        #expect(result.duration == .seconds(1))
    }

    @Test func changingATimeOrTheStateKeepsTheSpanAsItWas() {
        var result = slept()
        result.state = .cancelled
        result.finished = .seconds(3)
        #expect(result.attemptSpans == [AttemptSpan(attempt: 1, started: .seconds(1), finished: .seconds(2), state: .succeeded)])
        #expect(!result.spanIsImplied)
        #expect(slept() != result)
    }

    @Test func otherSpansAndRareFieldsAreStoredAndCopiedOnWrite() {
        let measured = ResourceUsage(userCPU: .milliseconds(3), maxRSS: 1024)
        let spans = [
            AttemptSpan(attempt: 1, started: .seconds(1), finished: .seconds(2), state: .failed(exitCode: 1)),
            AttemptSpan(attempt: 2, started: .seconds(3), finished: .seconds(4), state: .succeeded, resources: measured),
        ]
        var result = TaskResult(
            id: id, stageName: "s", name: "t", state: .succeeded, attempts: 2, started: .seconds(1), finished: .seconds(4),
            stderrTail: ["e"], attemptSpans: spans)
        #expect(!result.spanIsImplied && result.attemptSpans == spans && result.resources == measured)
        let copy = result
        result.outputs = [TaskOutput(name: "o", value: "v")]
        result.matrixTask = "m"
        #expect(copy.outputs.isEmpty && copy.matrixTask == nil && copy.stderrTail == ["e"])
        #expect(result.outputs == [TaskOutput(name: "o", value: "v")] && result.stderrTail == ["e"])
        let skipped = TaskResult(id: id, stageName: "s", name: "t", state: .skipped)
        #expect(skipped.attemptSpans.isEmpty && skipped.started == nil && skipped.queued == nil)
        #expect(skipped.extras === TaskResult.Extras.none)
        #expect(TaskState.failedToStart(reason: "r") == .failedToStart(reason: "r"))
    }

    @Test func aFinishedSleepHasItsOneSpanImplied() async {
        let sleep = PlannedTask(id: TaskID(stage: 0, task: 0), stageName: "s", name: "z", action: .sleep(.milliseconds(1)))
        let run = await Executor(runner: LocalTaskRunner(processes: FakeRunner()))
            .run(plan([PlannedStage(index: 0, name: "s", tasks: [sleep])]), sink: EventRecorder())
        let result = run.tasks[0]
        #expect(result.spanIsImplied && result.extras === TaskResult.Extras.none)
        let started = result.started ?? .zero
        #expect(result.attemptSpans == [AttemptSpan(attempt: 1, started: started, finished: result.finished ?? .zero, state: .succeeded)])
        #expect(result.finished.map { $0 - started >= .milliseconds(1) } == true)
    }
}
