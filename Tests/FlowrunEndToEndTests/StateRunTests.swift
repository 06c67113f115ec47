import Foundation
import Testing

/// Targets, up-to-date tasks, --force, --resume and `log`, through the built binary (issue 11).
@Suite(.enabled(if: ReportCLI.binary != nil, "needs the built flowrun")) struct StateRunTests {
    /// A fresh folder holding `ci.yaml` and whatever files a test writes.
    final class Project {
        let url: URL
        init(_ workflow: String, files: [String: String] = [:]) throws {
            url = FileManager.default.temporaryDirectory.appendingPathComponent("flowrun-state-e2e-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            try write("ci.yaml", workflow)
            for (path, text) in files { try write(path, text) }
        }
        deinit { try? FileManager.default.removeItem(at: url) }

        func write(_ path: String, _ text: String) throws {
            let file = url.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: file)
        }

        func run(_ arguments: [String], environment: [String: String] = [:]) throws -> ReportCLI.Output {
            try ReportCLI.run(arguments, in: url, environment: environment)
        }

        /// `flowrun run ci.yaml …` quietly; returns the output and the `stage/task state…` lines of the report.
        func runs(_ extra: [String] = [], environment: [String: String] = [:]) throws -> (ReportCLI.Output, [String: String]) {
            let output = try run(["run", "ci.yaml", "--output", "quiet", "--format", "json"] + extra, environment: environment)
            var states: [String: String] = [:]
            if let object = try? JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any],
               let tasks = object["tasks"] as? [[String: Any]] {
                for task in tasks {
                    let name = "\(task["stage"]!)/\(task["name"]!)"
                    let reason = (task["reason"] as? String).map { " (\($0))" } ?? ""
                    states[name] = "\(task["state"]!)\(reason)"
                }
            }
            return (output, states)
        }

        func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: url.appendingPathComponent(path).path) }
    }

    static let pipeline = """
        vars: {mode: debug}
        stages:
          - name: prep
            tasks:
              - {name: version, run: echo v1}
              - {name: other, run: echo other}
          - name: build
            tasks:
              - name: app
                run: "cat src/*.c > app.out; echo app-${{ vars.mode }}-${{ stages.prep.tasks.version.result }}"
                sources: ["src/**/*.c"]
                generates: [app.out]
                env: {LEVEL: "1"}
              - {name: docs, run: echo docs}
          - name: ship
            tasks:
              - {name: upload, run: "echo up ${{ stages.build.tasks.app.result }}"}
        """

    @Test func aTargetRunsWhatItUsesTransitivelyAndSkipsTheRest() throws {
        let project = try Project(Self.pipeline, files: ["src/a.c": "a"])
        let (output, states) = try project.runs(["ship/upload"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(states == [
            "prep/version": "succeeded", "prep/other": "skipped (not selected)", "build/app": "succeeded",
            "build/docs": "skipped (not selected)", "ship/upload": "succeeded",
        ])
        let text = try project.run(["ci.yaml", "build/docs", "--output", "quiet"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("  app      skipped (not selected)\n"), "\(text.stdout)")
        #expect(text.stdout.contains("stage ship: skipped\n"), "\(text.stdout)")
        let plan = try project.run(["plan", "ci.yaml", "prep"])
        #expect(plan.stdout.contains("[not selected]"), "\(plan.stdout)")
        let dry = try project.run(["run", "ci.yaml", "prep/other", "--dry-run"])
        #expect(dry.stdout.contains("version  run: echo v1  [not selected]"), "\(dry.stdout)")
    }

    @Test func anUnknownTargetIsAUsageErrorWithAHint() throws {
        let project = try Project(Self.pipeline)
        let output = try project.run(["ci.yaml", "biuld/app"])
        #expect(output.status == 64)
        #expect(output.stderr.contains("unknown target `biuld/app`"), "\(output.stderr)")
        #expect(output.stderr.contains("did you mean `build/app`?"), "\(output.stderr)")
        #expect(!project.exists(".flowrun"), "an unknown target runs nothing and writes nothing")
    }

    @Test func anUnchangedSecondRunIsUpToDateAndItsResultFlowsOn() throws {
        let project = try Project(Self.pipeline, files: ["src/a.c": "a", "src/sub/b.c": "b"])
        let (first, before) = try project.runs()
        #expect(first.status == 0, "\(first.stderr)")
        #expect(before["build/app"] == "succeeded")
        let (second, after) = try project.runs()
        #expect(second.status == 0, "\(second.stderr)")
        #expect(after["build/app"] == "up-to-date (unchanged)")
        #expect(after["prep/version"] == "succeeded", "a task without sources always runs")
        // The stored result flows on to the next stage.
        #expect(second.stdout.contains("\"up app-debug-v1\""), "\(second.stdout)")
        let plan = try project.run(["plan", "ci.yaml"])
        #expect(plan.stdout.contains("[up to date]"), "\(plan.stdout)")
        #expect(project.exists(".flowrun/.gitignore"))
    }

    @Test(arguments: ["source", "deleted output", "command", "env", "var"])
    func aChangeMakesItRunAgain(_ change: String) throws {
        let project = try Project(Self.pipeline, files: ["src/a.c": "a"])
        _ = try project.runs()
        #expect(try project.runs().1["build/app"] == "up-to-date (unchanged)")
        var extra: [String] = []
        switch change {
        case "source": try project.write("src/a.c", "changed")
        case "deleted output": try FileManager.default.removeItem(at: project.url.appendingPathComponent("app.out"))
        case "command": try project.write("ci.yaml", Self.pipeline.replacingOccurrences(of: "cat src", with: "cat  src"))
        case "env": try project.write("ci.yaml", Self.pipeline.replacingOccurrences(of: "LEVEL: \"1\"", with: "LEVEL: \"2\""))
        default: extra = ["--var", "mode=release"]
        }
        let (output, states) = try project.runs(extra)
        #expect(output.status == 0, "\(output.stderr)")
        #expect(states["build/app"] == "succeeded", "\(change): \(states)")
    }

    @Test func forceRunsEverything() throws {
        let project = try Project(Self.pipeline, files: ["src/a.c": "a"])
        _ = try project.runs()
        let (output, states) = try project.runs(["--force"])
        #expect(output.status == 0)
        #expect(states.values.allSatisfy { $0 == "succeeded" }, "\(states)")
    }

    @Test func resumeAfterAFailureReusesWhatSucceededWithItsResults() throws {
        let workflow = """
            stages:
              - name: fetch
                tasks:
                  - {name: data, run: "echo fetched >> count.txt; echo payload"}
              - name: check
                tasks:
                  - {name: test, run: "test -f fixed && echo checked ${{ stages.fetch.tasks.data.result }}"}
            """
        let project = try Project(workflow)
        let (failed, first) = try project.runs()
        #expect(failed.status == 1)
        #expect(first == ["fetch/data": "succeeded", "check/test": "failed"])
        try project.write("fixed", "")
        let (resumed, second) = try project.runs(["--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(second == ["fetch/data": "up-to-date (resumed)", "check/test": "succeeded"])
        #expect(resumed.stdout.contains("\"checked payload\""), "the reused result fills the next stage: \(resumed.stdout)")
        let count = try String(contentsOf: project.url.appendingPathComponent("count.txt"), encoding: .utf8)
        #expect(count == "fetched\n", "the reused task did not run again")
        // A plain run (no --resume) runs it again.
        #expect(try project.runs().1["fetch/data"] == "succeeded")
    }

    @Test func logListsRunsAndPrintsOneAgain() throws {
        let project = try Project("stages:\n  - name: s\n    tasks: [{name: t, run: echo hello}]\n")
        let first = try project.run(["ci.yaml", "--output", "quiet"])
        #expect(first.status == 0)
        _ = try project.run(["ci.yaml", "--output", "quiet"])
        let log = try project.run(["log", "ci.yaml", "--format", "json"])
        #expect(log.status == 0, "\(log.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as? [String: Any])
        let runs = try #require(object["runs"] as? [[String: Any]])
        #expect(runs.count == 2)
        #expect(runs.allSatisfy { $0["status"] as? String == "succeeded" && ($0["counts"] as? [String: Int]) == ["succeeded": 1] })
        let id = try #require(runs.last?["runId"] as? String)
        let again = try project.run(["log", id])
        #expect(again.status == 0)
        #expect(again.stdout.hasPrefix("stage s: "), "\(again.stdout)")
        #expect(again.stdout.contains("result: ('hello',)") || again.stdout.contains("result: ('hello')"), "\(again.stdout)")
        let json = try project.run(["log", id, "--format", "json"])
        #expect(json.stdout.contains("\"runId\": \"\(id)\""))
        let table = try project.run(["log"])
        #expect(table.stdout.contains(id), "\(table.stdout)")
        #expect(try project.run(["log", "0123456789abcdef"]).status == 64)
    }

    /// The kept text report is the plain one: the printed report when that is
    /// plain too (it is rendered once for both), never a styled one.
    @Test func theKeptTextReportIsThePrintedPlainOne() throws {
        let project = try Project("stages:\n  - name: s\n    tasks: [{name: t, run: echo hello}, {name: u, sleep: 0.01}]\n")
        func lastRunID() throws -> String {
            let log = try project.run(["log", "ci.yaml", "--format", "json"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as? [String: Any])
            return try #require((object["runs"] as? [[String: Any]])?.first?["runId"] as? String)
        }
        let plain = try project.run(["ci.yaml", "--output", "quiet"])
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(plain.stdout.hasPrefix("stage s: "))
        #expect(try project.run(["log", try lastRunID()]).stdout == plain.stdout)
        let styled = try project.run(["ci.yaml", "--output", "quiet", "--resources"])
        #expect(styled.status == 0, "\(styled.stderr)")
        #expect(styled.stdout.contains("resources: cpu"), "\(styled.stdout)")
        let kept = try project.run(["log", try lastRunID()]).stdout
        #expect(kept.hasPrefix("stage s: ") && !kept.contains("resources: cpu"), "\(kept)")
    }

    @Test func targetNamesAreOfferedAsCompletions() throws {
        let project = try Project(Self.pipeline)
        let output = try project.run(["---completion", "run", "--", "positional@1", "2", "1", "run", "ci.yaml", "b"])
        #expect(output.stdout.split(separator: "\n") == ["build", "build/app", "build/docs"], "\(output.stdout)")
    }

    @Test func listShowsTargetsAndWritesNothing() throws {
        let project = try Project("stages:\n  - name: lint\n    description: Style\n    tasks: [{name: py, run: 'touch ran'}]\n")
        let output = try project.run(["list", "ci.yaml"])
        #expect(output.status == 0)
        #expect(output.stdout.contains("lint  Style\n  lint/py\n"), "\(output.stdout)")
        let json = try project.run(["list", "ci.yaml", "--format", "json"])
        #expect((try? JSONSerialization.jsonObject(with: Data(json.stdout.utf8))) != nil)
        #expect(!project.exists("ran") && !project.exists(".flowrun"))
    }

    static let matrixPipeline = """
        stages:
          - name: a
            tasks:
              - name: v
                outputs: [tag]
                run: echo "tag=v1" >> "$FLOWRUN_OUTPUT"
              - {name: m, matrix: {os: [x, y]}, run: "echo built-${{ matrix.os }}"}
              - {name: other, run: echo other}
          - name: b
            tasks:
              - name: use
                steps:
                  - run: echo got ${{ stages.a.tasks.v.outputs.tag }}
              - {name: all, run: "echo ${{ stages.a.tasks.m.results }}"}
        """

    /// Before: `b/use` ran with an empty output (its producer was not selected) and `a/m` was unknown.
    @Test func outputsResultsAndMatrixTasksAreSelected() throws {
        let project = try Project(Self.matrixPipeline)
        let (use, states) = try project.runs(["b/use"])
        #expect(use.status == 0)
        #expect(states["a/v"] == "succeeded" && states["a/m-x"] == "skipped (not selected)", "\(states)")
        #expect(use.stdout.contains("got v1"), "\(use.stdout)")
        let (all, allStates) = try project.runs(["b/all"])
        #expect(all.status == 0 && allStates["a/m-x"] == "succeeded" && allStates["a/m-y"] == "succeeded")
        #expect(allStates["a/v"] == "skipped (not selected)", "\(allStates)")
        let (matrix, matrixStates) = try project.runs(["a/m"])
        #expect(matrix.status == 0 && matrixStates["a/m-y"] == "succeeded" && matrixStates["b/all"] == "skipped (not selected)")
        let list = try project.run(["list", "ci.yaml"])
        #expect(list.stdout.contains("  a/m  [matrix: 2 instances]\n    a/m-x\n    a/m-y\n"), "\(list.stdout)")
    }
}
