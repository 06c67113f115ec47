import Foundation
import FlowrunTestSupport
import Testing

extension Reliability {
    /// Issue 6, secrets: values named in `secrets:` (from `env`, `vars`, or
    /// flowrun's own environment) never appear in live output, the text report,
    /// the JSON report, the report file or the plan — also a multi-line value,
    /// and a value whose halves arrive in two separate output chunks.
    @Suite
    struct SecretTests {
        /// Every piece of every secret below; none may appear in any output.
        static let pieces = [
            "hunter2", "line-one-secret", "line-two-secret", "pw-vars-secret-42", "from-the-environment-77",
        ]

        static let workflow = """
            env:
              TOKEN: hunter2-secret-value
              MULTI: "line-one-secret\\nline-two-secret"
              OUTER: ${{ env.RELIABILITY_OUTER_SECRET }}
            vars:
              password: pw-vars-secret-42
            secrets: [TOKEN, MULTI, password, OUTER]
            stages:
              - name: s
                tasks:
                  - name: out
                    run: echo "token=$TOKEN"; echo "err $TOKEN" >&2; printf '%s\\n' "$MULTI"; echo "outer=$OUTER"
                  - name: split
                    run: printf 'x hunter2-se'; sleep 0.3; printf 'cret-value y\\n'
                  - name: var
                    run: echo ${{ vars.password }}
                  - name: result
                    run: "true"
                    result: "r=${{ vars.password }}"
              - name: t
                tasks:
                  - name: fail
                    run: echo "bad $TOKEN" >&2; exit 4

            """

        static let environment = ["RELIABILITY_OUTER_SECRET": "from-the-environment-77"]

        private func expectMasked(
            _ text: String, _ what: String, pieces: [String] = Self.pieces, sourceLocation: SourceLocation = #_sourceLocation
        ) {
            for piece in pieces {
                #expect(!text.contains(piece), "\(what) shows `\(piece)`:\n\(text)", sourceLocation: sourceLocation)
            }
        }

        @Test("live output and the text report", arguments: ["prefixed", "grouped"])
        func liveAndText(_ mode: String) async throws {
            let scratch = try TemporaryFolder()
            let file = try scratch.write("w.yaml", Self.workflow)
            let run = try Launched(
                ["run", file, "--output", mode, "--report", scratch.file("report.json")], in: scratch,
                extraEnvironment: Self.environment)
            let ending = try #require(await run.wait())
            #expect(ending.status == 1, "\(ending)\n\(run.stderr)")
            let stdout = run.stdout
            expectMasked(stdout, "stdout")
            expectMasked(run.stderr, "stderr")
            expectMasked(scratch.read("report.json"), "the report file")
            #expect(stdout.contains("token=***"), "\(stdout)")
            #expect(stdout.contains("x *** y"), "a secret split across chunks: \(stdout)")
            #expect(stdout.contains("outer=***"), "\(stdout)")
            #expect(stdout.contains("| bad ***"), "the first failure's stderr tail: \(stdout)")
        }

        @Test("the JSON report (and live output on stderr)")
        func json() async throws {
            let scratch = try TemporaryFolder()
            let file = try scratch.write("w.yaml", Self.workflow)
            let run = try Launched(["run", file, "--format", "json"], in: scratch, extraEnvironment: Self.environment)
            let ending = try #require(await run.wait())
            #expect(ending.status == 1, "\(ending)")
            expectMasked(run.stdout, "JSON")
            expectMasked(run.stderr, "stderr")
            let report = try #require(JSONRun(run.stdout), "\(run.stdout)")
            #expect(report.task("split")?["result"] as? String == "x *** y")
            #expect(report.task("result")?["result"] as? String == "r=***")
        }

        @Test("the plan and the dry run", arguments: [
            ["plan"], ["plan", "--format", "json"], ["plan", "--format", "dot"], ["plan", "--format", "mermaid"],
            ["run", "--dry-run"],
        ])
        func plan(_ command: [String]) async throws {
            let scratch = try TemporaryFolder()
            let file = try scratch.write("w.yaml", Self.workflow)
            let run = try Launched([command[0], file] + command.dropFirst(), in: scratch, extraEnvironment: Self.environment)
            let ending = try #require(await run.wait())
            #expect(ending.status == 0, "\(ending)\n\(run.stderr)")
            // The plan shows the commands as written, and the `split` task's command
            // holds the two halves of TOKEN as literal text: look for whole values.
            let whole = ["hunter2-secret-value"] + Self.pieces.dropFirst()
            expectMasked(run.stdout + run.stderr, "\(command)", pieces: whole)
        }
    }
}
