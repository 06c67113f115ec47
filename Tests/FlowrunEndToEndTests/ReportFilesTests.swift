import Foundation
import FlowrunTestSupport
import Testing

/// `flowrun run --junit/--trace/--report` on a real failing run, read back by independent readers.
@Suite("ReportFiles") struct ReportFilesTests {
    private struct Run {
        var output: ReportCLI.Output
        var junit: Data
        var trace: [String: Any]
        var report: [String: Any]
        var directory: URL
    }

    private func failingRun() throws -> Run {
        let directory = try ReportCLI.workspace(["demo.yaml": ReportCLI.failingWorkflow])
        let output = try ReportCLI.run(
            ["run", "demo.yaml", "--junit", "junit.xml",
             "--trace", "trace.json", "--report", "report.json"], in: directory)
        let read = { (name: String) in try Data(contentsOf: directory.appendingPathComponent(name)) }
        return Run(
            output: output, junit: try read("junit.xml"),
            trace: try #require(try JSONSerialization.jsonObject(with: try read("trace.json")) as? [String: Any]),
            report: try #require(try JSONSerialization.jsonObject(with: try read("report.json")) as? [String: Any]),
            directory: directory)
    }

    /// Reads the JUnit file with Python's xml.etree and, when installed, junitparser.
    private static let junitReader = #"""
        import json, sys, xml.etree.ElementTree as ET
        path = sys.argv[1]
        root = ET.parse(path).getroot()
        out = {"root": root.tag, "suites": []}
        for suite in root.findall("testsuite"):
            cases = []
            for case in suite.findall("testcase"):
                kind = "passed"
                for child in ("failure", "error", "skipped"):
                    if case.find(child) is not None: kind = child
                failure = case.find("failure")
                cases.append({"classname": case.get("classname"), "name": case.get("name"), "kind": kind,
                              "time": float(case.get("time")),
                              "message": failure.get("message") if failure is not None else None,
                              "err": (case.findtext("system-err") or ""), "out": (case.findtext("system-out") or "")})
            out["suites"].append({"name": suite.get("name"), "tests": int(suite.get("tests")),
                                  "failures": int(suite.get("failures")), "skipped": int(suite.get("skipped")),
                                  "cases": cases})
        try:
            import junitparser
        except ImportError:
            out["junitparser"] = None
        else:
            xml = junitparser.JUnitXml.fromfile(path)
            suites = list(xml) if hasattr(xml, "__iter__") else [xml]
            seen = []
            for suite in suites:
                for case in suite:
                    kinds = [type(r).__name__ for r in case.result]
                    seen.append([suite.name, case.name, kinds])
            out["junitparser"] = {"tests": xml.tests, "failures": xml.failures, "skipped": xml.skipped,
                                  "errors": xml.errors, "cases": seen}
        print(json.dumps(out))
        """#

    @Test(.enabled(if: ReportCLI.binary != nil && ReportCLI.tool("python3") != nil, "needs the built flowrun and python3"))
    func junitCountsAndContent() throws {
        let run = try failingRun()
        defer { try? FileManager.default.removeItem(at: run.directory) }
        #expect(run.output.status == 1)
        let script = run.directory.appendingPathComponent("read.py")
        try Self.junitReader.write(to: script, atomically: true, encoding: .utf8)
        let python = try ReportCLI.run(executable: ReportCLI.tool("python3")!, [script.path, "junit.xml"], in: run.directory)
        #expect(python.stderr == "")
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(python.stdout.utf8)) as? [String: Any])
        #expect(parsed["root"] as? String == "testsuites")
        let suites = try #require(parsed["suites"] as? [[String: Any]])
        #expect(suites.map { $0["name"] as? String } == ["build", "ship"])
        #expect(suites.map { $0["tests"] as? Int } == [4, 1])
        #expect(suites.map { $0["failures"] as? Int } == [1, 0])
        #expect(suites.map { $0["skipped"] as? Int } == [0, 1])
        let cases = suites.flatMap { $0["cases"] as? [[String: Any]] ?? [] }
        #expect(cases.map { $0["name"] as? String } == ["compile", "lint", "flaky", "nap", "upload"])
        #expect(cases.map { $0["kind"] as? String } == ["passed", "failure", "passed", "passed", "skipped"])
        #expect(cases.map { $0["classname"] as? String } == ["demo.build", "demo.build", "demo.build", "demo.build", "demo.ship"])
        #expect(cases[1]["message"] as? String == "exit status 3")
        // Control characters are replaced, markup is text, the secret is masked.
        #expect(cases[1]["err"] as? String == "bad\u{FFFD}ctl\u{FFFD}[31mred <x> & \"q\" ]]>\non stderr ***\n")
        #expect(cases[0]["out"] as? String == "compiling\ntoken is ***\n")
        #expect(cases[2]["err"] as? String == "first try\n", "no retry marker where the retry wrote nothing")
        #expect(cases[2]["out"] as? String == "ok\n")
        #expect(abs((cases[3]["time"] as? Double ?? 0) - 0.2) < 0.1)
        #expect(!String(decoding: run.junit, as: UTF8.self).contains("hunter2"))
        #expect(!run.junit.contains { $0 < 0x20 && $0 != 0x0A && $0 != 0x09 && $0 != 0x0D })
        if let reader = parsed["junitparser"] as? [String: Any] {
            #expect(reader["tests"] as? Int == 5)
            #expect(reader["failures"] as? Int == 1)
            #expect(reader["skipped"] as? Int == 1)
            #expect(reader["errors"] as? Int == 0)
            let kinds = (reader["cases"] as? [[Any]] ?? []).map { ($0[1] as? String ?? "", $0[2] as? [String] ?? []) }
            #expect(kinds.map(\.0) == ["compile", "lint", "flaky", "nap", "upload"])
            #expect(kinds.map(\.1) == [[], ["Failure"], [], [], ["Skipped"]])
        }
    }

    @Test(.enabled(if: ReportCLI.binary != nil, "needs the built flowrun"))
    func traceMatchesTheReport() throws {
        let run = try failingRun()
        defer { try? FileManager.default.removeItem(at: run.directory) }
        let events = try #require(run.trace["traceEvents"] as? [[String: Any]])
        let slices = events.filter { $0["ph"] as? String == "X" }
        for slice in slices {
            #expect(slice["ts"] is Int && slice["dur"] is Int && slice["pid"] is Int && slice["tid"] is Int)
        }
        let micros = { (seconds: Any?) -> Int in Int(((seconds as? Double) ?? -1) * 1_000_000) }
        // Stages: one slice each on track 0, at the report's times (the report has milliseconds).
        let stages = try #require(run.report["stages"] as? [[String: Any]]).filter { $0["started"] is Double }
        let stageSlices = slices.filter { $0["cat"] as? String == "stage" }
        #expect(stageSlices.count == stages.count)
        for (stage, slice) in zip(stages, stageSlices) {
            #expect(slice["name"] as? String == stage["name"] as? String)
            #expect(slice["tid"] as? Int == 0)
            #expect(abs((slice["ts"] as! Int) - micros(stage["started"])) <= 1000)
            #expect(abs((slice["ts"] as! Int) + (slice["dur"] as! Int) - micros(stage["finished"])) <= 1000)
        }
        // Tasks: first attempt starts at the task's start, last attempt ends at its end.
        let tasks = try #require(run.report["tasks"] as? [[String: Any]])
        for task in tasks where task["started"] is Double {
            let name = "\(task["stage"] as! String)/\(task["name"] as! String)"
            let own = slices.filter { $0["cat"] as? String == "task" && ($0["name"] as? String)?.hasPrefix(name) == true }
            #expect(own.count == task["attempts"] as? Int, "\(name)")
            guard let first = own.first, let last = own.last else { continue }
            #expect(abs((first["ts"] as! Int) - micros(task["started"])) <= 1000, "\(name)")
            #expect(abs((last["ts"] as! Int) + (last["dur"] as! Int) - micros(task["finished"])) <= 1000, "\(name)")
            #expect(Set(own.map { $0["tid"] as! Int }).count == 1, "a task keeps its track")
        }
        #expect(!slices.contains { ($0["name"] as? String)?.contains("upload") == true })
        #expect(slices.filter { $0["cat"] as? String == "retry-delay" }.count == 1)
        // One slot per task running at the peak (up to four here; a task
        // that is over before another's process starts frees its slot), each named.
        let peak = try #require((run.report["timing"] as? [String: Any])?["peakConcurrency"] as? Int)
        #expect((2...4).contains(peak))
        let threads = events.filter { $0["name"] as? String == "thread_name" }.compactMap { ($0["args"] as? [String: Any])?["name"] as? String }
        #expect(threads == ["stages"] + (1...peak).map { "slot \($0)" })
        Self.expectNoOverlapPerTrack(slices.filter { $0["cat"] as? String != "stage" && $0["cat"] as? String != "workflow" })
    }

    @Test(.enabled(if: ReportCLI.binary != nil, "needs the built flowrun"))
    func seedTraceHasOverlappingTasksSideBySide() throws {
        let directory = try ReportCLI.workspace(["seed.yaml": try ReportCLI.fastSeed()])
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = try ReportCLI.run(["seed.yaml", "--trace", "trace.json", "--output", "quiet"], in: directory)
        #expect(output.status == 0)
        let object = try JSONSerialization.jsonObject(with: try Data(contentsOf: directory.appendingPathComponent("trace.json")))
        let events = try #require((object as? [String: Any])?["traceEvents"] as? [[String: Any]])
        let tasks = events.filter { $0["cat"] as? String == "task" }
        #expect(tasks.count == 6)
        #expect(tasks.map { $0["tid"] as? Int } == [1, 2, 1, 2, 1, 2])
        Self.expectNoOverlapPerTrack(tasks)
    }

    static func expectNoOverlapPerTrack(_ slices: [[String: Any]]) {
        let byTrack = Dictionary(grouping: slices) { $0["tid"] as? Int ?? -1 }
        for (track, slices) in byTrack {
            let spans = slices.map { ($0["ts"] as! Int, ($0["ts"] as! Int) + ($0["dur"] as! Int)) }.sorted { $0.0 < $1.0 }
            for (a, b) in zip(spans, spans.dropFirst()) {
                #expect(a.1 <= b.0, "track \(track): \(a) overlaps \(b)")
            }
        }
    }

    @Test(.enabled(if: ReportCLI.binary != nil, "needs the built flowrun"))
    func unwritableReportIsAnErrorMessageNotACrash() throws {
        let directory = try ReportCLI.workspace(["seed.yaml": try ReportCLI.fastSeed()])
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = try ReportCLI.run(["seed.yaml", "--output", "quiet", "--junit", "missing/junit.xml"], in: directory)
        #expect(output.status == 0)
        #expect(output.stderr.contains("flowrun: error: cannot write JUnit report missing/junit.xml: No such file or directory\n"),
                "\(output.stderr)")
    }

    @Test(.enabled(if: ReportCLI.binary != nil, "needs the built flowrun"))
    func unwritableJobSummaryIsAnErrorMessage() async throws {
        let output = try await CLI("run", "seed.yaml", "--output", "quiet").file("seed.yaml", try ReportCLI.fastSeed())
            .environment("GITHUB_ACTIONS", "true").environment("GITHUB_STEP_SUMMARY", "missing/summary.md")
            .expect(status: 0)
        #expect(output.stderr.contains("flowrun: error: cannot append the job summary to missing/summary.md: No such file or directory\n"),
                "\(output.stderr)")
    }
}
