import Synchronization
import Testing
@testable import FlowrunCore

/// What the executor makes of a runner's rusage and spawn time: resources on
/// every attempt, and queueing kept out of running time.
@Suite("Executor resources and queueing") struct ExecutionResourceTests {
    /// Waits `queue` before "spawning", then runs for `run`; reports a fixed rusage.
    /// Fails its first `failures` attempts.
    final class QueueingRunner: TaskRunner {
        let queue: Duration
        let runFor: Duration
        let failures: Int
        private let attempts = Mutex(0)

        init(queue: Duration, run: Duration, failures: Int = 0) {
            self.queue = queue
            self.runFor = run
            self.failures = failures
        }

        func run(
            _ request: TaskAttempt, onLines: @escaping @Sendable (OutputStreamKind, OutputLines) -> Void
        ) async -> ProcessOutcome {
            let attempt = attempts.withLock { count -> Int in
                count += 1
                return count
            }
            try? await Task.sleep(for: queue)
            let spawned = ContinuousClock.now
            try? await Task.sleep(for: runFor)
            let running = ContinuousClock.now - spawned
            let usage = ResourceUsage(
                userCPU: .milliseconds(10 * attempt), systemCPU: .milliseconds(5), maxRSS: 1_000_000 * attempt,
                readBlocks: 8, writtenBlocks: attempt)
            return ProcessOutcome(
                termination: .exited(attempt <= failures ? 1 : 0), resources: usage, running: running)
        }
    }

    @Test func spawnWaitIsQueuedTimeNotRunningTime() async {
        let runner = QueueingRunner(queue: .milliseconds(300), run: .milliseconds(50))
        let result = await Executor(runner: runner).run(plan([stage(0, "s", [("a", "x")])]), sink: EventRecorder())
        let task = result.tasks[0]
        #expect(task.state == .succeeded)
        #expect(task.queued.map { $0 >= .milliseconds(300) } == true)
        // Before: the span began at dispatch and the 300 ms wait counted as running.
        #expect(task.duration < .milliseconds(250))
        #expect(task.attemptSpans[0].started == task.started)
        #expect(task.started.map { $0 >= .milliseconds(300) } == true)
    }

    @Test func everyAttemptKeepsItsOwnResourcesAndTheTaskSumsThem() async {
        let runner = QueueingRunner(queue: .zero, run: .milliseconds(5), failures: 1)
        var first = stage(0, "s", [("a", "x")])
        first.tasks[0].retries = 1
        let result = await Executor(runner: runner).run(plan([first]), sink: EventRecorder())
        let task = result.tasks[0]
        #expect(task.attempts == 2)
        #expect(task.attemptSpans.map(\.resources?.userCPU) == [.milliseconds(10), .milliseconds(20)])
        #expect(task.resources == ResourceUsage(
            userCPU: .milliseconds(30), systemCPU: .milliseconds(10), maxRSS: 2_000_000, readBlocks: 16, writtenBlocks: 3))
    }

    @Test func aRunnerThatMeasuresNothingLeavesResourcesUnset() async {
        let result = await Executor(runner: LocalTaskRunner(processes: FakeRunner())).run(plan([stage(0, "s", [("a", "0 0")])]), sink: EventRecorder())
        #expect(result.tasks[0].resources == nil)
        #expect(result.tasks[0].queued != nil)
    }

    @Test func combiningAddsTimesAndBlocksAndKeepsThePeak() {
        let a = ResourceUsage(userCPU: .seconds(1), systemCPU: .milliseconds(200), maxRSS: 50, readBlocks: 1, writtenBlocks: 2)
        let b = ResourceUsage(userCPU: .milliseconds(500), systemCPU: .zero, maxRSS: 80, readBlocks: 3, writtenBlocks: 4)
        #expect(ResourceUsage.combined([a, nil, b]) == ResourceUsage(
            userCPU: .milliseconds(1500), systemCPU: .milliseconds(200), maxRSS: 80, readBlocks: 4, writtenBlocks: 6))
        #expect(ResourceUsage.combined([nil, nil]) == nil)
        #expect(a.cpu == .milliseconds(1200))
    }
}
