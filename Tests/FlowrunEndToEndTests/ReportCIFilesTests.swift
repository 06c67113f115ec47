import Foundation
import Testing

/// `--html`, `--summary`, `--resources` and GitHub Actions' conventions,
/// through the built binary on a real failing workflow.
@Suite("Report CI files") struct ReportCIFilesTests {
    static let workflow = #"""
        name: ci
        vars:
          token: hunter2-secret
        secrets: [token]
        stages:
          - name: lint
            fail-fast: false
            tasks:
              - name: style
                run: echo "checked with ${{ vars.token }}"
              - name: unit
                run: |
                  echo running
                  echo "FAIL: test_parse (expected 3, got 4)" >&2
                  exit 1
              - name: advisory
                continue-on-error: true
                run: echo "maybe later" >&2; exit 3
          - name: ship
            tasks:
              - name: upload
                run: echo never
        """#

    @Test(.enabled(if: ReportCLI.binary != nil, "needs the built flowrun"))
    func underGitHubActionsOutputIsGroupedAnnotatedAndMasked() throws {
        let directory = try ReportCLI.workspace(["ci.yaml": Self.workflow])
        defer { try? FileManager.default.removeItem(at: directory) }
        let summary = directory.appendingPathComponent("step-summary.md")
        try "## earlier step\n".write(to: summary, atomically: true, encoding: .utf8)
        let output = try ReportCLI.run(
            ["ci.yaml", "--output", "grouped"], in: directory,
            environment: ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary.path, "GITHUB_WORKSPACE": directory.path])
        #expect(output.status == 1)
        let lines = output.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // The mask is registered before any task's output.
        #expect(lines.first == "::add-mask::hunter2-secret")
        #expect(!output.stdout.dropFirst(lines[0].count).contains("hunter2"))
        let group = try #require(lines.firstIndex { $0.hasPrefix("::group::lint/unit (failed (exit 1), ") })
        #expect(lines[group + 1] == "running")
        #expect(lines[group + 2] == "! FAIL: test_parse (expected 3, got 4)")
        #expect(lines[group + 3] == "::endgroup::")
        #expect(lines[group + 4] == "::error file=ci.yaml,line=11,title=lint/unit failed::failed (exit 1): FAIL: test_parse (expected 3, got 4)", "\(output.stdout)")
        #expect(lines.contains("::warning file=ci.yaml,line=16,title=lint/advisory failed::failed (exit 3): maybe later"))
        #expect(lines.contains { $0.hasPrefix("::group::lint/style (succeeded, ") })
        // The job summary is appended, not replaced.
        let text = try String(contentsOf: summary, encoding: .utf8)
        #expect(text.hasPrefix("## earlier step\n## ❌ flowrun: ci failed\n"))
        #expect(text.contains("### First failure: lint/unit failed (exit 1)\n\n```text\nFAIL: test_parse (expected 3, got 4)\n```\n"))
        #expect(text.contains("```mermaid\ngantt\n"))
    }

    @Test(.enabled(if: ReportCLI.binary != nil, "needs the built flowrun"))
    func noCIAnnotationsTurnsItAllOff() throws {
        let directory = try ReportCLI.workspace(["ci.yaml": Self.workflow])
        defer { try? FileManager.default.removeItem(at: directory) }
        let summary = directory.appendingPathComponent("step-summary.md")
        let output = try ReportCLI.run(
            ["ci.yaml", "--output", "grouped", "--no-ci-annotations"], in: directory,
            environment: ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary.path])
        #expect(output.status == 1)
        #expect(!output.stdout.contains("::"))
        #expect(output.stdout.contains("== lint/unit: failed (exit 1) ==\n"))
        #expect(!FileManager.default.fileExists(atPath: summary.path))
    }

    @Test(.enabled(if: ReportCLI.binary != nil, "needs the built flowrun"))
    func htmlSummaryAndResourcesFiles() throws {
        let directory = try ReportCLI.workspace(["ci.yaml": Self.workflow])
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = try ReportCLI.run(
            ["ci.yaml", "--html", "report.html", "--summary", "summary.md", "--resources", "--output", "quiet"], in: directory)
        #expect(output.status == 1)
        #expect(!output.stdout.contains("::"), "outside GitHub Actions: no workflow commands")
        #expect(output.stdout.contains("\nresources: cpu "))
        let html = try String(contentsOf: directory.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<svg"))
        #expect(html.contains("FAIL: test_parse (expected 3, got 4)"))
        #expect(html.contains("checked with ***"))
        #expect(!html.contains("hunter2"))
        let summary = try String(contentsOf: directory.appendingPathComponent("summary.md"), encoding: .utf8)
        #expect(summary.hasPrefix("## ❌ flowrun: ci failed\n"))
        #expect(summary.contains("| | upload | ⏭️ skipped |"))
    }
}
