import ArgumentParser
import FlowrunCore
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension OutputMode: ExpressibleByArgument {}
extension ColorChoice: ExpressibleByArgument {}

/// The output formats of `flowrun run --format`.
enum RunFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}

/// `flowrun run WORKFLOW` (also plain `flowrun WORKFLOW`): run a workflow.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a workflow: stages one after another, the tasks of a stage concurrently.")

    @Argument(help: ArgumentHelp("The workflow file; - reads standard input.", valueName: "workflow"),
              completion: .file(extensions: ["yaml", "yml", "json"]))
    var workflow: String

    @OptionGroup var planning: PlanningOptions

    @Flag(help: "Print the plan and run nothing.")
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

    @Flag(help: "Draw a timeline of the tasks after the text report (the default when stdout is a terminal).")
    var timeline = false

    @Flag(help: "Do not show the live status line (shown only when stderr is a terminal).")
    var noProgress = false

    @Option(help: "Color states, diagnostics and progress: auto (on a terminal, unless NO_COLOR or TERM=dumb), always or never.")
    var color: ColorChoice = .auto

    @Option(help: ArgumentHelp("Time between SIGTERM and SIGKILL when a task is ended (e.g. 5s, 500ms).", valueName: "duration"))
    var killGrace: String = "5s"

    @Flag(name: .shortAndLong, help: "Log timestamped events on stderr.")
    var verbose = false

    @OptionGroup var input: InputOptions

    func validate() throws {
        guard DurationArgument.parse(killGrace) != nil else {
            throw ValidationError("--kill-grace: invalid duration '\(killGrace)' (use e.g. 5s, 500ms, 0)")
        }
    }

    func run() async throws {
        Console.colorChoice = color
        let (_, loaded) = WorkflowInput.load(workflow, format: input.formatIn)
        guard let loaded else { throw ExitCode(ExitStatus.invalidWorkflow.rawValue) }
        let grace = DurationArgument.parse(killGrace) ?? .seconds(5)
        let plan = try WorkflowInput.plan(loaded, path: workflow, options: planning, killGrace: grace)
        if dryRun {
            Console.out(PlanRenderer().render(plan, as: .text))
            return
        }
        _ = ProcessHygiene.raiseOpenFileLimit()
        ProcessHygiene.resetInheritedSignalDispositions()

        let stdout = FileDescriptorSink.standardOutput
        let stderr = FileDescriptorSink.standardError
        let control = RunControl()
        // A closed stdout (e.g. `| head -1`) ends the run like an interrupt, quietly.
        let watchedOut = BrokenPipeWatcher(stdout) { control.cancel() }
        let outTraits = Console.traits(1)
        let errTraits = Console.traits(2)
        let progress = !noProgress && errTraits.canRedraw
            ? ProgressLine(plan: plan, terminal: stderr, width: errTraits.width, colored: errTraits.colors(color)) : nil
        // Everything that may reach the terminal passes the status line.
        let guarded = { (sink: any TextSink) -> any TextSink in progress?.guarding(sink) ?? sink }
        let reporter = TextReporter(
            plan: plan, mode: output,
            output: guarded(format == .json ? stderr : watchedOut),
            report: format == .text ? guarded(watchedOut) : nil,
            verbose: verbose ? guarded(stderr) : nil,
            style: RunReport.Style(
                colored: outTraits.colors(color),
                timelineWidth: timeline || outTraits.isTerminal ? outTraits.width : nil))
        let outputLog = junit == nil ? nil : TaskOutputLog()
        // The status line goes first so it is erased before the report is written.
        let sinks: [(any RunEventSink)?] = [progress, outputLog, reporter]
        let sink = FanOutEventSink(sinks.compactMap { $0 })
        let ticker = progress.map { progress in
            Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(100))
                    progress.tick()
                }
            }
        }
        // Installed before the run starts, so no signal can fall between the two.
        let trap = InterruptTrap { _ in control.cancel() }
        // Linux: orphans of tasks (setsid, double fork) are re-parented to flowrun, not init,
        // so they are ended at their task's end, and whatever is left at the run's end.
        let subreaper = ChildSubreaper.enable()
        let executor = Executor(runner: LocalTaskRunner())
        let result = await control.run { await executor.run(plan, sink: sink) }
        ticker?.cancel()
        await subreaper?.endAll()
        let status = trap.exitStatus ?? result.exitStatus
        if format == .json {
            stdout.write(JSONReport.render(plan: plan, run: result, exitStatus: status))
        }
        if let report {
            if let problem = ReportFile.write(JSONReport.render(plan: plan, run: result, exitStatus: status), to: report) {
                Console.err("flowrun: cannot write report \(report): \(problem)\n")
            }
        }
        let mask = SecretMask(plan.secretValues)
        for (path, kind, text) in [
            (junit, "JUnit report", { JUnitReport.render(result, outputs: outputLog, mask: mask) }),
            (trace, "trace", { TraceReport.render(result, mask: mask) }),
        ] {
            guard let path else { continue }
            if let problem = ReportFile.write(text(), to: path) {
                Console.err("flowrun: cannot write \(kind) \(path): \(problem)\n")
            }
        }
        withExtendedLifetime(trap) {}
        if status != .success { throw ExitCode(status.rawValue) }
    }
}

/// Holds the run's task so that a signal, or a closed stdout, can cancel it
/// even when it arrives before the task exists.
final class RunControl: Sendable {
    private struct State {
        var task: Task<RunResult, Never>?
        var cancelled = false
    }

    private let state = Mutex(State())

    func run(_ body: @escaping @Sendable () async -> RunResult) async -> RunResult {
        let task = Task { await body() }
        let cancelNow = state.withLock { state -> Bool in
            state.task = task
            return state.cancelled
        }
        if cancelNow { task.cancel() }
        return await task.value
    }

    func cancel() {
        let task = state.withLock { state -> Task<RunResult, Never>? in
            state.cancelled = true
            return state.task
        }
        task?.cancel()
    }
}

/// Forwards writes and calls `onBroken` once when the sink's reader has gone.
final class BrokenPipeWatcher: TextSink {
    private let sink: FileDescriptorSink
    private let onBroken: @Sendable () -> Void
    private let fired = Mutex(false)

    init(_ sink: FileDescriptorSink, onBroken: @escaping @Sendable () -> Void) {
        self.sink = sink
        self.onBroken = onBroken
    }

    func write(_ text: String) {
        sink.write(text)
        checkBroken()
    }

    func write(bytes: [UInt8]) {
        sink.write(bytes: bytes)
        checkBroken()
    }

    private func checkBroken() {
        guard sink.isBroken else { return }
        let first = fired.withLock { fired -> Bool in
            defer { fired = true }
            return !fired
        }
        if first { onBroken() }
    }
}

/// Writes a report file whole or not at all: to a temporary file beside it, then renamed.
enum ReportFile {
    /// Returns a description of the problem, or nil on success.
    static func write(_ text: String, to path: String) -> String? {
        let temporary = path + ".flowrun-tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return String(cString: strerror(errno)) }
        FileDescriptorSink(fd: fd).write(text)
        let ok = fsync(fd) == 0
        close(fd)
        guard ok, rename(temporary, path) == 0 else {
            let problem = String(cString: strerror(errno))
            unlink(temporary)
            return problem
        }
        return nil
    }
}

/// Durations given on the command line: `5s`, `500ms`, `1m`, or a number of seconds.
enum DurationArgument {
    static func parse(_ text: String) -> Duration? {
        if let seconds = Double(text), seconds >= 0, seconds <= 86_400 { return .milliseconds(Int64(seconds * 1000)) }
        return DurationParser.duration(text)
    }
}
