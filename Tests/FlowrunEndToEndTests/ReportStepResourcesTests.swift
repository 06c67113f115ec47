import Foundation
import Testing

/// A task of `steps:` is measured like a `run:` task (issue 14.1): each step
/// is its own process reaped with `wait4`, the attempt and the task carry the
/// steps together (CPU and blocks summed, peak RSS the largest), through
/// the built binary into every report that shows resources.
@Suite("Report step resources") struct ReportStepResourcesTests {
    static let workflow = #"""
        name: measured
        stages:
          - name: build
            fail-fast: false
            tasks:
              - name: work
                steps:
                  - name: allocate
                    run: dd if=/dev/zero of=/dev/null bs=60M count=1 2>/dev/null
                  - name: burn
                    run: i=0; while [ $i -lt 100000 ]; do i=$((i+1)); done
              - name: broken
                steps:
                  - name: burn
                    run: i=0; while [ $i -lt 100000 ]; do i=$((i+1)); done; exit 4
                  - name: never
                    run: "true"
        """#

    private static let megabyte = 1 << 20

    @Test(.enabled(if: ReportCLI.binary != nil, "needs the built flowrun"))
    func stepsCarryResourcesIntoEveryReport() throws {
        let directory = try ReportCLI.workspace(["steps.yaml": Self.workflow])
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = try ReportCLI.run(
            ["steps.yaml", "--resources", "--report", "r.json", "--junit", "j.xml", "--trace", "t.json", "--html", "r.html"],
            in: directory)
        #expect(output.status == 1, "\(output.stderr)")

        let report = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: directory.appendingPathComponent("r.json"))) as? [String: Any])
        let tasks = try #require(report["tasks"] as? [[String: Any]])
        let work = try #require(tasks.first { $0["name"] as? String == "work" })
        let total = try #require(work["resources"] as? [String: Any], "a steps task has resources")
        let maxRSS = try #require(total["maxRSS"] as? Int)
        #expect(maxRSS >= 60 * Self.megabyte, "\(total)")
        #expect(maxRSS < 200 * Self.megabyte, "\(total)")
        let steps = try #require(work["steps"] as? [[String: Any]])
        let stepUsage = try steps.map { try #require($0["resources"] as? [String: Any], "step \($0["name"] ?? "?")") }
        let stepCPU = stepUsage.map { ($0["userCPU"] as? Double ?? 0) + ($0["systemCPU"] as? Double ?? 0) }
        let cpu = (total["userCPU"] as? Double ?? 0) + (total["systemCPU"] as? Double ?? 0)
        #expect(stepCPU[1] > 0, "the burning step used CPU: \(stepUsage[1])")
        #expect(abs(cpu - stepCPU.reduce(0, +)) < 0.005, "task CPU \(cpu) is the steps' sum \(stepCPU)")
        #expect(maxRSS == stepUsage.compactMap { $0["maxRSS"] as? Int }.max(), "task peak is the largest step's")
        let spans = try #require(work["attemptSpans"] as? [[String: Any]])
        #expect((spans.first?["resources"] as? [String: Any])?["maxRSS"] as? Int == maxRSS)

        // A failing steps task is measured too; its skipped step is not.
        let broken = try #require(tasks.first { $0["name"] as? String == "broken" })
        let brokenUsage = try #require(broken["resources"] as? [String: Any])
        #expect((brokenUsage["userCPU"] as? Double ?? 0) + (brokenUsage["systemCPU"] as? Double ?? 0) > 0)
        let brokenSteps = try #require(broken["steps"] as? [[String: Any]])
        #expect(brokenSteps.map { $0["resources"] is NSNull } == [false, true])

        // The text report's --resources column: the task's and each step's.
        let line = try #require(output.stdout.split(separator: "\n").first { $0.hasPrefix("  work ") })
        #expect(line.contains("rss \(ResourceText.megabytes(maxRSS))"), "\(line)")
        #expect(!line.contains("rss -"))
        #expect(output.stdout.split(separator: "\n").contains { $0.hasPrefix("    - allocate") && $0.contains(" rss ") })

        let junit = try String(contentsOf: directory.appendingPathComponent("j.xml"), encoding: .utf8)
        #expect(junit.contains("<property name=\"maxRSS\" value=\"\(maxRSS)\"/>"))
        let trace = try String(contentsOf: directory.appendingPathComponent("t.json"), encoding: .utf8)
        let workSlice = try #require(trace.split(separator: "\n").first { $0.hasPrefix("{\"name\":\"build/work\",") })
        #expect(workSlice.contains("\"maxRSS\": \(maxRSS)"))
        #expect(trace.split(separator: "\n").contains { $0.contains("\"cat\":\"step\"") && $0.contains("\"resources\":{") })
        let html = try String(contentsOf: directory.appendingPathComponent("r.html"), encoding: .utf8)
        let row = try #require(html.split(separator: "\n").first { $0.contains("<td class=\"name\">work") })
        #expect(row.contains(">\(ResourceText.megabytes(maxRSS))</td>"), "\(row)")
    }
}

/// The text and HTML reports' peak RSS in whole mebibytes (`62M`), as `ResourceFormat.bytes` writes it above 10 MiB.
private enum ResourceText {
    static func megabytes(_ bytes: Int) -> String { "\(Int((Double(bytes) / Double(1 << 20)).rounded()))M" }
}
