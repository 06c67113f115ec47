import Foundation
import Testing
@testable import FlowrunCore

@Suite("JUnit") struct JUnitReportTests {
    @Test(arguments: [
        ("plain", "plain", "plain"),
        ("a<b>&c", "a&lt;b&gt;&amp;c", "a&lt;b&gt;&amp;c"),
        ("say \"hi\"", "say \"hi\"", "say &quot;hi&quot;"),
        ("line\nnext\ttab", "line\nnext\ttab", "line&#10;next&#9;tab"),
        ("cr\r", "cr&#13;", "cr&#13;"),
        ("nul\u{0}bel\u{7}esc\u{1B}[0m", "nul\u{FFFD}bel\u{FFFD}esc\u{FFFD}[0m", "nul\u{FFFD}bel\u{FFFD}esc\u{FFFD}[0m"),
        ("\u{FFFE}\u{FFFF}é😀", "\u{FFFD}\u{FFFD}é😀", "\u{FFFD}\u{FFFD}é😀"),
    ])
    func escaping(input: String, content: String, attribute: String) {
        #expect(XMLText.content(input) == content)
        #expect(XMLText.attribute(input) == attribute)
    }

    private func outputs() -> TaskOutputLog {
        let log = TaskOutputLog()
        let compile = TaskID(stage: 0, task: 0)
        let lint = TaskID(stage: 0, task: 1)
        log.receive(.output(compile, .stdout, ["compiling", "token ***"]))
        log.receive(.output(lint, .stderr, ["bad\u{1}style <here> & \"there\"", "\u{1B}[31mred\u{1B}[0m", "]]> done"]))
        log.receive(.output(TaskID(stage: 0, task: 2), .stdout, ["try 1"]))
        log.receive(.taskStarted(TaskID(stage: 0, task: 2), attempt: 2, at: .milliseconds(500)))
        log.receive(.output(TaskID(stage: 0, task: 2), .stdout, ["try 2"]))
        return log
    }

    @Test func document() {
        let xml = JUnitReport.render(ReportFixture.failingRun(), outputs: outputs(), mask: SecretMask(["style"]))
        #expect(xml == """
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuites name="release" tests="6" failures="2" errors="0" skipped="2" time="2.020">
              <testsuite name="build" tests="3" failures="1" errors="0" skipped="0" time="1.500" timestamp="2026-09-21T14:13:20.250Z">
                <testcase classname="release.build" name="compile" time="1.200">
                  <system-out>compiling
            token ***
            </system-out>
                </testcase>
                <testcase classname="release.build" name="lint" time="0.300">
                  <failure message="exit status 2 (continue-on-error)" type="failed">bad\u{FFFD}*** &lt;here&gt; &amp; "there"
            \u{FFFD}[31mred\u{FFFD}[0m
            </failure>
                  <system-err>bad\u{FFFD}*** &lt;here&gt; &amp; "there"
            \u{FFFD}[31mred\u{FFFD}[0m
            ]]&gt; done
            </system-err>
                </testcase>
                <testcase classname="release.build" name="flaky" time="0.900">
                  <system-out>try 1
            --- attempt 2 ---
            try 2
            </system-out>
                </testcase>
              </testsuite>
              <testsuite name="test" tests="2" failures="1" errors="0" skipped="1" time="0.515" timestamp="2026-09-21T14:13:21.750Z">
                <testcase classname="release.test" name="unit" time="0.500">
                  <failure message="timed out" type="timed-out">still running
            </failure>
                </testcase>
                <testcase classname="release.test" name="e2e" time="0.510">
                  <skipped message="cancelled: stopped by fail-fast or an interrupt"/>
                </testcase>
              </testsuite>
              <testsuite name="ship" tests="1" failures="0" errors="0" skipped="1" time="0.000">
                <testcase classname="release.ship" name="upload" time="0.000">
                  <skipped message="skipped: not started because the run stopped earlier"/>
                </testcase>
              </testsuite>
            </testsuites>

            """)
    }

    @Test(arguments: [
        (TaskState.failed(exitCode: 3), 1, "exit status 3"),
        (.failed(exitCode: 3), 3, "exit status 3 after 3 attempts"),
        (.killed(signal: 9), 1, "killed by signal 9 (SIGKILL)"),
        (.timedOut, 1, "timed out"),
    ])
    func failureMessages(state: TaskState, attempts: Int, message: String) {
        var run = ReportFixture.failingRun()
        run.tasks[0].state = state
        run.tasks[0].attempts = attempts
        #expect(JUnitReport.render(run).contains("<failure message=\"\(message)\""))
    }

    @Test func failedToStartIsAnError() {
        var run = ReportFixture.failingRun()
        run.tasks[0].state = .failedToStart(reason: "no such directory")
        let xml = JUnitReport.render(run)
        #expect(xml.contains("<error message=\"failed to start: no such directory\" type=\"failed-to-start\"/>"))
        #expect(xml.contains("tests=\"3\" failures=\"1\" errors=\"1\""))
    }

    /// Python's XML parser (an independent reader) accepts the document and
    /// reads back the counts, the failure and the control characters' stand-ins.
    @Test(.enabled(if: ExternalTool.find("python3") != nil, "python3 is not installed"))
    func pythonReadsIt() throws {
        let xml = JUnitReport.render(ReportFixture.failingRun(), outputs: outputs())
        let script = """
            import sys, xml.etree.ElementTree as ET
            root = ET.parse(sys.argv[1]).getroot()
            cases = root.findall('./testsuite/testcase')
            print(root.tag, root.get('tests'), root.get('failures'), root.get('skipped'))
            print(len(root.findall('testsuite')), len(cases))
            lint = [c for c in cases if c.get('name') == 'lint'][0]
            print(ascii(lint.find('system-err').text.splitlines()[0]))
            """
        let output = try #require(try ReportFixture.python(script, on: xml))
        #expect(output.stderr == "")
        #expect(output.stdout == "testsuites 6 2 2\n3 6\n'bad\\ufffdstyle <here> & \"there\"'\n")
    }

    @Test func outputIsBoundedToItsTail() {
        let log = TaskOutputLog(limit: 20)
        let id = TaskID(stage: 0, task: 0)
        log.receive(.output(id, .stdout, ["0123456789", "abcdefghij", "klmno"]))
        let captured = log.captured(id, .stdout)
        #expect(captured.lines == ["abcdefghij", "klmno"])
        #expect(captured.droppedBytes == 11)
        #expect(captured.text == "[… 11 earlier bytes omitted …]\nabcdefghij\nklmno\n")
        log.receive(.output(id, .stderr, [String(repeating: "x", count: 50) + "END"]))
        #expect(log.captured(id, .stderr).lines == [String(repeating: "x", count: 16) + "END"])
        #expect(log.captured(TaskID(stage: 9, task: 9), .stdout) == TaskOutputLog.Captured())
    }

    @Test func manyLinesStayWithinTheLimit() {
        let log = TaskOutputLog(limit: 64 * 1024)
        let id = TaskID(stage: 0, task: 0)
        for batch in 0..<200 {
            log.receive(.output(id, .stdout, OutputLines((0..<100).map { "line \(batch) \($0) " + String(repeating: "-", count: 40) })))
        }
        let captured = log.captured(id, .stdout)
        let kept = captured.lines.reduce(0) { $0 + $1.utf8.count + 1 }
        #expect(kept <= 64 * 1024 && kept > 60 * 1024)
        #expect(captured.lines.last == "line 199 99 " + String(repeating: "-", count: 40))
    }
}
