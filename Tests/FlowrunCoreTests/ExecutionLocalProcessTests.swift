import Foundation
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
}
