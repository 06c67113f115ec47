import Foundation
import Testing
@testable import FlowrunCore

@Suite("Timeline") struct TimelineTests {
    /// Golden: the seed's three pairs of overlapping bars on an 80-column terminal.
    @Test func seedAt80Columns() {
        let text = Timeline.render(ReportFixture.seedRun(), width: 80)
        Self.record(text, "seed80")
        #expect(text == Self.seed80)
    }

    /// Golden: failure, retry delay, timeout, cancellation and a skipped stage.
    @Test func failingAt64Columns() {
        let text = Timeline.render(ReportFixture.failingRun(), width: 64)
        Self.record(text, "failing64")
        #expect(text == Self.failing64)
    }

    @Test(arguments: [30, 40, 64, 80, 132, 200])
    func linesFitTheWidth(width: Int) {
        for run in [ReportFixture.seedRun(), ReportFixture.failingRun()] {
            for line in Timeline.render(run, width: width).split(separator: "\n") {
                #expect(line.count <= max(width, 40), "\(line.count) > \(width): \(line)")
            }
        }
    }

    @Test func colorsFollowStates() {
        let text = Timeline.render(ReportFixture.failingRun(), width: 80, colored: true)
        #expect(text.contains(TerminalColor.green + "█"))
        #expect(text.contains(TerminalColor.red + "▓"))
        #expect(text.contains(TerminalColor.yellow + "▓"))
        let plain = Timeline.render(ReportFixture.failingRun(), width: 80)
        #expect(!plain.contains("\u{1B}"))
        #expect(Self.stripped(text) == plain)
    }

    @Test func nothingRan() {
        var run = ReportFixture.failingRun()
        run.tasks = run.tasks.map { var t = $0; t.started = nil; t.finished = nil; t.state = .skipped; return t }
        #expect(Timeline.render(run, width: 80) == "timeline: no task ran\n")
    }

    /// The report ends with the timeline only when asked.
    @Test func reportAppendsTimeline() {
        let run = ReportFixture.seedRun()
        let plain = RunReport.render(run)
        #expect(!plain.contains("timeline"))
        let withTimeline = RunReport.render(run, style: RunReport.Style(timelineWidth: 80))
        #expect(withTimeline == plain + "\n" + Self.seed80)
    }

    static func stripped(_ text: String) -> String {
        text.replacing(/\u{1B}\[[0-9;]*m/, with: "")
    }

    /// Writes what was rendered next to the build, to compare or adopt by hand.
    static func record(_ text: String, _ name: String) {
        try? text.write(toFile: NSTemporaryDirectory() + "flowrun-timeline-\(name).txt", atomically: true, encoding: .utf8)
    }

    static let seed80 = """
        timeline               0s        2s       4s        6s        8s       10s
        concurrent_task        ├───────────────┤│                │                 3.50s
          1                    ███████████████  │                │                 3.00s
          2                    █████████████████│                │                 3.50s
        concurrent_task_result │                ├───────────────┤│                 3.50s
          3                    │                ███████████████  │                 3.00s
          4                    │                █████████████████│                 3.50s
        coroutine_gather       │                │                ├───────────────┤ 3.50s
          5                    │                │                ███████████████   3.00s
          6                    │                │                █████████████████ 3.50s
        █ succeeded  │ stage start

        """
    static let failing64 = """
        timeline  0s       500ms     1s       1.5s    2s
        build     ├──────────────────────────┤│                    1.50s
          compile ███████████████████████     │                    1.20s
          lint    ▓▓▓▓▓▓                      │             300ms failed
          flaky   ▓▓▓▓·····████████           │                    900ms
        test      │                           ├────────┤           515ms
          unit    │                           ▓▓▓▓▓▓▓▓▓▓ 500ms timed-out
          e2e     │                           ░░░░░░░░░░ 510ms cancelled
        ship      │                           │                  skipped
        █ succeeded  ▓ failed  · retry delay  ░ cancelled  │ stage start

        """
}
