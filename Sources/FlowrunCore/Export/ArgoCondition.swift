/// An `if:` condition as an Argo `when` expression (govaluate, after Argo
/// has filled its `{{…}}` tags).
///
/// Text is single-quoted (`\` and `'` escaped), so a value Argo fills in
/// stays one string as long as it holds no `'`. A text in a boolean place
/// is `'…' != ''` (flowrun: a text is true when not empty). `contains`,
/// `startsWith` and `endsWith` become `=~` against the escaped literal, so
/// their second argument must be known at export. A stage whose `if` calls
/// `always()`, `failure()` or `cancelled()` runs in the exit handler, where
/// `{{workflow.status}}` is `Succeeded`, `Failed` or `Error`: `success()`
/// is `Succeeded`, `failure()` anything else, `always()` true. In the main
/// template a step runs only after every earlier one succeeded, so there
/// `success()` is true. `cancelled()` has no Argo
/// form (a stopped workflow is `Failed` too) and is refused.
struct ArgoCondition {
    /// Why a condition cannot be written, for a located error.
    struct Unsupported: Error {
        var feature: String
        /// The part of the expression at fault, when it has a location.
        var location: SourceLocation? = nil
    }

    /// The Argo tag (without braces) a reference reads, or nil when the
    /// place the condition sits cannot see it.
    var tag: (ConditionReference) -> String?
    /// True in the exit handler, the only place `{{workflow.status}}` means something.
    var inExitHandler: Bool
    /// In the exit handler, the steps of the stages before this one there: each
    /// goes on after a failure (`continueOn`), so a later stage's status
    /// functions look at them too, as flowrun's look at every earlier stage.
    var earlierHandlerSteps: [String] = []

    /// The `when` text for `condition`.
    func when(_ condition: Condition) throws(Unsupported) -> String {
        try boolean(condition)
    }

    /// Whether a stage with `condition` belongs in the exit handler: it may run after a failure or an interrupt.
    static func runsAfterFailure(_ condition: Condition) -> Bool {
        switch condition {
        case .boolean, .text, .reference: false
        case .not(let c): runsAfterFailure(c)
        case .and(let a, let b), .or(let a, let b), .equals(let a, let b, _): runsAfterFailure(a) || runsAfterFailure(b)
        case .call(let function, let arguments, _):
            function == .always || function == .failure || function == .cancelled || arguments.contains(where: runsAfterFailure)
        }
    }

    /// `success()` in the exit handler: the main template and every earlier handler stage succeeded.
    var success: String {
        earlierHandlerSteps.isEmpty ? Self.succeeded : "(\(Self.succeeded) && !(\(Self.anyFailed(earlierHandlerSteps))))"
    }

    /// `failure()` in the exit handler.
    var failure: String {
        let main = "'{{workflow.status}}' != 'Succeeded'"
        return earlierHandlerSteps.isEmpty ? main : "(\(main) || \(Self.anyFailed(earlierHandlerSteps)))"
    }

    /// True when one of `steps` (of the same steps template) failed or errored.
    static func anyFailed(_ steps: [String]) -> String {
        steps.map { "'{{steps.\($0).status}}' == 'Failed' || '{{steps.\($0).status}}' == 'Error'" }.joined(separator: " || ")
    }

    /// `{{workflow.status}} == Succeeded`: flowrun's implicit `success()` in the exit handler.
    static let succeeded = "'{{workflow.status}}' == 'Succeeded'"

    private func boolean(_ condition: Condition) throws(Unsupported) -> String {
        switch condition {
        case .boolean(let value): return value ? "true" : "false"
        case .text, .reference: return "\(try value(condition)) != ''"
        case .not(let inner): return "!(\(try boolean(inner)))"
        case .and(let a, let b): return "(\(try boolean(a)) && \(try boolean(b)))"
        case .or(let a, let b): return "(\(try boolean(a)) || \(try boolean(b)))"
        case .equals(let a, let b, let negated):
            // A state compared with a state name: flowrun's names become Argo's phases.
            var phase = try statePhase(a, b)
            if phase == nil { phase = try statePhase(b, a) }
            if let phase {
                return "\(phase.tag) \(negated ? "!=" : "==") \(Self.quoted(phase.name))"
            }
            return "\(try operand(a)) \(negated ? "!=" : "==") \(try operand(b))"
        case .call(let function, let arguments, let at):
            switch function {
            case .always: return "true"
            case .success, .failure:
                // In the main template a step runs only after every earlier one succeeded.
                guard inExitHandler else { return function == .success ? "true" : "false" }
                return function == .success ? success : failure
            case .cancelled:
                throw Unsupported(feature: "`cancelled()` (Argo's workflow.status does not tell a stopped workflow from a failed one)", location: at)
            case .contains, .startsWith, .endsWith:
                guard arguments.count == 2, case .text(let needle) = arguments[1] else {
                    throw Unsupported(feature: "`\(function.rawValue)` with a second argument known only at run time", location: at)
                }
                if needle.isEmpty, function == .contains { return "true" }
                let pattern = Self.regexEscaped(needle)
                let anchored = switch function {
                case .startsWith: "^" + pattern
                case .endsWith: pattern + "$"
                default: pattern
                }
                return "\(try value(arguments[0])) =~ \(Self.quoted(anchored))"
            }
        }
    }

    /// One side of `==`: text, or a boolean expression.
    private func operand(_ condition: Condition) throws(Unsupported) -> String {
        switch condition {
        case .text, .reference: try value(condition)
        default: "(\(try boolean(condition)))"
        }
    }

    private func value(_ condition: Condition) throws(Unsupported) -> String {
        switch condition {
        case .text(let text): return Self.quoted(text)
        case .reference(let reference, let at):
            if case .taskState = reference { throw Unsupported(feature: "a task's `state` in a condition", location: at) }
            if case .stageState = reference {
                throw Unsupported(feature: "a stage's `state` compared with anything but a state name", location: at)
            }
            guard let tag = tag(reference) else { throw Unsupported(feature: "`\(reference)` in this condition", location: at) }
            return "'{{\(tag)}}'"
        default: return "(\(try boolean(condition)))"
        }
    }

    /// `stages.S.state == 'NAME'` as Argo's node phase of the stage's step.
    private func statePhase(_ state: Condition, _ name: Condition) throws(Unsupported) -> (tag: String, name: String)? {
        guard case .reference(.stageState(let stage), let at) = state, case .text(let text) = name else { return nil }
        let phases = ["succeeded": "Succeeded", "failed": "Failed", "skipped": "Skipped"]
        guard let phase = phases[text] else { throw Unsupported(feature: "the stage state `\(text)`", location: at) }
        guard let tag = tag(.stageState(stage)) else { throw Unsupported(feature: "`stages.\(stage).state` in this condition", location: at) }
        return ("'{{\(tag)}}'", phase)
    }

    static func quoted(_ text: String) -> String {
        "'" + text.replacingAll("\\", with: "\\\\").replacingAll("'", with: "\\'") + "'"
    }

    /// `text` as a Go (RE2) pattern that matches it literally.
    static func regexEscaped(_ text: String) -> String {
        var out = ""
        for character in text {
            if "\\.+*?()|[]{}^$".contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }
}
