import ArgumentParser
import FlowrunCore

extension OutputMode: ExpressibleByArgument {}
extension ColorChoice: ExpressibleByArgument {}
extension RunFormat: ExpressibleByArgument {}

/// The flags of `flowrun run`, in the order `--help` shows them. A new flag
/// goes here and, when it changes how the run goes, into `settings` (`RunSettings`).
struct RunOptions: ParsableArguments {
    @OptionGroup var planning: PlanningOptions

    @Flag(help: "Print the plan (as `plan` does, in the --format given) and run nothing.")
    var dryRun = false

    @Option(help: "Live task output: prefixed ([stage/task] line), grouped (one block per task) or quiet.")
    var output: OutputMode = .prefixed

    @Option(help: "Report format on stdout: text, or json (exactly one JSON document; live output goes to stderr).")
    var format: RunFormat = .text

    @Option(help: ArgumentHelp("Also write the JSON report to FILE.", valueName: "file"))
    var report: String?

    @Option(help: ArgumentHelp("Also write a JUnit XML report to FILE: a testsuite per stage, a testcase per task.", valueName: "file"))
    var junit: String?

    @Option(help: ArgumentHelp("Also write a Chrome trace (Perfetto, chrome://tracing) to FILE.", valueName: "file"))
    var trace: String?

    @Option(help: ArgumentHelp("Also write a self-contained HTML report (timeline, tables, output) to FILE.", valueName: "file"))
    var html: String?

    @Option(help: ArgumentHelp("Also write a Markdown summary (what GitHub's job summary shows) to FILE.", valueName: "file"))
    var summary: String?

    @Flag(help: "Show each task's CPU time and peak memory in the text report.")
    var resources = false

    @Flag(help: "Under GitHub Actions, do not group output, annotate failures, mask secrets with ::add-mask:: or append a job summary.")
    var noCiAnnotations = false

    @Flag(help: "Draw a timeline of the tasks after the text report (the default when stdout is a terminal).")
    var timeline = false

    @Flag(help: "Do not show the live status line (shown only when stderr is a terminal).")
    var noProgress = false

    @Option(help: "Color states, diagnostics and progress: auto (on a terminal, unless NO_COLOR or TERM=dumb), always or never.")
    var color: ColorChoice = .auto

    @Option(help: ArgumentHelp("Time between SIGTERM and SIGKILL when a task is ended (e.g. 5s, 500ms).", valueName: "duration"))
    var killGrace: String = DurationArgument.text(Plan.defaultKillGrace)

    @Flag(name: .shortAndLong, help: "Log timestamped events on stderr.")
    var verbose = false

    @OptionGroup var input: InputOptions

    func validate() throws {
        guard DurationArgument.parse(killGrace) != nil else {
            throw ValidationError("--kill-grace: invalid duration '\(killGrace)' (use e.g. 5s, 500ms, 0)")
        }
    }

    /// `--kill-grace` as a duration (checked by `validate`).
    var grace: Duration { DurationArgument.parse(killGrace) ?? Plan.defaultKillGrace }

    /// What the flags ask of the run.
    var settings: RunSettings {
        let files: [(ReportFileKind, String?)] = [
            (.json, report), (.junit, junit), (.trace, trace), (.html, html), (.summary, summary),
        ]
        return RunSettings(
            output: output, format: format,
            reportFiles: files.compactMap { kind, path in path.map { ReportFileRequest(kind, path: $0) } },
            timeline: timeline, noProgress: noProgress, color: color, verbose: verbose, resources: resources,
            githubActions: noCiAnnotations ? nil : GitHubActionsSetup(environment: Console.environment()))
    }
}
