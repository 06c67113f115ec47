import Foundation
import Testing
@testable import FlowrunCore

@Suite("ProcessRunner") struct ExecutionProcessRunnerTests {
    let runner = ProcessRunner(registry: ProcessGroupRegistry())

    @Test func linesIncludingLastWithoutNewline() async {
        let collector = LineCollector()
        let outcome = await runner.run(shell("printf 'a\\nb\\n\\nc'; printf 'e1\\ne2' >&2"), onLines: collector.onLines)
        #expect(outcome.termination == .exited(0))
        #expect(collector.lines(.stdout) == ["a", "b", "", "c"])
        #expect(collector.lines(.stderr) == ["e1", "e2"])
        #expect(outcome.stdout == "a\nb\n\nc")
        #expect(outcome.stderrTail == ["e1", "e2"])
    }

    @Test(arguments: [
        ("exit 0", ProcessOutcome.Termination.exited(0)),
        ("exit 1", .exited(1)),
        ("exit 42", .exited(42)),
        ("exit 255", .exited(255)),
        ("kill -KILL $$", .signaled(9)),
        ("kill -SEGV $$", .signaled(11)),
    ])
    func exitStatusFidelity(script: String, expected: ProcessOutcome.Termination) async {
        let outcome = await runner.run(shell(script), onLines: { _, _ in })
        #expect(outcome.termination == expected)
    }

    #if os(Linux)
    /// glibc reserves signals 32 and 33 and refuses to change their
    /// disposition, and SwiftPM starts test processes with glibc's
    /// posix_spawn, which leaves them ignored: the spawn resets them with raw
    /// system calls, so not one signal is ignored in the child, and the mask is empty.
    @Test func childHasEmptySignalMaskAndDefaultDispositions() async throws {
        let collector = LineCollector()
        let outcome = await runner.run(
            shell("exec grep -E '^Sig(Blk|Ign):' /proc/self/status"), onLines: collector.onLines)
        #expect(outcome.termination == .exited(0))
        let lines = collector.lines(.stdout)
        try #require(lines.count == 2)
        #expect(lines[0] == "SigBlk:\t0000000000000000")
        #expect(lines[1] == "SigIgn:\t0000000000000000")
    }

    @Test func childHasOwnSessionNullStdinAndOnlyStandardDescriptors() async {
        let collector = LineCollector()
        let script = #"""
        set -- $(cut -d' ' -f1,5,6 /proc/$$/stat)
        [ "$1" = "$2" ] && [ "$1" = "$3" ] && echo leader
        readlink /proc/$$/fd/0
        ls /proc/$$/fd
        """#
        let outcome = await runner.run(shell(script), onLines: collector.onLines)
        #expect(outcome.termination == .exited(0))
        #expect(collector.lines(.stdout) == ["leader", "/dev/null", "0", "1", "2"])
    }
    #endif

    @Test func backgroundedGrandchildDoesNotHoldTheTask() async {
        let marker = Descendants.newMarker()
        let started = ContinuousClock.now
        let outcome = await runner.run(shell("sleep 100 & echo started; exit 0", marker: marker), onLines: { _, _ in })
        let elapsed = ContinuousClock.now - started
        #expect(outcome.termination == .exited(0))
        #expect(outcome.stdout == "started\n")
        #expect(!outcome.escapedDescendant)
        // Far below the 100 s the grandchild would hold the pipe; generous
        // because other suites of this process load the two cores meanwhile.
        #expect(elapsed < .seconds(5))
        #expect(await Descendants.awaitNone(marker: marker).isEmpty)
    }

    @Test func missingShellIsAFailureToStart() async {
        let request = ProcessRequest(arguments: ["flowrun-no-such-shell", "-c", "true"])
        let outcome = await runner.run(request, onLines: { _, _ in })
        guard case .failedToStart(let reason) = outcome.termination else {
            Issue.record("expected failedToStart, got \(outcome.termination)")
            return
        }
        #expect(reason.contains("flowrun-no-such-shell"))
    }

    @Test func missingWorkingDirectoryIsAFailureToStart() async {
        let outcome = await runner.run(shell("true", directory: "/nonexistent/flowrun"), onLines: { _, _ in })
        guard case .failedToStart(let reason) = outcome.termination else {
            Issue.record("expected failedToStart, got \(outcome.termination)")
            return
        }
        #expect(reason.contains("/nonexistent/flowrun"))
    }

    @Test func cancellationKillsATreeThatIgnoresTerm() async {
        let marker = Descendants.newMarker()
        let collector = LineCollector()
        let request = shell("trap '' TERM; sleep 100 & sleep 100 & echo ready; wait", marker: marker)
        let task = Task { await runner.run(request, onLines: collector.onLines) }
        // Cancel once the tree is up: the first line says the children exist.
        while collector.lines(.stdout).isEmpty { try? await Task.sleep(for: .milliseconds(5)) }
        let cancelled = ContinuousClock.now
        task.cancel()
        let outcome = await task.value
        let elapsed = ContinuousClock.now - cancelled
        #expect(outcome.termination == .signaled(9))
        #expect(elapsed >= .milliseconds(250))
        #expect(elapsed < .milliseconds(1500))
        #expect(await Descendants.awaitNone(marker: marker).isEmpty)
    }

    @Test func cancellationEndsAPoliteTreeWithoutWaitingForTheGrace() async {
        let marker = Descendants.newMarker()
        let collector = LineCollector()
        let request = shell("sleep 100 & echo ready; wait", marker: marker, grace: .seconds(5))
        let task = Task { await runner.run(request, onLines: collector.onLines) }
        while collector.lines(.stdout).isEmpty { try? await Task.sleep(for: .milliseconds(5)) }
        let cancelled = ContinuousClock.now
        task.cancel()
        let outcome = await task.value
        #expect(outcome.termination == .signaled(15))
        #expect(ContinuousClock.now - cancelled < .seconds(1))
        #expect(await Descendants.awaitNone(marker: marker).isEmpty)
    }

    @Test func fiftyMegabytesOnBothStreamsAtOnce() async {
        let counter = LineCounter()
        // 50,000,000 bytes of 10-byte lines on each stream, concurrently.
        let script = "yes 123456789 | head -c 50000000 & yes abcdefghi | head -c 50000000 >&2; wait"
        let outcome = await runner.run(shell(script, captureStdout: 0), onLines: counter.onLines)
        #expect(outcome.termination == .exited(0))
        #expect(counter.count(.stdout).lines == 5_000_000)
        #expect(counter.count(.stderr).lines == 5_000_000)
        #expect(counter.count(.stdout).bytes == 45_000_000)
    }

    @Test func hugeLineIsEmittedInBoundedPieces() async {
        let counter = LineCounter()
        let collector = LineCollector()
        let outcome = await runner.run(
            shell("head -c 1000000 /dev/zero | tr '\\0' x", captureStdout: 0),
            onLines: { counter.onLines($0, $1); collector.onLines($0, $1) })
        #expect(outcome.termination == .exited(0))
        #expect(counter.count(.stdout).bytes == 1_000_000)
        #expect(collector.lines(.stdout).allSatisfy { $0.utf8.count <= LineSplitter.defaultMaxLineBytes })
        #expect(collector.lines(.stdout).count == 16)
    }

    @Test func secretSplitAcrossReadsIsMasked() async {
        let collector = LineCollector()
        // The pause makes the secret arrive in two separate reads.
        let outcome = await runner.run(
            shell("printf 'token=hunt'; sleep 0.05; printf 'er2 done\\n'", secrets: ["hunter2"]),
            onLines: collector.onLines)
        #expect(outcome.termination == .exited(0))
        #expect(collector.lines(.stdout) == ["token=*** done"])
        #expect(outcome.stdout == "token=*** done\n")
    }
}
