/// Evaluates a planned condition against what the run knows so far. Pure:
/// the executor hands it the results board's values and the run's status.
public struct ConditionEvaluator: Sendable {
    /// How the run stands when a condition is asked.
    public struct Status: Sendable {
        /// An earlier stage failed.
        public var failed: Bool
        /// flowrun got SIGINT or SIGTERM.
        public var interrupted: Bool

        public init(failed: Bool, interrupted: Bool) {
            self.failed = failed
            self.interrupted = interrupted
        }
    }

    /// The value of a run-time reference (results and states of earlier stages); nil is empty.
    public var value: @Sendable (ConditionReference) -> String?
    public var status: Status

    public init(status: Status, value: @escaping @Sendable (ConditionReference) -> String?) {
        self.status = status
        self.value = value
    }

    /// Whether a stage with `condition` runs: no condition is `success()`, and a
    /// condition that calls no status function is `success() && condition`, as in GitHub Actions.
    public func stageRuns(_ condition: Condition?) -> Bool {
        let succeeded = !status.failed && !status.interrupted
        guard let condition else { return succeeded }
        if !condition.callsStatusFunction && !succeeded { return false }
        return truth(condition)
    }

    /// Whether a condition holds.
    public func truth(_ condition: Condition) -> Bool {
        switch evaluate(condition) {
        case .boolean(let b): b
        case .text(let t): !t.isEmpty
        }
    }

    private enum Value {
        case boolean(Bool)
        case text(String)

        var text: String {
            switch self {
            case .boolean(let b): b ? "true" : "false"
            case .text(let t): t
            }
        }

        var truth: Bool {
            switch self {
            case .boolean(let b): b
            case .text(let t): !t.isEmpty
            }
        }
    }

    private func evaluate(_ condition: Condition) -> Value {
        switch condition {
        case .boolean(let b): return .boolean(b)
        case .text(let t): return .text(t)
        case .reference(let reference, _): return .text(value(reference) ?? "")
        case .not(let c): return .boolean(!evaluate(c).truth)
        case .and(let a, let b): return .boolean(evaluate(a).truth && evaluate(b).truth)
        case .or(let a, let b): return .boolean(evaluate(a).truth || evaluate(b).truth)
        case .equals(let a, let b, let negated): return .boolean((evaluate(a).text == evaluate(b).text) != negated)
        case .call(let function, let arguments, _):
            let texts = arguments.map { evaluate($0).text }
            switch function {
            case .contains: return .boolean(texts[1].isEmpty || texts[0].contains(texts[1]))
            case .startsWith: return .boolean(texts[0].hasPrefix(texts[1]))
            case .endsWith: return .boolean(texts[0].hasSuffix(texts[1]))
            case .success: return .boolean(!status.failed && !status.interrupted)
            case .failure: return .boolean(status.failed)
            case .always: return .boolean(true)
            case .cancelled: return .boolean(status.interrupted)
            }
        }
    }
}
