import Synchronization
import Testing
@testable import FlowrunCore

/// The live status line, on a pretend terminal: the byte stream it writes,
/// and that it is out of the way whenever another line is written.
@Suite("ReportProgress") struct ReportProgressTests {
    /// A clock the test moves by hand.
    final class ManualClock: Sendable {
        let base = ContinuousClock.now
        private let offset = Mutex(Duration.zero)
        func advance(_ by: Duration) { offset.withLock { $0 += by } }
        var now: @Sendable () -> ContinuousClock.Instant { { [self] in base.advanced(by: offset.withLock { $0 }) } }
    }

    /// Terminal and stdout as one byte stream, as a user sees them when both are the same terminal.
    private func setUp(width: Int = 80, colored: Bool = false)
        -> (progress: ProgressLine, screen: StringSink, reporter: TextReporter, clock: ManualClock) {
        let thePlan = plan([stage(0, "build", [("a", ""), ("b", "")]), stage(1, "ship", [("c", "")])])
        let screen = StringSink()
        let clock = ManualClock()
        let progress = ProgressLine(plan: thePlan, terminal: screen, width: width, colored: colored, now: clock.now)
        let reporter = TextReporter(plan: thePlan, output: progress.guarding(screen), report: progress.guarding(screen))
        return (progress, screen, reporter, clock)
    }

    private let a = TaskID(stage: 0, task: 0)
    private let b = TaskID(stage: 0, task: 1)
    private let erase = "\r\u{1B}[K"

    @Test func byteStream() {
        let (progress, screen, reporter, clock) = setUp()
        let sink = FanOutEventSink([progress, reporter])
        sink.receive(.runStarted(workflowName: "w", runID: "r", startedAt: WallTime(seconds: 0, nanoseconds: 0)))
        #expect(screen.text.isEmpty, "nothing to show before a stage starts")
        sink.receive(.stageStarted(index: 0, name: "build", at: .zero))
        sink.receive(.taskStarted(a, attempt: 1, at: .zero))
        sink.receive(.taskStarted(b, attempt: 1, at: .zero))
        clock.advance(.milliseconds(1250))
        sink.receive(.output(a, .stdout, ["hello", "world"]))
        clock.advance(.milliseconds(100))
        progress.tick()
        progress.tick()  // unchanged: not redrawn
        sink.receive(.taskFinished(TaskResult(id: a, stageName: "build", name: "a", state: .failed(exitCode: 1), attempts: 1)))
        #expect(screen.text == ""
            + erase + "[1/2] build · 0 done · 0 running · 3 pending · 0.0s"
            + erase + "[1/2] build · 0 done · 1 running · 2 pending · 0.0s"
            + erase + "[1/2] build · 0 done · 2 running · 1 pending · 0.0s"
            + erase + "[build/a] hello\n[build/a] world\n"
            + erase + "[1/2] build · 0 done · 2 running · 1 pending · 1.2s"
            + erase + "[1/2] build · 0 done · 2 running · 1 pending · 1.3s"
            + erase + "[1/2] build · 1 done · 1 running · 1 pending · 1 failed · 1.3s")
    }

    /// Whatever is written, the status text never shares a line with it:
    /// every status is preceded by `\r` + erase-line and every other write
    /// starts on an erased line.
    @Test func statusNeverMixesIntoALine() {
        let (progress, screen, reporter, clock) = setUp()
        let sink = FanOutEventSink([progress, reporter])
        sink.receive(.runStarted(workflowName: "w", runID: "r", startedAt: WallTime(seconds: 0, nanoseconds: 0)))
        sink.receive(.stageStarted(index: 0, name: "build", at: .zero))
        for round in 0..<20 {
            sink.receive(.taskStarted(a, attempt: 1, at: .zero))
            sink.receive(.output(round % 2 == 0 ? a : b, .stdout, ["line \(round)"]))
            clock.advance(.milliseconds(70))
            progress.tick()
        }
        let run = ReportFixture.failingRun()
        sink.receive(.runFinished(run))
        // What a terminal shows: apply \r + erase-line by dropping the line's text so far.
        var lines: [String] = []
        var current = ""
        var rest = Substring(screen.text)
        while !rest.isEmpty {
            if rest.hasPrefix(erase) {
                current = ""
                rest = rest.dropFirst(erase.count)
            } else if rest.first == "\n" {
                lines.append(current)
                current = ""
                rest = rest.dropFirst()
            } else {
                current.append(rest.removeFirst())
            }
        }
        #expect(current.isEmpty, "the status line is erased at the end: \(current)")
        #expect(!lines.contains { $0.contains(" pending ") })
        #expect(lines.filter { $0.hasPrefix("[build/") }.count == 20)
        #expect(screen.text.hasSuffix(RunReport.render(run)))
    }

    @Test(arguments: [
        (80, "[1/2] a-rather-long-stage-name · 0 done · 0 running · 3 pending · 0.0s"),
        (60, "[1/2] a-rather-lon… · 0 done · 0 running · 3 pending · 0.0s"),
        (30, "[1/2] a-rather-lo… 0/3 · 0.0s"),
        (24, "[1/2] a-rat… 0/3 · 0.0s"),
    ])
    func narrowTerminals(width: Int, expected: String) {
        let (progress, screen, _, _) = setUp(width: width)
        progress.receive(.runStarted(workflowName: "w", runID: "r", startedAt: WallTime(seconds: 0, nanoseconds: 0)))
        progress.receive(.stageStarted(index: 0, name: "a-rather-long-stage-name", at: .zero))
        let status = String(screen.text.dropFirst(erase.count))
        #expect(status == expected)
        #expect(status.count < width)
    }

    @Test func coloredFailureCount() {
        let (progress, screen, _, _) = setUp(colored: true)
        progress.receive(.runStarted(workflowName: "w", runID: "r", startedAt: WallTime(seconds: 0, nanoseconds: 0)))
        progress.receive(.stageStarted(index: 0, name: "build", at: .zero))
        progress.receive(.taskStarted(a, attempt: 1, at: .zero))
        progress.receive(.taskFinished(TaskResult(id: a, stageName: "build", name: "a", state: .timedOut, attempts: 1)))
        #expect(screen.text.hasSuffix("[1/2] \u{1B}[1mbuild\u{1B}[0m · 1 done · 0 running · 2 pending\u{1B}[31m · 1 failed\u{1B}[0m · 0.0s"))
    }

    @Test func elapsedFormat() {
        #expect(ProgressLine.elapsed(.milliseconds(4_290)) == "4.2s")
        #expect(ProgressLine.elapsed(.milliseconds(62_540)) == "1m02.5s")
    }
}
