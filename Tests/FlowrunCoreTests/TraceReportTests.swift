import Foundation
import Testing
@testable import FlowrunCore

@Suite("Trace") struct TraceReportTests {
    private typealias Event = [String: Any]

    private func events(_ run: RunResult) throws -> [Event] {
        let text = TraceReport.render(run)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        return try #require(object["traceEvents"] as? [Event])
    }

    private func slices(_ events: [Event], _ category: String) -> [Event] {
        events.filter { $0["ph"] as? String == "X" && $0["cat"] as? String == category }
    }

    private func us(_ milliseconds: Int) -> Int { milliseconds * 1000 }

    /// Intervals → track, first start first, lowest free track.
    @Test(arguments: [
        ([(0, 10), (0, 5)], [1, 2]),
        ([(0, 10), (0, 5), (5, 8)], [1, 2, 2]),  // touching: the track is free again
        ([(0, 10), (0, 5), (4, 8)], [1, 2, 3]),
        ([(0, 1), (2, 3), (4, 5)], [1, 1, 1]),
    ])
    func slots(intervals: [(Int, Int)], expected: [Int]) {
        let tasks = intervals.enumerated().map { index, interval in
            TaskResult(id: TaskID(stage: 0, task: index), stageName: "s", name: "\(index)", state: .succeeded,
                       attempts: 1, started: .milliseconds(interval.0), finished: .milliseconds(interval.1))
        }
        let slots = TraceReport.slotAssignment(tasks)
        #expect(tasks.map { slots[$0.id] } == expected)
    }

    @Test func seedHasTwoSlotsAndThreeStages() throws {
        let events = try events(ReportFixture.seedRun())
        let names = events.filter { $0["ph"] as? String == "M" && $0["name"] as? String == "thread_name" }
            .compactMap { ($0["args"] as? [String: Any])?["name"] as? String }
        #expect(names == ["stages", "slot 1", "slot 2"])
        let stages = slices(events, "stage")
        #expect(stages.map { $0["name"] as? String } == ["concurrent_task", "concurrent_task_result", "coroutine_gather"])
        #expect(stages.allSatisfy { $0["tid"] as? Int == TraceReport.stageTrack })
        #expect(stages.map { $0["ts"] as? Int } == [0, us(3504), us(7008)])
        #expect(stages.map { $0["dur"] as? Int } == [us(3504), us(3504), us(3504)])
        let tasks = slices(events, "task")
        #expect(tasks.map { $0["tid"] as? Int } == [1, 2, 1, 2, 1, 2])
        #expect(tasks.map { $0["dur"] as? Int } == [3001, 3503, 3001, 3503, 3001, 3503].map(us))
        let workflow = try #require(slices(events, "workflow").first)
        #expect(workflow["dur"] as? Int == us(10_512))
        #expect(events.allSatisfy { $0["pid"] as? Int == 1 })
    }

    @Test func retriesAreSeparateSlicesOnOneTrack() throws {
        let events = try events(ReportFixture.failingRun())
        let flaky = slices(events, "task").filter { ($0["name"] as? String)?.hasPrefix("build/flaky") == true }
        #expect(flaky.map { $0["name"] as? String } == ["build/flaky", "build/flaky (attempt 2)"])
        #expect(flaky.map { ($0["args"] as? [String: Any])?["state"] as? String } == ["failed", "succeeded"])
        #expect(flaky.map { $0["ts"] as? Int } == [0, us(500)])
        #expect(Set(flaky.compactMap { $0["tid"] as? Int }).count == 1)
        let delay = try #require(slices(events, "retry-delay").first)
        #expect(delay["ts"] as? Int == us(200) && delay["dur"] as? Int == us(300))
        #expect(delay["tid"] as? Int == flaky[0]["tid"] as? Int)
        // The skipped task has no slice; the skipped stage neither.
        #expect(!slices(events, "task").contains { ($0["name"] as? String)?.contains("upload") == true })
        #expect(slices(events, "stage").count == 2)
    }

    @Test func overlappingSlicesNeverShareATrack() throws {
        let events = try events(ReportFixture.failingRun())
        let byTrack = Dictionary(grouping: slices(events, "task") + slices(events, "retry-delay")) { $0["tid"] as? Int ?? -1 }
        for (_, slices) in byTrack {
            let sorted = slices.map { ($0["ts"] as! Int, $0["ts"] as! Int + ($0["dur"] as! Int)) }.sorted { $0.0 < $1.0 }
            for (a, b) in zip(sorted, sorted.dropFirst()) { #expect(a.1 <= b.0) }
        }
    }

    @Test func namesAreEscaped() throws {
        var run = ReportFixture.seedRun()
        run.workflowName = "a \"quoted\"\nname\u{1}"
        let events = try events(run)
        #expect(slices(events, "workflow").first?["name"] as? String == "a \"quoted\"\nname\u{1}")
    }

    /// The executor records each attempt's span, which is what the trace draws.
    @Test func executorRecordsAttemptSpans() async {
        let runner = FakeRunner()
        var thePlan = plan([stage(0, "s", [("flaky", "flaky 2"), ("steady", "30 0")])])
        thePlan.stages[0].tasks[0].retries = 2
        let result = await Executor(runner: LocalTaskRunner(processes: runner)).run(thePlan, sink: EventRecorder())
        let flaky = result.tasks[0]
        #expect(flaky.attemptSpans.map(\.attempt) == [1, 2, 3])
        #expect(flaky.attemptSpans.map(\.state) == [.failed(exitCode: 1), .failed(exitCode: 1), .succeeded])
        #expect(flaky.attemptSpans.first?.started == flaky.started)
        #expect(flaky.attemptSpans.last!.finished <= flaky.finished!)
        for (a, b) in zip(flaky.attemptSpans, flaky.attemptSpans.dropFirst()) { #expect(a.finished <= b.started) }
        #expect(result.tasks[1].attemptSpans.count == 1)
    }
}
