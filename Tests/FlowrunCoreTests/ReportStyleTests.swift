import Testing
@testable import FlowrunCore

/// Color and terminal decisions, with pretend terminals.
@Suite("ReportStyle") struct ReportStyleTests {
    @Test(arguments: [
        // isTerminal, TERM, NO_COLOR, choice, colors
        (true, "xterm-256color", false, ColorChoice.auto, true),
        (false, "xterm-256color", false, .auto, false),
        (true, "xterm-256color", true, .auto, false),
        (true, "dumb", false, .auto, false),
        (true, nil, false, .auto, true),
        (false, "dumb", true, .always, true),
        (true, "xterm", false, .never, false),
    ] as [(Bool, String?, Bool, ColorChoice, Bool)])
    func colorDecision(isTerminal: Bool, term: String?, noColor: Bool, choice: ColorChoice, colors: Bool) {
        #expect(TerminalTraits(isTerminal: isTerminal, term: term, noColor: noColor).colors(choice) == colors)
    }

    @Test(arguments: [
        (true, "xterm", false, true),
        (true, "xterm", true, true),  // NO_COLOR only affects color
        (true, "dumb", false, false),
        (false, "xterm", false, false),
    ] as [(Bool, String?, Bool, Bool)])
    func redrawDecision(isTerminal: Bool, term: String?, noColor: Bool, redraws: Bool) {
        #expect(TerminalTraits(isTerminal: isTerminal, term: term, noColor: noColor).canRedraw == redraws)
    }

    @Test func widthDefaultsTo80() {
        #expect(TerminalTraits(isTerminal: false).width == 80)
        #expect(TerminalTraits(isTerminal: true, columns: 132).width == 132)
    }

    @Test func coloredReportPaintsStatesOnly() {
        let run = ReportFixture.failingRun()
        let plain = RunReport.render(run)
        let colored = RunReport.render(run, style: RunReport.Style(colored: true))
        #expect(!plain.contains("\u{1B}["))
        #expect(colored.contains(TerminalColor.green + "succeeded" + TerminalColor.reset))
        #expect(colored.contains(TerminalColor.red + "failed (exit 2)" + TerminalColor.reset))
        #expect(colored.contains(TerminalColor.yellow + "timed out" + TerminalColor.reset))
        #expect(colored.contains(TerminalColor.boldRed + "first failure:" + TerminalColor.reset))
        // Same text, same columns, once the escapes are gone (the stderr tail's own escapes stay).
        #expect(TimelineTests.stripped(colored) == TimelineTests.stripped(plain))
    }

    @Test func coloredDiagnostics() {
        let diagnostic = Diagnostic.error(.isDirectory, at: SourceLocation(file: "w.yaml", line: 1, column: 1))
        let colored = DiagnosticRenderer(colored: true).text(diagnostic, path: "w.yaml", source: nil)
        let plain = DiagnosticRenderer(colored: false).text(diagnostic, path: "w.yaml", source: nil)
        #expect(colored.contains("\u{1B}[1;31merror:"))
        #expect(!plain.contains("\u{1B}"))
    }
}
