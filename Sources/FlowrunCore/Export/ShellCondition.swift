/// An `if:` condition as a POSIX shell command that succeeds when the
/// condition holds: how an exported script decides a step's `if` itself,
/// since Argo's `when` cannot reach inside one script.
///
/// A text is one shell word (literals quoted, values as variables); a text is
/// true when not empty (`[ -n … ]`), `==` is `[ … = … ]`, `contains`,
/// `startsWith` and `endsWith` are `case` patterns with the needle quoted (so
/// it matches literally). `success()` and `failure()` read the script's
/// `$flowrun_failed` (an earlier step failed); `cancelled()` has no meaning
/// inside a pod and, like a `state`, is refused.
struct ShellCondition {
    /// The shell word a reference reads, or nil when the script cannot see it.
    var word: (ConditionReference) -> String?

    func command(_ condition: Condition) throws(ArgoCondition.Unsupported) -> String {
        switch condition {
        case .boolean(let value): return value ? "true" : "false"
        case .text, .reference: return "[ -n \(try text(condition)) ]"
        case .not(let inner): return "! { \(try command(inner)); }"
        case .and(let a, let b): return "{ \(try command(a)) && \(try command(b)); }"
        case .or(let a, let b): return "{ \(try command(a)) || \(try command(b)); }"
        case .equals(let a, let b, let negated):
            return "[ \(try text(a)) \(negated ? "!=" : "=") \(try text(b)) ]"
        case .call(let function, let arguments, let at):
            switch function {
            case .always: return "true"
            case .success: return "[ \"$flowrun_failed\" = 0 ]"
            case .failure: return "[ \"$flowrun_failed\" != 0 ]"
            case .cancelled:
                throw ArgoCondition.Unsupported(feature: "`cancelled()` inside a script", location: at)
            case .contains, .startsWith, .endsWith:
                let (haystack, needle) = (try text(arguments[0]), try text(arguments[1]))
                let pattern = switch function {
                case .startsWith: "\(needle)*"
                case .endsWith: "*\(needle)"
                default: "*\(needle)*"
                }
                return "case \(haystack) in \(pattern)) true ;; *) false ;; esac"
            }
        }
    }

    /// One shell word: a text, a value, or a boolean as `true`/`false` (as flowrun compares them).
    private func text(_ condition: Condition) throws(ArgoCondition.Unsupported) -> String {
        switch condition {
        case .text(let text): return ShellQuote.word(text)
        case .reference(let reference, let at):
            guard let word = word(reference) else {
                throw ArgoCondition.Unsupported(feature: "`\(reference)` in a step's condition", location: at)
            }
            return word
        default: return "\"$(if \(try command(condition)); then echo true; else echo false; fi)\""
        }
    }
}
