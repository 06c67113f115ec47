import Foundation
import Testing

/// `flowrun plan` as a user runs it. Uses `Flowrun.run` from ValidateCommandTests.swift.
@Suite struct PlanCommandTests {
    /// The seed recipe: three stages of two sleeps.
    static let seed = """
        name: seed
        stages:
          - name: one
            tasks:
              - {name: a, sleep: 3.0, result: task (1) result}
              - {name: b, sleep: 3.5, result: task (2) result}
          - name: two
            tasks:
              - {name: c, sleep: 3.0}
              - {name: d, sleep: 3.5}
          - name: three
            max-parallel: 1
            fail-fast: false
            tasks:
              - {name: e, sleep: 3.0}
              - {name: f, sleep: 3.5}
        """

    @Test func textShowsStagesInOrderAndWhatRunsConcurrently() async throws {
        let result = try await Flowrun.run(["plan", "-"], in: Flowrun.fixtures, stdin: Self.seed)
        #expect(result.status == 0)
        #expect(result.stderr == "")
        #expect(result.stdout == """
            plan: seed (<stdin>)
            3 stages run one after another; 6 tasks in all

            stage 1/3 one: 2 tasks concurrently, fail-fast
              a  sleep 3s
              b  sleep 3.5s

            stage 2/3 two: 2 tasks concurrently, fail-fast
              c  sleep 3s
              d  sleep 3.5s

            stage 3/3 three: 2 tasks one at a time, runs all even if one fails
              e  sleep 3s
              f  sleep 3.5s

            """)
    }

    @Test func jobsCapsConcurrency() async throws {
        let result = try await Flowrun.run(["plan", "--jobs", "1", "-"], in: Flowrun.fixtures, stdin: Self.seed)
        #expect(result.status == 0)
        #expect(result.stdout.contains("stage 1/3 one: 2 tasks one at a time, fail-fast"))
    }

    @Test func jsonIsOneDocumentOnStdout() async throws {
        let result = try await Flowrun.run(["plan", "--format", "json", "valid/full.yaml"], in: Flowrun.fixtures,
                                     environment: ["DEPLOY_TOKEN": "t0ps3cret"])
        #expect(result.status == 0)
        #expect(!result.stdout.contains("t0ps3cret"), "secret values are masked")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["workflow"] as? String == "release")
        let stages = try #require(object["stages"] as? [[String: Any]])
        #expect(stages.map { $0["name"] as? String } == ["build", "ship"])
        #expect(stages[0]["maxParallel"] as? Int == 2)
        let tasks = try #require(stages[0]["tasks"] as? [[String: Any]])
        #expect(tasks[0]["run"] as? String == "make release")
        #expect(tasks[0]["workingDirectory"] as? String == Flowrun.fixtures + "/valid/src")
        let env = try #require(tasks[0]["env"] as? [String: String])
        #expect(env["TOKEN"] == "***")
    }

    @Test func jsonOnStdoutEvenWithWarnings() async throws {
        // DEPLOY_TOKEN unset: the warning goes to stderr, stdout stays one JSON document.
        let result = try await Flowrun.run(["plan", "--format", "json", "valid/full.yaml"], in: Flowrun.fixtures,
                                     environment: ["DEPLOY_TOKEN": nil])
        #expect(result.status == 0)
        #expect(result.stderr.contains("warning: environment variable `DEPLOY_TOKEN` is not set"))
        #expect((try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) != nil)
    }

    @Test func dotIsAGraph() async throws {
        let result = try await Flowrun.run(["plan", "--format", "dot", "-"], in: Flowrun.fixtures, stdin: Self.seed)
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("digraph \"seed\" {\n"))
        #expect(result.stdout.hasSuffix("}\n"))
        // One edge from each stage's cluster to the next (issue 9.11; it was every task to every task).
        #expect(result.stdout.components(separatedBy: " -> ").count - 1 == 2)
        #expect(balanced(result.stdout, "{", "}"))
    }

    @Test func mermaidIsAFlowchart() async throws {
        let result = try await Flowrun.run(["plan", "--format", "mermaid", "-"], in: Flowrun.fixtures, stdin: Self.seed)
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first == "flowchart LR")
        #expect(lines.filter { $0.hasPrefix("  subgraph ") }.count == 3)
        #expect(lines.filter { $0 == "  end" }.count == 3)
        #expect(lines.suffix(2) == ["  s0 --> s1", "  s1 --> s2"])
    }

    /// GitHub's mermaid draws `\n` in a label as those two characters and drops
    /// `<stdio.h>` as an unknown tag: lines are joined with `<br>`, markup is entity codes.
    @Test func mermaidLabelsBreakLinesWithBrAndKeepMarkupAsText() async throws {
        let workflow = """
            stages:
              - name: build
                tasks:
                  - name: source
                    run: |
                      cat > "a.c" <<'C'
                      #include <stdio.h>
                      C
                  - {name: one, run: "echo 1 && echo 2"}
            """
        let result = try await Flowrun.run(["plan", "--format", "mermaid", "-"], in: Flowrun.fixtures, stdin: workflow)
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains(#"    t0_0["source<br>run:<br>  cat #gt; #quot;a.c#quot; #lt;#lt;'C'<br>  #35;include #lt;stdio.h#gt;<br>  C"]"#),
                "\(result.stdout)")
        #expect(lines.contains(#"    t0_1["one<br>run: echo 1 #amp;#amp; echo 2"]"#), "\(result.stdout)")
        #expect(!result.stdout.contains("\\n"))
    }

    @Test func varsOverrideAndUnknownVarIsAUsageError() async throws {
        let workflow = "vars:\n  target: debug\nstages:\n  - name: s\n    tasks:\n      - run: make ${{ vars.target }}\n"
        let ok = try await Flowrun.run(["plan", "--var", "target=rel ease", "-"], in: Flowrun.fixtures, stdin: workflow)
        #expect(ok.status == 0)
        #expect(ok.stdout.contains("run: make 'rel ease'"))
        let unknown = try await Flowrun.run(["plan", "--var", "unknown=1", "-"], in: Flowrun.fixtures, stdin: workflow)
        #expect(unknown.status == 64)
        #expect(unknown.stdout == "")
        #expect(unknown.stderr == "flowrun: error: --var unknown: the workflow declares no variable `unknown` in `vars`\n")
        let malformed = try await Flowrun.run(["plan", "--var", "novalue", "-"], in: Flowrun.fixtures, stdin: workflow)
        #expect(malformed.status == 64)
    }

    @Test func invalidWorkflowExitsTwo() async throws {
        let result = try await Flowrun.run(["plan", "invalid/template-later-stage-result.yaml"], in: Flowrun.fixtures)
        #expect(result.status == 2)
        #expect(result.stdout == "")
        #expect(result.stderr.hasPrefix("invalid/template-later-stage-result.yaml:4:19: error: stage `ship` runs later"))
    }

    @Test func jsonInputFromStandardInput() async throws {
        let json = #"{"name": "j", "stages": [{"name": "s", "tasks": [{"name": "t", "run": "echo \ud83d\ude00"}]}]}"#
        let result = try await Flowrun.run(["plan", "--format-in", "json", "-"], in: Flowrun.fixtures, stdin: json)
        #expect(result.status == 0)
        #expect(result.stdout.contains("t  run: echo 😀"))
    }

    @Test(arguments: [["plan"], ["plan", "--jobs", "0", "-"], ["plan", "--format", "svg", "-"]])
    func usageErrorsExit64(_ arguments: [String]) async throws {
        let result = try await Flowrun.run(arguments, in: Flowrun.fixtures, stdin: Self.seed)
        #expect(result.status == 64)
        #expect(result.stdout == "")
    }

    @Test func hostileCommandsAreEscapedWhenShown() async throws {
        let workflow = "stages:\n  - name: s\n    tasks:\n      - run: \"printf '\\e]0;owned\\a' \\u202E\"\n"
        let result = try await Flowrun.run(["plan", "-"], in: Flowrun.fixtures, stdin: workflow)
        #expect(result.status == 0)
        #expect(!result.stdout.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x202E })
        #expect(result.stdout.contains(#"printf '\u{1B}]0;owned\u{7}' \u{202E}"#))
    }

    private func balanced(_ text: String, _ open: Character, _ close: Character) -> Bool {
        var depth = 0
        for c in text {
            if c == open { depth += 1 }
            if c == close { depth -= 1 }
            if depth < 0 { return false }
        }
        return depth == 0
    }
}
