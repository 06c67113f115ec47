import Foundation
import Testing

/// A report of 20,000 tasks or more is written to stdout in chunks as it is
/// made, not kept whole; the state folder renders its own copy, which
/// `flowrun log RUNID` prints: the same text.
@Suite("Report streamed") struct ReportStreamedTests {
    @Test(.enabled(if: ReportCLI.binary != nil, "needs the built flowrun"))
    func aBigReportIsStreamedAndKeptTheSame() throws {
        let directory = try ReportCLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let tasks = 20_000
        let workflow = "stages:\n  - name: s\n    tasks:\n" + String(repeating: "      - sleep: 1ms\n", count: tasks)
        try workflow.write(to: directory.appendingPathComponent("big.yaml"), atomically: true, encoding: .utf8)
        let run = try ReportCLI.run(["run", "big.yaml", "--output", "quiet"], in: directory)
        #expect(run.status == 0)
        let lines = run.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first?.hasPrefix("stage s: ") == true)
        #expect(lines.filter { $0.hasPrefix("  ") && $0.contains("succeeded") }.count == tasks)
        #expect(lines.contains { $0.hasPrefix("  20000  succeeded") })
        #expect(lines.contains { $0.hasPrefix("total: wall ") })
        let log = try ReportCLI.run(["log", "--format", "json"], in: directory)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as? [String: Any])
        let runs = try #require(object["runs"] as? [[String: Any]])
        let runID = try #require(runs.last?["runId"] as? String)
        let kept = try ReportCLI.run(["log", runID], in: directory)
        #expect(kept.status == 0)
        #expect(kept.stdout == run.stdout)
    }
}
