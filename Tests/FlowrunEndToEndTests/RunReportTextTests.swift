import Foundation
import Testing

/// The text report after a run, through the built binary (issue 9.6, 9.7, escaping cosmetic).
@Suite struct RunReportTextTests {
    static func run(_ workflow: String, _ extra: [String] = []) async throws -> Flowrun.Result {
        try await Flowrun.run(["run", "-", "--output", "quiet"] + extra, in: Flowrun.fixtures, stdin: workflow)
    }

    @Test func aHugeResultIsCutToOneShortLine() async throws {
        let result = try await Self.run("""
            stages:
              - [seq 200000, "printf 'b%.0s' $(seq 100)"]
            """)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.utf8.count < 2000, "the report stays small: \(result.stdout.utf8.count) bytes")
        let expected = "result: ('1…', '\(String(repeating: "b", count: 64))…')\n"
            + "  (results shortened; full values: --format json or --report FILE.json)\n"
        #expect(result.stdout.hasSuffix(expected), "\(result.stdout)")
    }

    @Test func theListIsCutAfterTwentyValues() async throws {
        let tasks = (1...25).map { "echo \($0)" }.joined(separator: ", ")
        let result = try await Self.run("stages:\n  - [\(tasks)]\n")
        #expect(result.status == 0, "\(result.stderr)")
        let shown = (1...20).map { "'\($0)'" }.joined(separator: ", ")
        #expect(result.stdout.contains("result: (\(shown), … 5 more)\n  (results shortened;"), "\(result.stdout)")
    }

    @Test func shortResultsAreShownWhole() async throws {
        let result = try await Self.run("stages:\n  - [echo a, echo b]\n")
        #expect(result.stdout.hasSuffix("result: ('a', 'b')\n"), "\(result.stdout)")
    }

    @Test func aToleratedFailureIsNotTheRunsFailure() async throws {
        let result = try await Self.run("""
            stages:
              - name: s
                tasks:
                  - {name: lint, run: "echo style >&2; exit 3", continue-on-error: true}
                  - {name: build, run: "true"}
            """)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.contains("first failure"), "\(result.stdout)")
        #expect(result.stdout.contains("tolerated failure: s/lint failed (exit 3) (continue-on-error)\n  | style\n"),
                "\(result.stdout)")
    }

    @Test func aRealFailureStaysTheFirstFailure() async throws {
        let result = try await Self.run("""
            stages:
              - name: s
                fail-fast: false
                tasks:
                  - {name: lint, run: "exit 3", continue-on-error: true}
                  - {name: build, run: "sleep 0.2; exit 4"}
            """)
        #expect(result.status == 1)
        #expect(result.stdout.contains("first failure: s/build failed (exit 4)\n"), "\(result.stdout)")
        #expect(!result.stdout.contains("tolerated"))
    }

    @Test func escapeSequencesInResultsAreShownEscaped() async throws {
        // Partial last lines on purpose: they once crashed flowrun in libdispatch (issue 12).
        let result = try await Self.run(#"""
            stages:
              - name: s
                fail-fast: false
                tasks:
                  - {name: paint, run: "printf '\\033[31mred\\302\\233x\\342\\200\\256'"}
                  - {name: fail, run: "printf '\\033]0;title\\007' >&2; exit 1"}
            """#)
        #expect(result.status == 1)
        #expect(!result.stdout.contains("\u{1B}"), "no raw ESC reaches the report")
        #expect(!result.stdout.contains("\u{9B}") && !result.stdout.contains("\u{202E}"))
        #expect(result.stdout.contains(#"result: \u{1B}[31mred\u{9B}x\u{202E}"#), "\(result.stdout)")
        #expect(result.stdout.contains(#"('\x1b[31mred\x9bx\u202e', None)"#), "\(result.stdout)")
        #expect(result.stdout.contains(#"  | \u{1B}]0;title\u{7}"#), "\(result.stdout)")
    }
}
