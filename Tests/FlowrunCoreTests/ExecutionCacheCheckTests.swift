import Synchronization
import Testing
@testable import FlowrunCore

/// A task whose fingerprint reads no file and that no stored success could
/// stand for is fingerprinted once it succeeded, not kept while it runs; the
/// others are checked before they start, as before.
@Suite struct ExecutionCacheCheckTests {
    /// Records the order of checks, starts and successes.
    final class Recorder: TaskCache, RunEventSink, @unchecked Sendable {
        let atSuccess: Bool
        private let log = Mutex<[String]>([])
        private let checked = Mutex<[String: Fingerprint]>([:])
        init(atSuccess: Bool) { self.atSuccess = atSuccess }
        var entries: [String] { log.withLock { $0 } }

        func check(_ task: PlannedTask, inputs: FingerprintInput) -> TaskCacheDecision {
            log.withLock { $0.append("check \(task.name)") }
            let fingerprint = Fingerprint(inputs)
            checked.withLock { $0[task.name] = fingerprint }
            return TaskCacheDecision(fingerprint: fingerprint)
        }

        func recordSuccess(_ task: PlannedTask, fingerprint: Fingerprint, result: String?, outputs: [TaskOutput]) {
            let expected = checked.withLock { $0[task.name] }
            log.withLock { $0.append("success \(task.name)" + (fingerprint == expected ? "" : " (other fingerprint)")) }
        }

        func checksAtSuccess(_ task: PlannedTask) -> Bool { atSuccess }

        func receive(_ event: RunEvent) {
            if case .taskFinished(let result) = event { log.withLock { $0.append("finished \(result.name)") } }
        }
    }

    func run(_ recorder: Recorder) async {
        let executor = Executor(runner: LocalTaskRunner(processes: FakeRunner()), cache: recorder)
        _ = await executor.run(plan([stage(0, "s", failFast: false, [("good", "0 0"), ("bad", "10 1")])]), sink: recorder)
    }

    @Test func checkedAtSuccessOnlyWhenTheTaskSucceeded() async {
        let recorder = Recorder(atSuccess: true)
        await run(recorder)
        #expect(recorder.entries == ["finished good", "check good", "success good", "finished bad"])
    }

    @Test func otherwiseCheckedBeforeStarting() async {
        let recorder = Recorder(atSuccess: false)
        await run(recorder)
        #expect(recorder.entries == ["check good", "check bad", "finished good", "success good", "finished bad"])
    }

    @Test func theStateCacheChecksAtSuccessOnlyWhatItCouldNotReuse() {
        let cache = { (options: StateTaskCache.Options) in StateTaskCache(store: NoRunState(), runID: "r", options: options) }
        var plain = task(0, 0, "s", "t", run: "true")
        #expect(cache(.init()).checksAtSuccess(plain))
        #expect(!cache(.init(resume: true)).checksAtSuccess(plain))
        #expect(cache(.init(force: true, resume: true)).checksAtSuccess(plain))
        plain.generates = ["out"]
        #expect(!cache(.init()).checksAtSuccess(plain))
        plain.generates = []
        plain.sources = ["*.c"]
        #expect(!cache(.init(force: true)).checksAtSuccess(plain))
    }

    /// The state cache keeps a starting task's fingerprint in its list of successes, unconfirmed
    /// until the task succeeded: a failed task's entry is never written.
    @Test func theStateCachePreparesSuccessesAndWritesOnlyConfirmedOnes() async {
        let cache = StateTaskCache(store: NoRunState(), runID: "r", expectedTasks: 2)
        let executor = Executor(runner: LocalTaskRunner(processes: FakeRunner()), cache: cache)
        let thePlan = plan([stage(0, "s", failFast: false, [("good", "0 0"), ("bad", "10 1")])])
        _ = await executor.run(thePlan, sink: EventRecorder())
        var written: [SucceededTasks.Entry] = []
        cache.succeededTasks.forEachByName { written.append($0) }
        let good = thePlan.stages[0].tasks[0]
        let expected = StateTaskCache(store: NoRunState(), runID: "r")
            .check(good, inputs: good.fingerprintInput { $0.render { _ in "" } }).fingerprint
        #expect(written.map(\.name) == ["s/good"])
        #expect(written.first?.fingerprint == expected)
        var tasks = SucceededTasks()
        let token = tasks.reserve(.init(name: "s/x", fingerprint: expected))
        #expect(tasks.byName.isEmpty)
        tasks.confirm(token, outputs: ["k": "v"])
        #expect(tasks.byName["s/x"]?.outputs == ["k": "v"])
    }
}
