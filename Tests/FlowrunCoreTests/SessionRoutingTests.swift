import Testing
@testable import FlowrunCore

/// Where each output of `flowrun run` goes, for the combinations of
/// `--format`, `-v`, `--no-progress`, `--timeline`, `--color` and what
/// stdout and stderr are.
@Suite("Run routing")
struct SessionRoutingTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var settings: RunSettings
        var stdout: TerminalTraits
        var stderr: TerminalTraits
        var expected: RunRouting
        var testDescription: String { name }
    }

    static let pipe = TerminalTraits(isTerminal: false)
    static let tty = TerminalTraits(isTerminal: true, term: "xterm", columns: 100)
    static let dumb = TerminalTraits(isTerminal: true, term: "dumb", columns: 90)
    static let noColorTTY = TerminalTraits(isTerminal: true, term: "xterm", noColor: true, columns: 70)

    static let cases: [Case] = [
        Case(name: "text into pipes: report on stdout, nothing drawn",
             settings: RunSettings(), stdout: pipe, stderr: pipe,
             expected: RunRouting(liveOutput: .stdout, textReport: .stdout, jsonDocument: nil, verboseLog: nil,
                                  progressWidth: nil, progressColored: false, reportColored: false,
                                  timelineWidth: nil, keepsTaskOutput: false)),
        Case(name: "text on a terminal: status line, colors, timeline at the width",
             settings: RunSettings(), stdout: tty, stderr: tty,
             expected: RunRouting(liveOutput: .stdout, textReport: .stdout, jsonDocument: nil, verboseLog: nil,
                                  progressWidth: 100, progressColored: true, reportColored: true,
                                  timelineWidth: 100, keepsTaskOutput: false)),
        Case(name: "json: one document on stdout, live output and -v on stderr",
             settings: RunSettings(format: .json, verbose: true), stdout: pipe, stderr: tty,
             expected: RunRouting(liveOutput: .stderr, textReport: nil, jsonDocument: .stdout, verboseLog: .stderr,
                                  progressWidth: 100, progressColored: true, reportColored: false,
                                  timelineWidth: nil, keepsTaskOutput: false)),
        Case(name: "--no-progress on a terminal",
             settings: RunSettings(noProgress: true), stdout: tty, stderr: tty,
             expected: RunRouting(liveOutput: .stdout, textReport: .stdout, jsonDocument: nil, verboseLog: nil,
                                  progressWidth: nil, progressColored: true, reportColored: true,
                                  timelineWidth: 100, keepsTaskOutput: false)),
        Case(name: "TERM=dumb cannot redraw and gets no color",
             settings: RunSettings(), stdout: dumb, stderr: dumb,
             expected: RunRouting(liveOutput: .stdout, textReport: .stdout, jsonDocument: nil, verboseLog: nil,
                                  progressWidth: nil, progressColored: false, reportColored: false,
                                  timelineWidth: 90, keepsTaskOutput: false)),
        Case(name: "NO_COLOR keeps the status line, drops colors",
             settings: RunSettings(), stdout: noColorTTY, stderr: noColorTTY,
             expected: RunRouting(liveOutput: .stdout, textReport: .stdout, jsonDocument: nil, verboseLog: nil,
                                  progressWidth: 70, progressColored: false, reportColored: false,
                                  timelineWidth: 70, keepsTaskOutput: false)),
        Case(name: "--timeline --color always into a pipe: default width",
             settings: RunSettings(timeline: true, color: .always), stdout: pipe, stderr: pipe,
             expected: RunRouting(liveOutput: .stdout, textReport: .stdout, jsonDocument: nil, verboseLog: nil,
                                  progressWidth: nil, progressColored: true, reportColored: true,
                                  timelineWidth: TerminalTraits.defaultWidth, keepsTaskOutput: false)),
        Case(name: "--color never on a terminal",
             settings: RunSettings(color: .never), stdout: tty, stderr: tty,
             expected: RunRouting(liveOutput: .stdout, textReport: .stdout, jsonDocument: nil, verboseLog: nil,
                                  progressWidth: 100, progressColored: false, reportColored: false,
                                  timelineWidth: 100, keepsTaskOutput: false)),
        Case(name: "--junit keeps task output; --report and --trace do not",
             settings: RunSettings(reportFiles: [ReportFileRequest(.junit, path: "j.xml")]), stdout: pipe, stderr: pipe,
             expected: RunRouting(liveOutput: .stdout, textReport: .stdout, jsonDocument: nil, verboseLog: nil,
                                  progressWidth: nil, progressColored: false, reportColored: false,
                                  timelineWidth: nil, keepsTaskOutput: true)),
        Case(name: "--report and --trace",
             settings: RunSettings(reportFiles: [ReportFileRequest(.json, path: "r.json"), ReportFileRequest(.trace, path: "t.json")]),
             stdout: pipe, stderr: pipe,
             expected: RunRouting(liveOutput: .stdout, textReport: .stdout, jsonDocument: nil, verboseLog: nil,
                                  progressWidth: nil, progressColored: false, reportColored: false,
                                  timelineWidth: nil, keepsTaskOutput: false)),
    ]

    @Test(arguments: cases)
    func routing(_ c: Case) {
        #expect(RunRouting(settings: c.settings, stdout: c.stdout, stderr: c.stderr) == c.expected)
    }

    @Test(arguments: [("5s", 5000), ("500ms", 500), ("0", 0), ("1.5", 1500), ("1m", 60_000)])
    func durationArgumentsParse(text: String, milliseconds: Int64) {
        #expect(DurationArgument.parse(text) == .milliseconds(milliseconds))
    }

    @Test(arguments: ["", "-1", "5 s", "x", "86401"])
    func badDurationArgumentsAreRefused(text: String) {
        #expect(DurationArgument.parse(text) == nil)
    }

    @Test func theDefaultGraceIsWrittenAsItsArgument() {
        #expect(DurationArgument.text(Plan.defaultKillGrace) == "5s")
        #expect(DurationArgument.text(.milliseconds(1500)) == "1500ms")
        #expect(DurationArgument.parse(DurationArgument.text(.milliseconds(250))) == .milliseconds(250))
    }
}
