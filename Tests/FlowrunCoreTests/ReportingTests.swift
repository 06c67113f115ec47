import Foundation
import Testing
@testable import FlowrunCore

@Suite("Reporting") struct ReportingTests {
    @Test(arguments: [
        (Duration.milliseconds(0), "0ms"), (.milliseconds(850), "850ms"), (.milliseconds(3519), "3.52s"),
        (.seconds(10.5), "10.50s"), (.milliseconds(62_540), "1m02.5s"), (.seconds(7384), "2h03m04s"),
    ])
    func humanDurations(duration: Duration, text: String) {
        #expect(DurationFormat.human(duration) == text)
    }

    @Test func jsonSeconds() {
        #expect(DurationFormat.seconds(.milliseconds(1234)) == "1.234")
        #expect(DurationFormat.seconds(.milliseconds(5)) == "0.005")
        #expect(DurationFormat.seconds(.zero) == "0.000")
        #expect(DurationFormat.seconds(.milliseconds(-1500)) == "-1.500")
        #expect(DurationFormat.seconds(.nanoseconds(999_999)) == "0.000")
        // The digits written by hand agree with the plain formula everywhere.
        for millis in [0, 1, 9, 10, 99, 100, 999, 1000, 1001, 59_999, 86_400_000, 123_456_789_012, -7, -1000, -123_456] {
            let magnitude = abs(millis)
            let fraction = String(magnitude % 1000)
            let expected = (millis < 0 ? "-" : "") + "\(magnitude / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
            #expect(DurationFormat.seconds(.milliseconds(millis)) == expected)
        }
    }

    @Test func jsonEscaping() {
        #expect(JSONText.quoted("a\"b\\c\nd\u{1}\u{1F}é") == "\"a\\\"b\\\\c\\nd\\u0001\\u001Fé\"")
        #expect(JSONText.quoted(nil as String?) == "null")
    }

    @Test func resultsPrintLikeTheSeed() {
        #expect(RunReport.pythonTuple(["task (1) result", "task (2) result"]) == "('task (1) result', 'task (2) result')")
        #expect(RunReport.pythonTuple(["it's", nil]) == "(\"it's\", None)")
        #expect(RunReport.pythonTuple(["a\nb"]) == "('a\\nb',)")
    }

    private func sampleRun() -> RunResult {
        let tasks = [
            TaskResult(id: TaskID(stage: 0, task: 0), stageName: "build", name: "compile", state: .succeeded,
                       attempts: 1, started: .zero, finished: .milliseconds(1200), result: "ok\nmore"),
            TaskResult(id: TaskID(stage: 0, task: 1), stageName: "build", name: "lint", state: .failed(exitCode: 2),
                       attempts: 2, started: .zero, finished: .milliseconds(300), stderrTail: ["bad style"]),
            TaskResult(id: TaskID(stage: 1, task: 0), stageName: "ship", name: "upload", state: .skipped),
        ]
        return RunResult(
            workflowName: "release", runID: "r1", startedAt: WallTime(seconds: 0, nanoseconds: 0),
            wallTime: .milliseconds(1250),
            stages: [StageResult(index: 0, name: "build", started: .zero, finished: .milliseconds(1250)),
                     StageResult(index: 1, name: "ship")],
            tasks: tasks, interrupted: false)
    }

    @Test func textReport() {
        let text = RunReport.render(sampleRun())
        #expect(text == """
            stage build: 1.25s
              compile  succeeded           1.20s  1 attempt   result: ok…
              lint     failed (exit 2)     300ms  2 attempts
            stage ship: skipped
              upload   skipped
            total: wall 1.25s, task time 1.50s, parallelism 1.20x, critical path 1.20s
            first failure: build/lint failed (exit 2)
              | bad style
            result: ('ok…', None, None)
              (results shortened; full values: --format json or --report FILE.json)

            """)
    }

    @Test func jsonReportParses() throws {
        let stages = [PlannedStage(index: 0, name: "build", tasks: []), PlannedStage(index: 1, name: "ship", tasks: [])]
        let text = JSONReport.render(plan: plan(stages), run: sampleRun(), exitStatus: .taskFailed)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["exitCode"] as? Int == 1)
        #expect(object["firstFailure"] as? String == "build/lint")
        let tasks = try #require(object["tasks"] as? [[String: Any]])
        #expect(tasks.map { $0["state"] as? String } == ["succeeded", "failed", "skipped"])
        #expect(tasks[1]["exitCode"] as? Int == 2)
        #expect(tasks[0]["duration"] as? Double == 1.2)
        #expect(tasks[1]["result"] is NSNull)
        let results = try #require(object["results"] as? [Any])
        #expect(results.first as? String == "ok\nmore")
    }

    private func reporterPlan() -> Plan {
        plan([stage(0, "s", [("a", ""), ("b", "")])])
    }

    @Test func prefixedMarksStderr() {
        let out = StringSink()
        let reporter = TextReporter(plan: reporterPlan(), output: out, report: nil)
        reporter.receive(.output(TaskID(stage: 0, task: 0), .stdout, ["one", "two"]))
        reporter.receive(.output(TaskID(stage: 0, task: 1), .stderr, ["oops"]))
        #expect(out.text == "[s/a] one\n[s/a] two\n[s/b:err] oops\n")
    }

    @Test func groupedPrintsOneBlockPerTaskWhenItEnds() {
        let out = StringSink()
        let reporter = TextReporter(plan: reporterPlan(), mode: .grouped, output: out, report: nil)
        let a = TaskID(stage: 0, task: 0)
        let b = TaskID(stage: 0, task: 1)
        reporter.receive(.output(a, .stdout, ["a1"]))
        reporter.receive(.output(b, .stdout, ["b1"]))
        reporter.receive(.output(a, .stderr, ["a2"]))
        reporter.receive(.taskFinished(TaskResult(id: b, stageName: "s", name: "b", state: .succeeded)))
        reporter.receive(.taskFinished(TaskResult(id: a, stageName: "s", name: "a", state: .failed(exitCode: 1))))
        #expect(out.text == "== s/b: succeeded ==\nb1\n== s/a: failed (exit 1) ==\na1\n! a2\n")
    }

    @Test func quietShowsNothing() {
        let out = StringSink()
        let reporter = TextReporter(plan: reporterPlan(), mode: .quiet, output: out, report: nil)
        reporter.receive(.output(TaskID(stage: 0, task: 0), .stdout, ["x"]))
        #expect(out.text.isEmpty)
    }

    @Test func verboseLinesAreTimestamped() throws {
        let log = StringSink()
        let reporter = TextReporter(plan: reporterPlan(), mode: .quiet, output: StringSink(), report: nil, verbose: log)
        reporter.receive(.runStarted(workflowName: "w", runID: "r", startedAt: WallTime.now()))
        reporter.receive(.taskStarted(TaskID(stage: 0, task: 1), attempt: 1, at: .milliseconds(1500)))
        let lines = log.text.split(separator: "\n")
        #expect(lines.count == 2)
        let pattern = try Regex(#"^\[\d\d:\d\d:\d\d\.\d\d\d\] \[s/b\] started$"#)
        #expect(lines[1].wholeMatch(of: pattern) != nil)
    }

    /// Issue 6, case 13: 8 tasks × 10,000 lines of 200 characters, every line
    /// intact, prefixed once, per-task order kept.
    @Test func prefixedLinesNeverTearUnderConcurrency() async {
        let script = #"i=0; while [ $i -lt 10000 ]; do printf '%s %05d %0190d\n' "$FLOWRUN_TASK" $i 0; i=$((i+1)); done"#
        let thePlan = plan([stage(0, "s", (0..<8).map { ("t\($0)", script) })])
        let out = StringSink()
        let reporter = TextReporter(plan: thePlan, output: out, report: nil)
        let result = await Executor(runner: LocalTaskRunner(processes: ProcessRunner(registry: ProcessGroupRegistry()), resultCaptureLimit: 0))
            .run(thePlan, sink: reporter)
        #expect(result.succeeded)
        var next = [String: Int]()
        var bad = 0
        for line in out.text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count == 4, parts[0] == "[s/\(parts[1])]", parts[3].utf8.count == 190,
                  let index = Int(parts[2]), index == next[String(parts[1]), default: 0] else {
                bad += 1
                continue
            }
            next[String(parts[1])] = index + 1
        }
        #expect(bad == 0)
        #expect(next.count == 8 && next.values.allSatisfy { $0 == 10_000 })
    }
}
