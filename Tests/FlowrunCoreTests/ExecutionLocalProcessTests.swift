import Foundation
import Synchronization
import Testing
@testable import FlowrunCore

/// The local process core beyond the runner's basic contract: resource
/// figures from `wait4`, results cut at a line break, and many children at once.
@Suite("Local process core") struct ExecutionLocalProcessTests {
    let runner = ProcessRunner(registry: ProcessGroupRegistry())

    @Test func peakMemoryOfATaskThatTouchesSixtyMegabytes() async throws {
        // dd reads 60 MiB from /dev/zero into one buffer: every page is touched.
        let outcome = await runner.run(shell("dd if=/dev/zero of=/dev/null bs=60M count=1 2>/dev/null"), onLines: { _, _ in })
        #expect(outcome.termination == .exited(0))
        let resources = try #require(outcome.resources)
        #expect(resources.maxRSS >= 60 << 20, "\(resources)")
        #expect(resources.maxRSS < 200 << 20, "\(resources)")
    }

    @Test func cpuTimeOfABusyTask() async throws {
        let outcome = await runner.run(
            shell("i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done"), onLines: { _, _ in })
        #expect(outcome.termination == .exited(0))
        let resources = try #require(outcome.resources)
        #expect(resources.cpu >= .milliseconds(50), "\(resources)")
        #expect(resources.cpu < .seconds(30))
    }

    @Test func aTaskThatDidNotStartHasNoResources() async {
        let outcome = await runner.run(shell("true", directory: "/nonexistent/flowrun"), onLines: { _, _ in })
        #expect(outcome.resources == nil)
    }

    @Test func resultCutAtTheLastLineBreakWithinTheLimit() async {
        let outcome = await runner.run(
            shell("printf 'aaaa\\nbbbb\\ncccc\\n'", captureStdout: 12), onLines: { _, _ in })
        #expect(outcome.stdout == "aaaa\nbbbb\n")
        #expect(outcome.stdoutTruncated)
    }

    @Test func resultWithinTheLimitIsWholeAndNotMarked() async {
        let outcome = await runner.run(shell("printf 'aaaa\\nbb'", captureStdout: 7), onLines: { _, _ in })
        #expect(outcome.stdout == "aaaa\nbb")
        #expect(!outcome.stdoutTruncated)
    }

    @Test func oneLongLineIsCutAtTheLimit() async {
        let outcome = await runner.run(shell("printf 'abcdefghij'", captureStdout: 4), onLines: { _, _ in })
        #expect(outcome.stdout == "abcd")
        #expect(outcome.stdoutTruncated)
    }

    /// The shape of the crash of issue 12: many children exiting at once.
    @Test func fiveHundredConcurrentChildrenAllEndCleanly() async {
        let outcomes = await withTaskGroup(of: ProcessOutcome.self) { group in
            for index in 0..<500 {
                group.addTask { await runner.run(shell("sleep 0.2; echo \(index)"), onLines: { _, _ in }) }
            }
            var all: [ProcessOutcome] = []
            for await outcome in group { all.append(outcome) }
            return all
        }
        #expect(outcomes.count == 500)
        #expect(outcomes.allSatisfy { $0.termination == .exited(0) })
        #expect(Set(outcomes.map(\.stdout)).count == 500)
    }

    /// Issue 9.9: each TERM and KILL of an ending is reported with its task and group (`-v` logs them).
    @Test func signalsSentToAGroupAreReported() async throws {
        let registry = ProcessGroupRegistry()
        let notes = Mutex<[ProcessGroup.SignalNote]>([])
        registry.observeSignals { note in notes.withLock { $0.append(note) } }
        let collector = LineCollector()
        var request = shell("trap '' TERM; echo ready; sleep 100")
        request.environment += [("FLOWRUN_STAGE", "build"), ("FLOWRUN_TASK", "stubborn")]
        let task = Task { await ProcessRunner(registry: registry).run(request, onLines: collector.onLines) }
        while collector.lines(.stdout).isEmpty { try? await Task.sleep(for: .milliseconds(5)) }
        task.cancel()
        let outcome = await task.value
        #expect(outcome.termination == .signaled(9))
        let seen = notes.withLock { $0 }
        #expect(seen.map(\.signal) == [15, 9])
        #expect(seen.allSatisfy { $0.task == "build/stubborn" && $0.group > 1 })
    }

    @Test func aTaskThatEndsByItselfLogsNoSignal() async {
        let registry = ProcessGroupRegistry()
        let notes = Mutex(0)
        registry.observeSignals { _ in notes.withLock { $0 += 1 } }
        _ = await ProcessRunner(registry: registry).run(shell("sleep 100 & exit 0"), onLines: { _, _ in })
        #expect(notes.withLock { $0 } == 0)
    }

    /// Issue 9.13: a result over the limit ends at a line break and says it was cut.
    @Test func aLongResultIsCutAtALineAndMarked() async throws {
        let runner = LocalTaskRunner(processes: ProcessRunner(registry: ProcessGroupRegistry()), resultCaptureLimit: 1000)
        let result = await Executor(runner: runner)
            .run(plan([stage(0, "s", [("long", "seq 1 1000"), ("short", "seq 1 3")])]), sink: EventRecorder())
        let long = try #require(result.tasks.first { $0.name == "long" })
        #expect(long.resultTruncated)
        #expect(long.result?.hasSuffix("\n") == false)
        #expect(long.result?.split(separator: "\n").last.flatMap { Int($0) } != nil)
        #expect((long.result?.utf8.count ?? 0) <= 1000)
        let short = try #require(result.tasks.first { $0.name == "short" })
        #expect(!short.resultTruncated)
        #expect(short.result == "1\n2\n3")
        let json = JSONReport.render(plan: plan([]), run: result, exitStatus: .success)
        #expect(json.components(separatedBy: "\"resultTruncated\": true").count == 2)
    }
}
