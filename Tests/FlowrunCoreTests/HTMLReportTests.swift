import Foundation
import Testing
@testable import FlowrunCore

/// The HTML report, read back with Python's html.parser: well nested,
/// self-contained, escaped, and holding every part the issue lists.
@Suite("HTML report") struct HTMLReportTests {
    static let secret = "hunter2-secret"

    /// Output with markup, controls, bidi overrides and a secret in it.
    private func outputs() -> TaskOutputLog {
        let log = TaskOutputLog()
        log.receive(.output(TaskID(stage: 0, task: 0), .stdout, ["compiling <b>bold</b> & \"quoted\"", "token \(Self.secret)"]))
        log.receive(.output(TaskID(stage: 0, task: 1), .stderr, ["bad\u{1B}[31mred\u{1B}[0m", "rtl \u{202E}txt.exe", "</pre><script>alert(1)</script>"]))
        log.receive(.output(TaskID(stage: 0, task: 2), .stdout, ["ok"]))
        return log
    }

    private func page() -> String {
        var run = ReportFixture.measuredRun()
        run.tasks[0].result = "built\nsecond line " + String(repeating: "x", count: 200) + " " + Self.secret
        return HTMLReport.render(run, exitStatus: .taskFailed, outputs: outputs(),
                                 mask: SecretMask([Self.secret]), source: "ci/release.yaml")
    }

    /// Reads the page with html.parser and prints what the tests check, as JSON.
    /// Nesting is checked strictly: every non-void element closed, in order.
    static let reader = #"""
        import json, sys
        from html.parser import HTMLParser
        VOID = {"meta", "br", "hr", "img", "input", "link", "rect", "line", "path", "circle"}
        class Reader(HTMLParser):
            def __init__(self):
                super().__init__(convert_charrefs=True)
                self.stack, self.errors, self.tags, self.ids = [], [], {}, []
                self.attrs, self.text, self.where = [], [], []
                self.rows, self.bars, self.outputs, self.doctype = [], [], [], None
                self.tableRows, self.stepNames, self.inStepName = [], [], False
            def handle_decl(self, decl): self.doctype = decl
            def handle_starttag(self, tag, attrs):
                a = dict(attrs)
                self.tags[tag] = self.tags.get(tag, 0) + 1
                self.attrs += [(tag, k, v) for k, v in attrs]
                if "id" in a: self.ids.append(a["id"])
                if tag == "tr" and a.get("id", "").startswith("task-"): self.rows.append(a["id"])
                if tag == "tr" and (a.get("id") or a.get("class")): self.tableRows.append(a.get("id") or a["class"])
                if tag == "td" and "step" in a.get("class", "").split(): self.inStepName, self.stepName = True, ""

                if tag == "rect" and "bar" in a.get("class", "").split(): self.bars.append(a["class"])
                if tag == "details" and a.get("id", "").startswith("out-"): self.outputs.append(a["id"])
                if tag not in VOID: self.stack.append(tag)
            def handle_startendtag(self, tag, attrs):
                self.handle_starttag(tag, attrs)
                if tag not in VOID: self.stack.pop()
            def handle_endtag(self, tag):
                if tag in VOID: return
                if tag == "td" and self.inStepName: self.stepNames.append(self.stepName); self.inStepName = False
                if not self.stack or self.stack[-1] != tag:
                    self.errors.append("unexpected </%s> in %s" % (tag, "/".join(self.stack)))
                else:
                    self.stack.pop()
            def handle_data(self, data):
                if self.inStepName: self.stepName += data
                self.text.append(data)
                self.where.append("/".join(self.stack))
        r = Reader()
        r.feed(open(sys.argv[1], encoding="utf-8").read())
        r.close()
        text = "".join(r.text)
        scripts = [w for w, t in zip(r.where, r.text) if "script" in w.split("/")]
        print(json.dumps({
            "doctype": r.doctype, "errors": r.errors, "unclosed": r.stack, "tags": r.tags,
            "ids": r.ids, "rows": r.rows, "bars": r.bars, "outputs": r.outputs,
            "tableRows": r.tableRows, "stepNames": r.stepNames,
            "src": [v for t, k, v in r.attrs if k == "src"],
            "href": [v for t, k, v in r.attrs if k in ("href", "xlink:href", "action", "formaction")],
            "styleUrls": "url(" in text or "@import" in text,
            "text": text, "scriptText": scripts,
        }))
        """#

    private func read(_ html: String) throws -> [String: Any]? {
        guard let output = try ReportFixture.python(Self.reader, on: html) else { return nil }
        #expect(output.stderr == "")
        return try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
    }

    @Test(.enabled(if: ExternalTool.find("python3") != nil, "python3 is not installed"))
    func parsesWellNestedWithEveryPart() throws {
        guard let parsed = try read(page()) else { return }
        #expect(parsed["doctype"] as? String == "DOCTYPE html")
        #expect((parsed["errors"] as? [String])?.isEmpty == true, "\(parsed["errors"] ?? "")")
        #expect((parsed["unclosed"] as? [String])?.isEmpty == true)
        let tags = try #require(parsed["tags"] as? [String: Int])
        #expect(tags["html"] == 1 && tags["head"] == 1 && tags["body"] == 1 && tags["svg"] == 1)
        #expect(tags["table"] == 3, "a table per stage")
        #expect(tags["script"] == nil, "works without JavaScript")
        let ids = try #require(parsed["ids"] as? [String])
        #expect(Set(ids).count == ids.count, "ids are unique")
        for id in ["timeline", "stages", "output", "stage-0", "stage-1", "stage-2"] { #expect(ids.contains(id)) }
        #expect(parsed["rows"] as? [String] == ["task-0-0", "task-0-1", "task-0-2", "task-1-0", "task-1-1", "task-2-0"])
        // One bar per attempt, colored by the attempt's state; flaky's first attempt failed.
        #expect(parsed["bars"] as? [String] == [
            "bar s-succeeded", "bar s-tolerated", "bar s-failed", "bar s-succeeded", "bar s-timed-out", "bar s-cancelled",
        ])
        #expect(parsed["outputs"] as? [String] == ["out-task-0-0", "out-task-0-1", "out-task-0-2"])
        let text = try #require(parsed["text"] as? String)
        for fact in ["Exit code", "Wall time", "Critical path", "Parallelism", "First failure", "Peak RSS", "ci/release.yaml"] {
            #expect(text.contains(fact), "\(fact)")
        }
        #expect(text.contains("stdout") && text.contains("stderr"))
    }

    /// The retried task `build/flaky` as a task of four steps (its second attempt's).
    private func steppedRun() -> RunResult {
        var run = ReportFixture.failingRun()
        let ms = ReportFixture.ms
        run.tasks[2].steps = [
            StepResult(name: "build", state: .succeeded, started: ms(500), finished: ms(600)),
            StepResult(name: "lint", state: .failed(exitCode: 3), started: ms(600), finished: ms(700), continueOnError: true),
            StepResult(name: "test", state: .failed(exitCode: 4), started: ms(700), finished: ms(900)),
            StepResult(name: "package<x>", state: .skipped),
        ]
        return run
    }

    @Test(.enabled(if: ExternalTool.find("python3") != nil, "python3 is not installed"))
    func stepsAreRowsInTheTimelineAndTheStageTable() throws {
        let html = HTMLReport.render(steppedRun(), exitStatus: .taskFailed)
        guard let parsed = try read(html) else { return }
        #expect((parsed["errors"] as? [String])?.isEmpty == true, "\(parsed["errors"] ?? "")")
        #expect((parsed["unclosed"] as? [String])?.isEmpty == true)
        // The task's attempts, then a thinner bar for each step that ran; the skipped one has none.
        #expect(parsed["bars"] as? [String] == [
            "bar s-succeeded", "bar s-tolerated", "bar s-failed", "bar s-succeeded",
            "bar step s-succeeded", "bar step s-tolerated", "bar step s-failed",
            "bar s-timed-out", "bar s-cancelled",
        ])
        // In the table, the steps follow their task's row.
        #expect(parsed["tableRows"] as? [String] == [
            "task-0-0", "task-0-1", "task-0-2", "step s-succeeded", "step s-tolerated", "step s-failed", "step s-skipped",
            "task-1-0", "task-1-1", "task-2-0",
        ])
        #expect(parsed["stepNames"] as? [String] == ["build", "lint", "test", "package<x>"])
        let text = try #require(parsed["text"] as? String)
        #expect(text.contains("build/flaky › step lint (attempt 2)\nfailed (exit 3) (continue-on-error)\n+0.600s → +0.700s (100ms)\n"))
        #expect(text.contains("build/flaky › step package<x>"))
        // The build stage's band spans its 3 task rows, 4 step rows and its own.
        #expect(html.contains("<rect class=\"band\" x=\"0\" y=\"28\" width=\"1100\" height=\"\(8 * GanttChart.rowHeight)\"/>"))
    }

    @Test(.enabled(if: ExternalTool.find("python3") != nil, "python3 is not installed"))
    func nothingLeavesTheFile() throws {
        let html = page()
        guard let parsed = try read(html) else { return }
        #expect((parsed["src"] as? [String])?.isEmpty == true)
        let links = try #require(parsed["href"] as? [String])
        #expect(!links.isEmpty)
        let ids = Set(try #require(parsed["ids"] as? [String]))
        for link in links {
            #expect(link.hasPrefix("#") && ids.contains(String(link.dropFirst())), "\(link) points inside the page")
        }
        #expect(parsed["styleUrls"] as? Bool == false)
        #expect(html.contains("Content-Security-Policy\" content=\"default-src 'none'"))
        // The SVG namespace is an identifier, not a request.
        #expect(!html.replacing("xmlns=\"http://www.w3.org/2000/svg\"", with: "").contains("://"))
    }

    @Test(.enabled(if: ExternalTool.find("python3") != nil, "python3 is not installed"))
    func hostileOutputIsEscapedMaskedAndVisible() throws {
        let html = page()
        guard let parsed = try read(html) else { return }
        let text = try #require(parsed["text"] as? String)
        #expect((parsed["scriptText"] as? [String])?.isEmpty == true)
        #expect(text.contains("</pre><script>alert(1)</script>"), "shown as text")
        #expect(text.contains("compiling <b>bold</b> & \"quoted\""))
        #expect(text.contains("bad\\u{1B}[31mred\\u{1B}[0m"))
        #expect(text.contains("rtl \\u{202E}txt.exe"))
        #expect(!html.contains("\u{1B}") && !html.contains("\u{202E}") && !html.contains("\u{1}"))
        #expect(!html.contains(Self.secret))
        #expect(text.contains("token ***"))
        // The first failure's stderr tail, in the header.
        #expect(text.contains("First failure: test/unit timed out"))
    }

    @Test func longResultsAreCutWithTheWholeValueInDetails() throws {
        let html = page()
        let start = try #require(html.range(of: "<tr id=\"task-0-0\""))
        let end = try #require(html[start.upperBound...].range(of: "</tr>"))
        let row = html[start.lowerBound..<end.upperBound]
        #expect(row.contains("<details><summary><code>built…</code></summary><pre>built\nsecond line xxx"))
        #expect(row.contains("*** </pre>") || row.contains(" ***</pre>"))
    }

    @Test(arguments: [
        ("a<b>&\"c'", "a&lt;b&gt;&amp;&quot;c&#39;", "a&lt;b&gt;&amp;&quot;c&#39;"),
        ("line\nnext\ttab", "line\nnext\ttab", "line&#10;next&#9;tab"),
        ("esc\u{1B}[0m", "esc<span class=\"esc\">\\u{1B}</span>[0m", "esc\\u{1B}[0m"),
        ("\u{202E}rtl\u{2066}", "<span class=\"esc\">\\u{202E}</span>rtl<span class=\"esc\">\\u{2066}</span>", "\\u{202E}rtl\\u{2066}"),
        ("nul\u{0}del\u{7F}c1\u{85}", "nul<span class=\"esc\">\\u{0}</span>del<span class=\"esc\">\\u{7F}</span>c1<span class=\"esc\">\\u{85}</span>",
         "nul\\u{0}del\\u{7F}c1\\u{85}"),
        ("é😀\u{FFFF}", "é😀<span class=\"esc\">\\u{FFFF}</span>", "é😀\\u{FFFF}"),
    ])
    func escaping(input: String, content: String, attribute: String) {
        #expect(HTMLText.content(input) == content)
        #expect(HTMLText.attribute(input) == attribute)
    }

    @Test func timelineHasAnAxisAndExactTimesOnHover() {
        let svg = GanttChart.render(ReportFixture.failingRun())
        // 2.02 s of run: ticks every 500 ms.
        for tick in [">0<", ">500ms<", ">1s<", ">1.5s<", ">2s<"] { #expect(svg.contains(tick), "\(tick)") }
        #expect(!svg.contains(">2.5s<"))
        #expect(svg.contains("<title>build/flaky — attempt 2 of 2\nsucceeded\n+0.500s → +0.900s (400ms)\n"))
        #expect(svg.contains("2026-09-21T"), "wall-clock times too")
        #expect(svg.filter { $0 == "\n" }.count > 10)
    }

    @Test(arguments: [(0.5, 0.1), (2.02, 0.5), (10.5, 2.0), (95.0, 20.0), (3600.0, 500.0), (0.0, 0.0002)])
    func ticksAreRound(seconds: Double, step: Double) {
        #expect(abs(GanttChart.tickStep(seconds) - step) < step / 1000)
    }

    /// 2,000 tasks: the page stays a few megabytes and is quick to write.
    @Test func twoThousandTasksStayReadable() throws {
        var tasks: [TaskResult] = []
        let log = TaskOutputLog()
        for index in 0..<2000 {
            let start = Duration.milliseconds(index * 3)
            let id = TaskID(stage: index / 500, task: index % 500)
            tasks.append(TaskResult(
                id: id, stageName: "s\(index / 500)", name: "task-\(index)", state: .succeeded, attempts: 1,
                started: start, finished: start + .milliseconds(40), result: "result \(index)",
                attemptSpans: [AttemptSpan(attempt: 1, started: start, finished: start + .milliseconds(40), state: .succeeded,
                                           resources: ResourceUsage(userCPU: .milliseconds(2), maxRSS: 3 << 20))],
                queued: .milliseconds(index % 7)))
            log.receive(.output(id, .stdout, ["line one of \(index)", "line two"]))
        }
        let stages = (0..<4).map { StageResult(index: $0, name: "s\($0)", started: .milliseconds($0 * 1500), finished: .milliseconds($0 * 1500 + 1540)) }
        let run = RunResult(workflowName: "many", runID: "r", startedAt: WallTime(seconds: 1_790_000_000, nanoseconds: 0),
                            wallTime: .milliseconds(6040), stages: stages, tasks: tasks, interrupted: false)
        let clock = ContinuousClock()
        var html = ""
        let elapsed = clock.measure { html = HTMLReport.render(run, exitStatus: .success, outputs: log) }
        #expect(html.utf8.count < 4_000_000, "\(html.utf8.count) bytes")
        #expect(elapsed < .seconds(10), "\(elapsed)")
        #expect(html.components(separatedBy: "<tr id=\"task-").count == 2001)
    }
}
