/// What the command line asks of a run, beyond the plan: where reports go,
/// how live output looks. Plain data; `RunRouting` decides from it.
///
/// A new run option adds a field here (and to the CLI's `RunOptions`); a new
/// report file adds a `ReportFileKind` case.
public struct RunSettings: Sendable, Equatable {
    /// Live task output: prefixed, grouped or quiet.
    public var output: OutputMode
    /// What goes to stdout at the end: the text report or one JSON document.
    public var format: RunFormat
    /// Report files to write when the run ends, in this order.
    public var reportFiles: [ReportFileRequest]
    /// Draw the timeline after the text report even when stdout is no terminal.
    public var timeline: Bool
    /// Never show the live status line.
    public var noProgress: Bool
    public var color: ColorChoice
    /// Timestamped event lines on stderr.
    public var verbose: Bool
    /// The state folder and how to use it; nil runs every task and keeps nothing.
    public var state: StateSettings?
    /// A CPU and peak-RSS column in the text report (`--resources`).
    public var resources: Bool
    /// GitHub Actions' conventions; nil outside it or with `--no-ci-annotations`.
    public var githubActions: GitHubActionsSetup?

    public init(
        output: OutputMode = .prefixed, format: RunFormat = .text, reportFiles: [ReportFileRequest] = [],
        timeline: Bool = false, noProgress: Bool = false, color: ColorChoice = .auto, verbose: Bool = false,
        resources: Bool = false, githubActions: GitHubActionsSetup? = nil, state: StateSettings? = nil
    ) {
        self.output = output
        self.format = format
        self.reportFiles = reportFiles
        self.timeline = timeline
        self.noProgress = noProgress
        self.color = color
        self.verbose = verbose
        self.state = state
        self.resources = resources
        self.githubActions = githubActions
    }
}

/// What a run under GitHub Actions (`GITHUB_ACTIONS=true`) is told by its environment.
public struct GitHubActionsSetup: Sendable, Equatable {
    /// `GITHUB_STEP_SUMMARY`: the file the Markdown summary is appended to.
    public var stepSummary: String?
    /// `GITHUB_WORKSPACE`: the repository's root, which annotations' paths are relative to.
    public var workspace: String?

    public init(stepSummary: String? = nil, workspace: String? = nil) {
        self.stepSummary = stepSummary
        self.workspace = workspace
    }

    /// The setup from the environment; nil unless `GITHUB_ACTIONS` is `true`.
    public init?(environment: [String: String]) {
        guard environment["GITHUB_ACTIONS"] == "true" else { return nil }
        self.init(stepSummary: environment["GITHUB_STEP_SUMMARY"].flatMap { $0.isEmpty ? nil : $0 },
                  workspace: environment["GITHUB_WORKSPACE"])
    }
}

/// The formats of `flowrun run --format`.
public enum RunFormat: String, Sendable, CaseIterable {
    case text
    case json
}

/// A report file to write at the end of a run.
public struct ReportFileRequest: Sendable, Equatable {
    public var kind: ReportFileKind
    public var path: String

    public init(_ kind: ReportFileKind, path: String) {
        self.kind = kind
        self.path = path
    }
}

/// The kinds of report file a run can write.
public enum ReportFileKind: String, Sendable, CaseIterable {
    /// `--report`: the JSON report.
    case json
    /// `--junit`: JUnit XML.
    case junit
    /// `--trace`: a Chrome trace.
    case trace
    /// `--html`: the self-contained HTML page.
    case html
    /// `--summary`: the Markdown summary (what GitHub's job summary gets).
    case summary
}
