/// What a template's `${{ … }}` refers to: a name, not an expression to compute
/// (conditions, which do compute, are `Condition`s).
public enum Reference: Sendable, Hashable, CustomStringConvertible {
    case variable(String)
    case environment(String)
    case taskResult(stage: String, task: String)
    case ownOutput(OwnOutput)
    case workflowName
    case stageName
    case taskName

    /// A task's own output, usable only in its `result` template.
    public enum OwnOutput: String, Sendable, Hashable {
        case stdout
        case stderr
        case exitCode = "exit-code"
    }

    /// The reference as it is written between `${{` and `}}`.
    public var description: String {
        switch self {
        case .variable(let name): "vars.\(name)"
        case .environment(let name): "env.\(name)"
        case .taskResult(let stage, let task): "stages.\(stage).tasks.\(task).result"
        case .ownOutput(let output): output.rawValue
        case .workflowName: "workflow.name"
        case .stageName: "stage.name"
        case .taskName: "task.name"
        }
    }
}
