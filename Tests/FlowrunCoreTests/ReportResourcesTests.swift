import Foundation
import Testing
@testable import FlowrunCore

/// Resources and run metrics in every report: JSON, JUnit, trace and text.
@Suite("Report resources") struct ReportResourcesTests {
    private let run = ReportFixture.measuredRun()

    private func json(_ run: RunResult) throws -> [String: Any] {
        let text = JSONReport.render(plan: plan([]), run: run, exitStatus: run.exitStatus)
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func metricsAddUp() {
        #expect(run.totalCPU == .milliseconds(1920))
        #expect(run.queuedTime == .milliseconds(100))
        #expect(run.peakConcurrency == 3)
        #expect(ReportFixture.seedRun().peakConcurrency == 2)
        #expect(ReportFixture.seedRun().totalCPU == nil)
    }

    @Test(arguments: [
        ([(0, 10), (0, 5)], 2),
        ([(0, 10), (0, 5), (5, 8)], 2),  // touching does not overlap, as in the trace's slots
        ([(0, 10), (0, 5), (4, 8)], 3),
        ([(0, 1), (2, 3), (4, 5)], 1),
        ([], 0),
    ])
    func peakConcurrencyIsTheTraceSlotCount(intervals: [(Int, Int)], peak: Int) {
        let tasks = intervals.enumerated().map { index, interval in
            TaskResult(id: TaskID(stage: 0, task: index), stageName: "s", name: "\(index)", state: .succeeded,
                       attempts: 1, started: .milliseconds(interval.0), finished: .milliseconds(interval.1))
        }
        let run = RunResult(workflowName: "w", runID: "r", startedAt: WallTime(seconds: 0, nanoseconds: 0),
                            wallTime: .milliseconds(10), stages: [], tasks: tasks, interrupted: false)
        #expect(run.peakConcurrency == peak)
        #expect(run.peakConcurrency == (TraceReport.slotAssignment(tasks).values.max() ?? 0))
    }

    @Test func jsonCarriesResourcesOnTasksAndAttempts() throws {
        let object = try json(run)
        let timing = try #require(object["timing"] as? [String: Any])
        #expect(timing["totalCPU"] as? Double == 1.92)
        #expect(timing["peakConcurrency"] as? Int == 3)
        #expect(timing["queued"] as? Double == 0.1)
        let tasks = try #require(object["tasks"] as? [[String: Any]])
        let flaky = tasks[2]
        #expect(flaky["queued"] as? Double == 0.02)
        let resources = try #require(flaky["resources"] as? [String: Any])
        #expect(resources["userCPU"] as? Double == 0.6)
        #expect(resources["systemCPU"] as? Double == 0.04)
        #expect(resources["maxRSS"] as? Int == 30 << 20)
        #expect(resources["readBlocks"] as? Int == 8)
        #expect(resources["writtenBlocks"] as? Int == 4)
        let attempts = try #require(flaky["attemptSpans"] as? [[String: Any]])
        #expect(attempts.map { $0["attempt"] as? Int } == [1, 2])
        #expect(attempts.map { $0["state"] as? String } == ["failed", "succeeded"])
        #expect(attempts.map { $0["exitCode"] as? Int } == [1, 0])
        #expect(attempts.map { ($0["resources"] as? [String: Any])?["readBlocks"] as? Int } == [0, 8])
        #expect(attempts.map { $0["started"] as? Double } == [0, 0.5])
        // Skipped: nothing measured, never queued.
        #expect(tasks[5]["resources"] is NSNull)
        #expect(tasks[5]["queued"] is NSNull)
        #expect((tasks[5]["attemptSpans"] as? [Any])?.isEmpty == true)
    }

    @Test func jsonSaysNullWhenNothingWasMeasured() throws {
        let timing = try #require(try json(ReportFixture.seedRun())["timing"] as? [String: Any])
        #expect(timing["totalCPU"] is NSNull)
        #expect(timing["peakConcurrency"] as? Int == 2)
    }

    @Test(.enabled(if: ExternalTool.find("python3") != nil, "python3 is not installed"))
    func junitHasPropertiesPerTestcase() throws {
        let script = """
            import sys, xml.etree.ElementTree as ET
            for case in ET.parse(sys.argv[1]).getroot().iter('testcase'):
                children = [child.tag for child in case]
                props = [(p.get('name'), p.get('value')) for p in case.findall('properties/property')]
                print(case.get('name'), children[:1], props)
            """
        let output = try #require(try ReportFixture.python(script, on: JUnitReport.render(run)))
        #expect(output.stderr == "")
        let lines = output.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "compile ['properties'] [('queued', '0.000'), ('userCPU', '0.100'), ('systemCPU', '0.020'), "
            + "('maxRSS', '\(10 << 20)'), ('readBlocks', '0'), ('writtenBlocks', '0')]")
        // First child, before <failure>, where JUnit readers look for it.
        #expect(lines[1].hasPrefix("lint ['properties'] [('queued', '0.010')"))
        #expect(lines.last == "upload ['skipped'] []")
    }

    @Test func traceSlicesCarryTheirAttemptsResources() throws {
        let text = TraceReport.render(run)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let slices = try #require(object["traceEvents"] as? [[String: Any]]).filter { $0["cat"] as? String == "task" }
        let flaky = slices.filter { ($0["name"] as? String)?.hasPrefix("build/flaky") == true }
        let args = flaky.compactMap { $0["args"] as? [String: Any] }
        #expect(args.map { ($0["resources"] as? [String: Any])?["readBlocks"] as? Int } == [0, 8])
        #expect(args.map { $0["queued"] as? Double } == [0.02, nil])
    }

    @Test func textShowsAResourcesColumnOnlyWhenAsked() {
        let plain = RunReport.render(run)
        #expect(!plain.contains("cpu "))
        let text = RunReport.render(run, style: RunReport.Style(resources: true))
        #expect(text.hasPrefix("""
            stage build: 1.50s
              compile  succeeded           1.20s  1 attempt   cpu 120ms  rss 10M  result: built
              lint     failed (exit 2)     300ms  1 attempt   cpu 220ms  rss 20M  (continue-on-error)
              flaky    succeeded           900ms  2 attempts  cpu 640ms  rss 30M  result: ok
            stage test: 515ms
              unit     timed out           500ms  1 attempt   cpu 420ms  rss 40M
              e2e      cancelled           510ms  1 attempt   cpu 520ms  rss 50M
            stage ship: skipped
              upload   skipped
            """))
        #expect(text.contains("\nresources: cpu 1.92s, peak rss 50M, peak concurrency 3, queued 100ms\n"))
    }

    @Test(arguments: [
        (0, "0B"), (512, "512B"), (999, "999B"), (1000, "1K"), (1024, "1K"), (1536, "1.5K"),
        (640 * 1024, "640K"), (85 << 20, "85M"), (3 << 29, "1.5G"), (1023 * 1024, "1M"), (1000 * 1024 + 1, "1M"),
    ])
    func bytesArePrintedShort(count: Int, text: String) {
        #expect(ResourceFormat.bytes(count) == text)
    }
}
