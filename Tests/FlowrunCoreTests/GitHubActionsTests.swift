import Foundation
import Testing
@testable import FlowrunCore

/// GitHub Actions' conventions: workflow commands, grouped output,
/// annotations, masks, and the Markdown job summary.
@Suite("GitHub Actions") struct GitHubActionsTests {
    @Test(arguments: [
        ("plain", "plain", "plain"),
        ("100% done\nnext\r", "100%25 done%0Anext%0D", "100%25 done%0Anext%0D"),
        ("a:b,c", "a:b,c", "a%3Ab%2Cc"),
    ])
    func escaping(input: String, data: String, property: String) {
        #expect(GitHubCommands.data(input) == data)
        #expect(GitHubCommands.property(input) == property)
    }

    @Test func annotationsCarryTheirLocationAndTitle() {
        #expect(GitHubCommands.annotation(.error, title: "test/unit failed", message: "exit 1: boom", file: "ci.yaml", line: 12)
            == "::error file=ci.yaml,line=12,title=test/unit failed::exit 1: boom\n")
        #expect(GitHubCommands.annotation(.warning, title: "a,b: c", message: "x") == "::warning title=a%2Cb%3A c::x\n")
        #expect(GitHubCommands.addMask("one\ntwo") == "::add-mask::one\n::add-mask::two\n")
    }

    @Test(arguments: [
        ("ci/checks.yaml", nil as String?, "ci/checks.yaml" as String?),
        ("./checks.yaml", nil, "checks.yaml"),
        ("/home/runner/work/repo/repo/ci/x.yaml", "/home/runner/work/repo/repo", "ci/x.yaml"),
        ("/elsewhere/x.yaml", "/home/runner/work/repo/repo", "/elsewhere/x.yaml"),
        ("-", nil, nil),
        ("<stdin>", nil, nil),
    ])
    func annotationPaths(path: String, workspace: String?, expected: String?) {
        #expect(GitHubAnnotator.annotationPath(path, workspace: workspace) == expected)
    }

    private func ciPlan() -> Plan {
        var first = stage(0, "test", [("unit", ""), ("lint", "")])
        first.tasks[0].location = SourceLocation(file: "ci.yaml", line: 7, column: 9)
        first.tasks[1].continueOnError = true
        return Plan(workflowName: "ci", sourcePath: "ci.yaml", stages: [first], secretValues: ["s3cret-value"])
    }

    /// The reporter with the annotator, as the session wires them.
    @Test func groupedOutputAnnotationsAndMasksInOrder() {
        let plan = ciPlan()
        let out = StringSink()
        let sink = TextReporter(plan: plan, mode: .grouped, output: out, report: nil, github: GitHubAnnotator(plan: plan))
        let unit = TaskID(stage: 0, task: 0)
        let lint = TaskID(stage: 0, task: 1)
        sink.receive(.runStarted(workflowName: "ci", runID: "r", startedAt: WallTime(seconds: 0, nanoseconds: 0)))
        sink.receive(.output(unit, .stdout, ["running"]))
        sink.receive(.output(unit, .stderr, ["FAIL: parse 100%"]))
        sink.receive(.taskFinished(TaskResult(
            id: unit, stageName: "test", name: "unit", state: .failed(exitCode: 1), attempts: 1,
            started: .zero, finished: .milliseconds(1500), stderrTail: ["", "FAIL: parse 100%", "more"])))
        sink.receive(.output(lint, .stdout, ["style"]))
        sink.receive(.taskFinished(TaskResult(
            id: lint, stageName: "test", name: "lint", state: .failed(exitCode: 2), attempts: 1,
            started: .zero, finished: .milliseconds(20), stderrTail: [], continueOnError: true)))
        #expect(out.text == """
            ::add-mask::s3cret-value
            ::group::test/unit (failed (exit 1), 1.50s)
            running
            ! FAIL: parse 100%
            ::endgroup::
            ::error file=ci.yaml,line=7,title=test/unit failed::failed (exit 1): FAIL: parse 100%25
            ::group::test/lint (failed (exit 2), 20ms)
            style
            ::endgroup::
            ::warning title=test/lint failed::failed (exit 2)

            """)
    }

    /// Tasks ending at once on many threads: each annotation still follows its own group.
    @Test func annotationsStayWithTheirGroupUnderConcurrentEnds() async {
        let count = 200
        let tasks = (0..<count).map { (String("t\($0)"), "") }
        let plan = Plan(workflowName: "ci", sourcePath: "ci.yaml", stages: [stage(0, "s", failFast: false, tasks)])
        let out = StringSink()
        let reporter = TextReporter(plan: plan, mode: .grouped, output: out, report: nil, github: GitHubAnnotator(plan: plan))
        for index in 0..<count { reporter.receive(.output(TaskID(stage: 0, task: index), .stdout, ["line \(index)"])) }
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<count {
                group.addTask {
                    reporter.receive(.taskFinished(TaskResult(
                        id: TaskID(stage: 0, task: index), stageName: "s", name: "t\(index)", state: .failed(exitCode: 1),
                        attempts: 1, started: .zero, finished: .zero, stderrTail: ["boom \(index)"])))
                }
            }
        }
        let lines = out.text.split(separator: "\n").map(String.init)
        #expect(lines.count == count * 4)
        for start in stride(from: 0, to: lines.count, by: 4) {
            let name = lines[start].dropFirst("::group::s/".count).prefix { $0 != " " }
            #expect(lines[start + 3] == "::error title=s/\(name) failed::failed (exit 1): boom \(name.dropFirst())")
        }
    }

    @Test func withoutGitHubGroupsTheBlockIsPlain() {
        let out = StringSink()
        let reporter = TextReporter(plan: ciPlan(), mode: .grouped, output: out, report: nil)
        reporter.receive(.output(TaskID(stage: 0, task: 0), .stdout, ["x"]))
        reporter.receive(.taskFinished(TaskResult(id: TaskID(stage: 0, task: 0), stageName: "test", name: "unit", state: .succeeded)))
        #expect(out.text == "== test/unit: succeeded ==\nx\n")
    }

    @Test func summaryOfAFailingRun() {
        var run = ReportFixture.measuredRun()
        run.tasks[3].stderrTail = ["still running", "``` fence inside", "token hunter2"]
        let text = MarkdownSummary.render(run, exitStatus: .taskFailed, mask: SecretMask(["hunter2"]))
        #expect(text.hasPrefix("## ❌ flowrun: release failed\n\nexit code 1 · wall 2.02s · critical path 1.71s"))
        #expect(text.contains("| Stage | Task | State | Duration | Attempts | CPU |\n| --- | --- | --- | ---: | ---: | ---: |\n"))
        #expect(text.contains("| **build** | |  | 1.50s | | |\n"))
        #expect(text.contains("| | lint | ⚠️ failed (exit 2) (continue-on-error) | 300ms | 1 | 220ms |\n"))
        #expect(text.contains("| | flaky | ✅ succeeded | 900ms | 2 | 640ms |\n"))
        #expect(text.contains("| **ship** | | skipped |  | | |\n| | upload | ⏭️ skipped |  |  |  |\n"))
        #expect(text.contains("### First failure: test/unit timed out\n\n````text\nstill running\n``` fence inside\ntoken ***\n````\n"))
        #expect(!text.contains("hunter2"))
        #expect(text.contains("```mermaid\ngantt\n    title release\n    dateFormat x\n"))
        #expect(text.contains("    section build\n    compile :done, 0, 1200\n    lint :crit, 0, 300\n    flaky attempt 1 :crit, 0, 200\n    flaky attempt 2 :done, 500, 900\n"))
        #expect(text.contains("    e2e :1500, 2010\n"))
        #expect(!text.contains("section ship"))
    }

    @Test func summaryListsEachStepBelowItsTaskAndNamesTheFailingOne() {
        var task = TaskResult(id: TaskID(stage: 0, task: 0), stageName: "ship", name: "deploy", state: .failed(exitCode: 3),
                              attempts: 1, started: .zero, finished: .milliseconds(900))
        var lint = StepResult(name: "lint|fast", state: .failed(exitCode: 1), started: .zero, finished: .milliseconds(100), continueOnError: true)
        lint.resources = ResourceUsage(userCPU: .milliseconds(60), systemCPU: .milliseconds(20), maxRSS: 1 << 20)
        var notify = StepResult(name: "notify", state: .skipped)
        notify.reason = .condition
        task.steps = [
            StepResult(name: "build", state: .succeeded, started: .zero, finished: .milliseconds(400)), lint,
            StepResult(name: "push", state: .failed(exitCode: 3), started: .milliseconds(500), finished: .milliseconds(900)), notify,
        ]
        let run = RunResult(workflowName: "w", runID: "r", startedAt: WallTime(seconds: 0, nanoseconds: 0), wallTime: .seconds(1),
                            stages: [StageResult(index: 0, name: "ship", started: .zero, finished: .seconds(1))], tasks: [task], interrupted: false)
        let text = MarkdownSummary.render(run, exitStatus: .taskFailed)
        #expect(text.contains("""
            | | deploy | ❌ failed (exit 3) | 900ms | 1 |  |
            | | ↳ build | ✅ succeeded | 400ms | |  |
            | | ↳ lint\\|fast | ⚠️ failed (exit 1) (continue-on-error) | 100ms | | 80ms |
            | | ↳ push | ❌ failed (exit 3) | 400ms | |  |
            | | ↳ notify | ⏭️ skipped (condition) |  | |  |

            """), "\(text)")
        #expect(text.contains("### First failure: ship/deploy (step push) failed (exit 3)\n"), "\(text)")
    }

    @Test(arguments: [
        ("plain", "plain"), ("a|b", "a\\|b"), ("<b>&", "&lt;b&gt;&amp;"), ("`x` *y* _z_ [l](u)", "\\`x\\` \\*y\\* \\_z\\_ \\[l\\](u)"),
        ("line\nbreak\u{1B}", "line\\\\nbreak\\\\u{1B}"),
    ])
    func cellsCannotBreakTheTable(input: String, expected: String) {
        #expect(MarkdownSummary.cell(input) == expected)
    }

    @Test func ganttNamesCannotEndTheirLine() {
        #expect(MarkdownSummary.ganttText("a: b; #c\nd") == "a∶ b, ♯c\\nd")
        #expect(MarkdownSummary.ganttText("") == "_")
    }

    @Test func bigRunsAreBounded() {
        var tasks: [TaskResult] = []
        for index in 0..<1000 {
            tasks.append(TaskResult(id: TaskID(stage: 0, task: index), stageName: "s", name: "t\(index)", state: .succeeded,
                                    attempts: 1, started: .zero, finished: .milliseconds(5)))
        }
        let run = RunResult(workflowName: "w", runID: "r", startedAt: WallTime(seconds: 0, nanoseconds: 0), wallTime: .seconds(1),
                            stages: [StageResult(index: 0, name: "s", started: .zero, finished: .seconds(1))], tasks: tasks, interrupted: false)
        let text = MarkdownSummary.render(run, exitStatus: .success)
        #expect(text.contains("\n700 more tasks are not listed"))
        #expect(text.contains("\n900 more bars are left out of the chart.\n"))
        #expect(text.utf8.count < 64 * 1024)
    }

    @Test func setupComesFromTheEnvironment() {
        #expect(GitHubActionsSetup(environment: [:]) == nil)
        #expect(GitHubActionsSetup(environment: ["GITHUB_ACTIONS": "false"]) == nil)
        #expect(GitHubActionsSetup(environment: ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": "/s.md", "GITHUB_WORKSPACE": "/w"])
            == GitHubActionsSetup(stepSummary: "/s.md", workspace: "/w"))
    }
}
