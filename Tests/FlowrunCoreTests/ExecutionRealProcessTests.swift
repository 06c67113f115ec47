import Foundation
import Testing
@testable import FlowrunCore

/// The executor with real processes: ordering, fail-fast cleanup, caps,
/// timeouts, retries and template injection.
@Suite("Executor with processes") struct ExecutionRealProcessTests {
    private func executor() -> Executor {
        Executor(runner: LocalTaskRunner(processes: ProcessRunner(registry: ProcessGroupRegistry())), runID: Descendants.newMarker())
    }

    private func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "flowrun-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func orderingUnderReversedCompletion() async {
        let result = await executor().run(
            plan([stage(0, "s", [("a", "sleep 0.3; echo A"), ("b", "sleep 0.15; echo B"), ("c", "echo C")])]),
            sink: EventRecorder())
        #expect(result.results == ["A", "B", "C"])
        let ends = result.tasks.map { $0.finished ?? .zero }
        #expect(ends[0] > ends[1] && ends[1] > ends[2])
    }

    @Test func failFastEndsASleepingSiblingQuicklyAndLeavesNoProcess() async {
        let executor = executor()
        let result = await executor.run(
            plan([
                stage(0, "s", [("sleeper", "sleep 30 & sleep 30 & wait"), ("bad", "sleep 0.1; exit 7")]),
                stage(1, "after", [("never", "touch never")]),
            ]),
            sink: EventRecorder())
        #expect(result.tasks.map(\.state) == [.cancelled, .failed(exitCode: 7), .skipped])
        #expect(result.wallTime < .seconds(2))
        #expect(await Descendants.awaitNone(marker: executor.runID).isEmpty)
    }

    @Test func failFastFalseRunsAll() async {
        let result = await executor().run(
            plan([stage(0, "s", failFast: false, [("bad", "exit 1"), ("ok", "sleep 0.2; echo fine")])]),
            sink: EventRecorder())
        #expect(result.tasks.map(\.state) == [.failed(exitCode: 1), .succeeded])
        #expect(result.results == [nil, "fine"])
    }

    /// Overlap measured from timestamps the tasks write themselves.
    @Test(arguments: [1, 2, 4])
    func capMeasuredFromTaskTimestamps(cap: Int) async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let script = "echo \"$(date +%s%N) 1\" >> log; sleep 0.1; echo \"$(date +%s%N) -1\" >> log"
        let commands = (0..<6).map { ("t\($0)", script) }
        let result = await executor().run(
            plan([stage(0, "s", maxParallel: cap, commands, directory: dir)]), sink: EventRecorder())
        #expect(result.tasks.allSatisfy { $0.state == .succeeded })
        let log = try String(contentsOfFile: dir + "/log", encoding: .utf8)
        let marks = log.split(separator: "\n").map { line -> (Int, Int) in
            let fields = line.split(separator: " ")
            return (Int(fields[0]) ?? 0, Int(fields[1]) ?? 0)
        }.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        var running = 0
        var peak = 0
        for (_, delta) in marks {
            running += delta
            peak = max(peak, running)
        }
        #expect(marks.count == 12)
        #expect(peak == cap)
    }

    @Test func timeoutKillsATreeThatTrapsTerm() async {
        let executor = executor()
        let result = await executor.run(
            plan([stage(0, "s", [("stubborn", "trap '' TERM; sleep 100 & sleep 100; wait")], timeout: .milliseconds(300))],
                 grace: .milliseconds(300)),
            sink: EventRecorder())
        #expect(result.tasks[0].state == .timedOut)
        #expect(result.tasks[0].duration >= .milliseconds(550))
        // Timeout + grace is 600 ms; the bound is loose because other suites
        // load the machine meanwhile, and still far below the 100 s sleeps.
        #expect(result.tasks[0].duration < .seconds(5))
        #expect(await Descendants.awaitNone(marker: executor.runID).isEmpty)
    }

    @Test func retriesAreCountedAndThePreviousTreeIsGoneFirst() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Each attempt leaves a background child that would bump "alive" if it survived.
        let script = """
            (trap '' TERM; sleep 0.5; echo survivor >> alive) &
            echo x >> attempts; [ "$(wc -l < attempts)" -ge 3 ] && { sleep 0.7; exit 0; }; exit 1
            """
        var only = stage(0, "s", [("flaky", script)], directory: dir)
        only.tasks[0].retries = 3
        let result = await executor().run(plan([only]), sink: EventRecorder())
        #expect(result.tasks[0].attempts == 3)
        #expect(result.tasks[0].state == .succeeded)
        // Attempts 1 and 2 had their groups killed on exit; only the last attempt's child got to write.
        let alive = (try? String(contentsOfFile: dir + "/alive", encoding: .utf8)) ?? ""
        #expect(alive.split(separator: "\n").count == 1)
    }

    @Test func injectionThroughResultsIsInert() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let payload = "a'b\"c $(touch pwned1) `touch pwned2`; touch pwned3 && echo \\\nnext line | tee pwned4"
        var first = stage(0, "make", [("evil", "printf '%s' \"$PAYLOAD\"")], directory: dir)
        first.tasks[0].environment = [.init(name: "PAYLOAD", value: PlannedText(literal: payload))]
        var second = stage(1, "use", [("echo", "")], directory: dir)
        second.tasks[0].action = .run(
            command: PlannedText(parts: [.text("printf '%s' "), .taskResult(stage: "make", task: "evil")], quotesValues: true),
            shell: ["sh", "-c"])
        let result = await executor().run(plan([first, second]), sink: EventRecorder())
        #expect(result.results == [payload, payload])
        let files = try FileManager.default.contentsOfDirectory(atPath: dir)
        #expect(files.isEmpty)
    }

    @Test func taskEnvironmentNamesTheRun() async {
        let executor = executor()
        let result = await executor.run(
            plan([stage(0, "st", [("tk", "echo $FLOWRUN_WORKFLOW/$FLOWRUN_STAGE/$FLOWRUN_TASK/$FLOWRUN_RUN_ID")])]),
            sink: EventRecorder())
        #expect(result.results == ["test/st/tk/\(executor.runID)"])
    }

    @Test func outputLinesArriveBatchedAndMasked() async {
        let recorder = EventRecorder()
        let result = await executor().run(
            plan([stage(0, "s", [("many", "seq 1 100000; echo token=hunter2")])], secrets: ["hunter2"]),
            sink: recorder)
        var lines = 0
        var batches = 0
        var last = ""
        for case .output(_, .stdout, let batch) in recorder.all {
            lines += batch.count
            batches += 1
            last = batch.last ?? last
        }
        #expect(lines == 100_001)
        #expect(batches < 1000)
        #expect(last == "token=***")
        #expect(result.results.first??.hasSuffix("token=***") == true)
    }
}
