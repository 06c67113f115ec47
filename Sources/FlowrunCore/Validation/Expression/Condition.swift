/// A parsed `if:` expression: a typed tree, checked at load time.
///
/// Values are text or booleans; a text is true when it is not empty, and
/// `==` compares text. Plan-time references (vars, env, host) are replaced
/// by text when planning; run-time ones are read by `ConditionEvaluator`.
public indirect enum Condition: Sendable, Hashable {
    case boolean(Bool)
    case text(String)
    case reference(ConditionReference, SourceLocation)
    case not(Condition)
    case and(Condition, Condition)
    case or(Condition, Condition)
    case equals(Condition, Condition, negated: Bool)
    case call(ConditionFunction, [Condition], SourceLocation)

    /// Whether the tree calls one of the stage status functions.
    public var callsStatusFunction: Bool {
        switch self {
        case .boolean, .text, .reference: false
        case .not(let c): c.callsStatusFunction
        case .and(let a, let b), .or(let a, let b), .equals(let a, let b, _): a.callsStatusFunction || b.callsStatusFunction
        case .call(let function, let arguments, _): function.isStatus || arguments.contains { $0.callsStatusFunction }
        }
    }

    /// Whether the tree calls `always()` or `cancelled()`: only such a stage runs after an interrupt.
    public var callsCleanupFunction: Bool {
        switch self {
        case .boolean, .text, .reference: false
        case .not(let c): c.callsCleanupFunction
        case .and(let a, let b), .or(let a, let b), .equals(let a, let b, _): a.callsCleanupFunction || b.callsCleanupFunction
        case .call(let function, let arguments, _):
            function == .always || function == .cancelled || arguments.contains { $0.callsCleanupFunction }
        }
    }

    /// Every reference in the tree, in the order written, with where it stands.
    public var references: [(reference: ConditionReference, at: SourceLocation)] {
        switch self {
        case .boolean, .text: []
        case .reference(let reference, let location): [(reference, location)]
        case .not(let c): c.references
        case .and(let a, let b), .or(let a, let b), .equals(let a, let b, _): a.references + b.references
        case .call(_, let arguments, _): arguments.flatMap(\.references)
        }
    }

    /// The tree with each reference replaced by what `value` gives for it (nil keeps it).
    public func substituting(_ value: (ConditionReference) -> String?) -> Condition {
        switch self {
        case .boolean, .text: self
        case .reference(let reference, _): value(reference).map { .text($0) } ?? self
        case .not(let c): .not(c.substituting(value))
        case .and(let a, let b): .and(a.substituting(value), b.substituting(value))
        case .or(let a, let b): .or(a.substituting(value), b.substituting(value))
        case .equals(let a, let b, let negated): .equals(a.substituting(value), b.substituting(value), negated: negated)
        case .call(let function, let arguments, let location): .call(function, arguments.map { $0.substituting(value) }, location)
        }
    }
}

/// What a condition can read.
public enum ConditionReference: Sendable, Hashable, CustomStringConvertible {
    case variable(String)
    case environment(String)
    case hostOS
    case hostArch
    case taskResult(stage: String, task: String)
    case taskOutput(stage: String, task: String, name: String)
    case taskState(stage: String, task: String)
    case stageState(String)
    /// A value of the task's own matrix instance; filled when the instance is made.
    case matrix(String)

    /// The reference as written.
    public var description: String {
        switch self {
        case .variable(let name): "vars.\(name)"
        case .environment(let name): "env.\(name)"
        case .hostOS: "host.os"
        case .hostArch: "host.arch"
        case .taskResult(let stage, let task): "stages.\(stage).tasks.\(task).result"
        case .taskOutput(let stage, let task, let name): "stages.\(stage).tasks.\(task).outputs.\(name)"
        case .matrix(let key): "matrix.\(key)"
        case .taskState(let stage, let task): "stages.\(stage).tasks.\(task).state"
        case .stageState(let stage): "stages.\(stage).state"
        }
    }

    /// The stage whose outcome the reference reads, if any.
    public var stage: String? {
        switch self {
        case .taskResult(let stage, _), .taskOutput(let stage, _, _), .taskState(let stage, _), .stageState(let stage): stage
        case .variable, .environment, .hostOS, .hostArch, .matrix: nil
        }
    }
}

/// The functions a condition may call.
public enum ConditionFunction: String, Sendable, Hashable, CaseIterable {
    case contains
    case startsWith
    case endsWith
    case success
    case failure
    case always
    case cancelled

    /// `success()`, `failure()`, `always()`, `cancelled()`: on stages (on steps all but `cancelled()`).
    public var isStatus: Bool {
        switch self {
        case .contains, .startsWith, .endsWith: false
        case .success, .failure, .always, .cancelled: true
        }
    }

    public var arity: Int { isStatus ? 0 : 2 }
}
