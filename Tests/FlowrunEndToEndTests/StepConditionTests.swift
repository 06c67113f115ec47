import Foundation
import Testing

/// `if:` on steps through the built binary (issue 10.3): matrix values, earlier
/// stages' outputs, and success()/failure()/always() asking about the earlier
/// steps of the task, as in GitHub Actions; skipped steps carry their reason.
@Suite struct StepConditionTests {
    static let workflow = """
        stages:
          - name: prep
            tasks:
              - name: v
                outputs: [tag]
                run: echo "tag=v1" >> "$FLOWRUN_OUTPUT"
          - name: test
            fail-fast: false            # t-linux fails; t-mac must not be cancelled by it
            tasks:
              - name: t
                matrix: {os: [linux, mac]}
                steps:
                  - {name: only-mac, if: "matrix.os == 'mac'", run: echo mac}
                  - {name: tagged, if: "stages.prep.tasks.v.outputs.tag == 'v1'", run: "echo tagged-${{ matrix.os }}"}
                  - {name: fails, if: "matrix.os == 'linux'", run: "false"}
                  - {name: after, run: echo after}
                  - {name: on-failure, if: failure(), run: echo on-failure}
                  - {name: always, if: always(), run: echo always}
        """

    @Test func stepConditionsSkipWithTheirReasonInEveryReport() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("flowrun-step-if-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let junit = folder.appendingPathComponent("junit.xml").path
        let html = folder.appendingPathComponent("report.html").path
        let trace = folder.appendingPathComponent("trace.json").path
        let text = try await Flowrun.run(["run", "-", "--output", "quiet", "--junit", junit, "--html", html, "--trace", trace],
                                         in: Flowrun.fixtures, stdin: Self.workflow)
        #expect(text.status == 1, "t-linux fails at `fails`: \(text.stdout)\n\(text.stderr)")
        let linux = text.stdout.components(separatedBy: "t-linux")[1].components(separatedBy: "t-mac")[0]
        for line in ["- only-mac  skipped (condition)", "- tagged  succeeded", "- fails  failed (exit 1)",
                     "- after  skipped\n", "- on-failure  succeeded", "- always  succeeded"] {
            #expect(linux.contains(line), "t-linux: \(line)\n\(text.stdout)")
        }
        let mac = text.stdout.components(separatedBy: "t-mac")[1]
        for line in ["- only-mac  succeeded", "- fails  skipped (condition)", "- after  succeeded",
                     "- on-failure  skipped (condition)", "- always  succeeded"] {
            #expect(mac.contains(line), "t-mac: \(line)\n\(text.stdout)")
        }
        // The last step that ran gives the task's result.
        #expect(text.stdout.contains("result: ('', None, 'always')"), "\(text.stdout)")

        let json = try await Flowrun.run(["run", "-", "--output", "quiet", "--format", "json"], in: Flowrun.fixtures, stdin: Self.workflow)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let tasks = try #require(document["tasks"] as? [[String: Any]])
        let mac2 = try #require(tasks.first { $0["name"] as? String == "t-mac" })
        let steps = try #require(mac2["steps"] as? [[String: Any]])
        let fails = try #require(steps.first { $0["name"] as? String == "fails" })
        #expect(fails["state"] as? String == "skipped" && fails["reason"] as? String == "condition", "\(fails)")
        #expect(fails["detail"] as? String == "skipped (condition)")

        let xml = try String(contentsOfFile: junit, encoding: .utf8)
        #expect(xml.contains("name=\"step.3.fails\" value=\"skipped (condition)\""), "\(xml)")
        #expect(try String(contentsOfFile: html, encoding: .utf8).contains("skipped (condition)"))
        let events = try #require((try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: trace)))
            as? [String: Any])?["traceEvents"] as? [[String: Any]])
        let skipped = events.first { $0["name"] as? String == "test/t-mac fails" }
        #expect((skipped?["args"] as? [String: Any])?["reason"] as? String == "condition", "\(String(describing: skipped))")

        let plan = try await Flowrun.run(["plan", "-"], in: Flowrun.fixtures, stdin: Self.workflow)
        #expect(plan.stdout.contains("on-failure  run: echo on-failure  [if: failure()]"), "\(plan.stdout)")
        #expect(plan.stdout.contains("[if: matrix.os == 'mac']"), "\(plan.stdout)")
    }

    /// `flowrun list` shows stage and task conditions as written (issue 11.1), in text and JSON.
    @Test func listShowsConditions() async throws {
        let workflow = """
            vars: {mode: fast}
            stages:
              - name: build
                if: ${{ vars.mode != 'off' || failure() }}
                tasks:
                  - {name: slow, if: "vars.mode == 'slow' && !contains(host.os, 'plan9')", run: echo}
                  - {name: plain, run: echo}
            """
        let text = try await Flowrun.run(["list", "-"], in: Flowrun.fixtures, stdin: workflow)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("build  [if: vars.mode != 'off' || failure()]\n"), "\(text.stdout)")
        #expect(text.stdout.contains("  build/slow  [if: vars.mode == 'slow' && !contains(host.os, 'plan9')]\n"), "\(text.stdout)")
        #expect(text.stdout.contains("  build/plain\n"), "\(text.stdout)")
        let json = try await Flowrun.run(["list", "-", "--format", "json"], in: Flowrun.fixtures, stdin: workflow)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let stage = try #require((document["stages"] as? [[String: Any]])?.first)
        #expect(stage["if"] as? String == "vars.mode != 'off' || failure()")
        let tasks = try #require(stage["tasks"] as? [[String: Any]])
        #expect(tasks.map { $0["if"] as? String } == ["vars.mode == 'slow' && !contains(host.os, 'plan9')", nil])
        #expect(tasks[1]["if"] is NSNull)
    }
}
