/// GitHub Actions' conventions during a run (`GITHUB_ACTIONS=true`, unless
/// `--no-ci-annotations`): every secret registered with `::add-mask::` when
/// the run starts, before any task output, and an annotation per failed or
/// timed-out task (`::error`; `::warning` under continue-on-error) pointing
/// at the task's line in the workflow file when there is one.
///
/// Writes to the live output stream, after the task's own block (the
/// `TextReporter` goes first), so the annotation is not hidden in a group.
public final class GitHubAnnotator: RunEventSink {
    private let plan: Plan
    private let output: any TextSink
    private let workspace: String?
    private let locations: [TaskID: SourceLocation]

    /// - Parameters:
    ///   - output: the live output stream (stdout, or stderr with `--format json`; the runner reads both).
    ///   - workspace: `GITHUB_WORKSPACE`; an absolute workflow path under it is made relative,
    ///     as annotations name files from the repository's root.
    public init(plan: Plan, output: any TextSink, workspace: String? = nil) {
        self.plan = plan
        self.output = output
        self.workspace = workspace
        var locations: [TaskID: SourceLocation] = [:]
        for stage in plan.stages {
            for task in stage.tasks { locations[task.id] = task.location }
        }
        self.locations = locations
    }

    public func receive(_ event: RunEvent) {
        switch event {
        case .runStarted:
            let masks = plan.secretValues.map(GitHubCommands.addMask).joined()
            if !masks.isEmpty { output.write(masks) }
        case .taskFinished(let task) where task.state.isFailure:
            output.write(annotation(task))
        default:
            break
        }
    }

    /// The annotation for a failed task: its first stderr line after its state.
    func annotation(_ task: TaskResult) -> String {
        let mask = SecretMask(plan.secretValues)
        var message = RunReport.describe(task.state)
        if let line = task.stderrTail.first(where: { !$0.allSatisfy(\.isWhitespace) }) {
            message += ": " + DisplayText.escaped(line, limit: 500)
        }
        // The file the task is declared in: an included file's own path.
        let location = locations[task.id]
        let file = location.flatMap { Self.annotationPath($0.file, workspace: workspace) }
        return GitHubCommands.annotation(
            task.countsAsSuccess ? .warning : .error, title: mask.apply("\(task.qualifiedName) failed"),
            message: mask.apply(message), file: file, line: file == nil ? nil : location?.line)
    }

    /// A workflow file's path as annotations name it; nil for standard input.
    static func annotationPath(_ path: String, workspace: String?) -> String? {
        guard path != "-", path != "<stdin>", !path.isEmpty else { return nil }
        var path = path
        if path.hasPrefix("./") { path.removeFirst(2) }
        if let workspace, !workspace.isEmpty, path.hasPrefix("/") {
            let root = workspace.hasSuffix("/") ? workspace : workspace + "/"
            if path.hasPrefix(root) { path.removeFirst(root.count) }
        }
        return path
    }
}
