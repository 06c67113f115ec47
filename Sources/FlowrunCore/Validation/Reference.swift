/// What a template's `${{ … }}` refers to: a name, not an expression to compute
/// (conditions, which do compute, are `Condition`s).
public enum Reference: Sendable, Hashable, CustomStringConvertible {
    case variable(String)
    case environment(String)
    case taskResult(stage: String, task: String)
    /// Every instance's result of a matrix task, one per line.
    case taskResults(stage: String, task: String)
    case taskOutput(stage: String, task: String, name: String)
    case ownOutput(OwnOutput)
    /// A value of the task's own matrix instance.
    case matrix(String)
    /// The words after `--` on `flowrun run`'s command line.
    case arguments
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
        case .taskResults(let stage, let task): "stages.\(stage).tasks.\(task).results"
        case .taskOutput(let stage, let task, let name): "stages.\(stage).tasks.\(task).outputs.\(name)"
        case .matrix(let key): "matrix.\(key)"
        case .arguments: "args"
        case .ownOutput(let output): output.rawValue
        case .workflowName: "workflow.name"
        case .stageName: "stage.name"
        case .taskName: "task.name"
        }
    }
}
