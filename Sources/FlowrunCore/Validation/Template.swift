/// A string with `${{ EXPR }}` expressions, parsed but not yet resolved against values.
public struct Template: Sendable, Hashable {
    /// One piece of a template: text as written, or an expression to substitute.
    public enum Part: Sendable, Hashable {
        case literal(String)
        case expression(Expression, SourceLocation)
    }

    public var parts: [Part]

    public init(parts: [Part]) {
        self.parts = parts
    }

    /// A template without expressions.
    public init(literal: String) {
        self.parts = literal.isEmpty ? [] : [.literal(literal)]
    }

    /// The expressions the template uses, in order.
    public var expressions: [Expression] {
        parts.compactMap { if case .expression(let e, _) = $0 { e } else { nil } }
    }
}

/// What a `${{ … }}` refers to.
public enum Expression: Sendable, Hashable, CustomStringConvertible {
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

    /// The expression as it is written between `${{` and `}}`.
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
