/// GitHub Actions' conventions during a run (`GITHUB_ACTIONS=true`, unless
/// `--no-ci-annotations`): every secret registered with `::add-mask::` when
/// the run starts, before any task output, and an annotation per failed or
/// timed-out task (`::error`; `::warning` under continue-on-error) pointing
/// at the task's line in the workflow file when there is one.
///
/// The `TextReporter` writes what this returns on the live output stream,
/// the annotation right after the task's own block, so it is not hidden in a group.
public struct GitHubAnnotator: Sendable {
    private let plan: Plan
    private let mask: SecretMask
    private let workspace: String?
    private let locations: [TaskID: SourceLocation]

    /// - Parameters:
    ///   - workspace: `GITHUB_WORKSPACE`; an absolute workflow path under it is made relative,
    ///     as annotations name files from the repository's root.
    public init(plan: Plan, workspace: String? = nil) {
        self.plan = plan
        self.mask = SecretMask(plan.secretValues)
        self.workspace = workspace
        var locations: [TaskID: SourceLocation] = [:]
        for stage in plan.stages {
            for task in stage.tasks { locations[task.id] = task.location }
        }
        self.locations = locations
    }

    /// `::add-mask::` for every secret (empty when there are none).
    public func masks() -> String {
        plan.secretValues.map(GitHubCommands.addMask).joined()
    }

    /// The annotation for a failed or timed-out task, its state then its
    /// first stderr line; nil for any other task.
    public func annotation(_ task: TaskResult) -> String? {
        guard task.state.isFailure else { return nil }
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
