/// Where each output of a run goes, decided from the settings and from what
/// stdout and stderr are. Pure, so that every combination is a table test.
public struct RunRouting: Sendable, Equatable {
    /// One of the process's two output streams.
    public enum Stream: Sendable, Equatable {
        case stdout
        case stderr
    }

    /// Where tasks' live lines go.
    public var liveOutput: Stream
    /// Where the text report goes at the end; nil for none.
    public var textReport: Stream?
    /// Where the JSON report document goes at the end; nil for none.
    public var jsonDocument: Stream?
    /// Where `-v` event lines go; nil for none.
    public var verboseLog: Stream?
    /// Width of the live status line on stderr; nil when none is drawn.
    public var progressWidth: Int?
    public var progressColored: Bool
    /// Colors in the text report on stdout.
    public var reportColored: Bool
    /// Width of the timeline after the text report; nil for none.
    public var timelineWidth: Int?
    /// Whether tasks' output is kept for a report file (JUnit and HTML carry it).
    public var keepsTaskOutput: Bool

    public init(
        liveOutput: Stream, textReport: Stream?, jsonDocument: Stream?, verboseLog: Stream?,
        progressWidth: Int?, progressColored: Bool, reportColored: Bool, timelineWidth: Int?, keepsTaskOutput: Bool
    ) {
        self.liveOutput = liveOutput
        self.textReport = textReport
        self.jsonDocument = jsonDocument
        self.verboseLog = verboseLog
        self.progressWidth = progressWidth
        self.progressColored = progressColored
        self.reportColored = reportColored
        self.timelineWidth = timelineWidth
        self.keepsTaskOutput = keepsTaskOutput
    }

    /// The routing for `settings` with these streams.
    ///
    /// With `--format json` stdout carries exactly one JSON document, so live
    /// output moves to stderr. The status line needs a terminal that can redraw
    /// (stderr). The timeline is drawn on a terminal stdout, or when asked.
    public init(settings: RunSettings, stdout: TerminalTraits, stderr: TerminalTraits) {
        let json = settings.format == .json
        self.init(
            liveOutput: json ? .stderr : .stdout,
            textReport: json ? nil : .stdout,
            jsonDocument: json ? .stdout : nil,
            verboseLog: settings.verbose ? .stderr : nil,
            progressWidth: !settings.noProgress && stderr.canRedraw ? stderr.width : nil,
            progressColored: stderr.colors(settings.color),
            reportColored: stdout.colors(settings.color),
            timelineWidth: settings.timeline || stdout.isTerminal ? stdout.width : nil,
            keepsTaskOutput: settings.reportFiles.contains { $0.kind == .junit || $0.kind == .html })
    }
}
