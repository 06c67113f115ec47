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

        /// Logged, then declined: the task is then checked at its success.
        func prepareSuccess(_ task: PlannedTask, inputs: FingerprintInput) -> Int? {
            log.withLock { $0.append("prepare \(task.name)") }
            return nil
        }

        func receive(_ event: RunEvent) {
            switch event {
            // The plan declares good (task 0), then bad.
            case .taskStarted(let id, _, _): log.withLock { $0.append("start " + (id.task == 0 ? "good" : "bad")) }
            case .taskFinished(let result): log.withLock { $0.append("finished \(result.name)") }
            default: break
            }
        }
    }

    func run(_ recorder: Recorder) async {
        let executor = Executor(runner: LocalTaskRunner(processes: FakeRunner()), cache: recorder)
        _ = await executor.run(plan([stage(0, "s", failFast: false, [("good", "0 0"), ("bad", "10 1")])]), sink: recorder)
    }

    @Test func checkedAtSuccessOnlyWhenTheTaskSucceeded() async {
        let recorder = Recorder(atSuccess: true)
        await run(recorder)
        // Checks, starts and successes happen in the stage loop, in this order; each child's
        // finish comes from its own task, after its start and before the loop sees it.
        let entries = recorder.entries
        // Prepared after both started: no fingerprint is made between two starts.
        #expect(entries.filter { !$0.hasPrefix("finished") }
                == ["start good", "start bad", "prepare good", "prepare bad", "check good", "success good"])
        #expect(before(entries, "start good", "finished good", "check good"))
        #expect(before(entries, "start bad", "finished bad"))
    }

    @Test func otherwiseCheckedBeforeStarting() async {
        let recorder = Recorder(atSuccess: false)
        await run(recorder)
        let entries = recorder.entries
        #expect(entries.filter { !$0.hasPrefix("finished") } == ["check good", "start good", "check bad", "start bad", "success good"])
        #expect(before(entries, "start good", "finished good", "success good"))
        #expect(before(entries, "start bad", "finished bad"))
    }

    /// True when each entry is logged exactly once and in the given order.
    func before(_ entries: [String], _ ordered: String...) -> Bool {
        let positions = ordered.map { entry in entries.indices.filter { entries[$0] == entry } }
        return positions.allSatisfy { $0.count == 1 } && positions.map { $0[0] } == positions.map { $0[0] }.sorted()
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
