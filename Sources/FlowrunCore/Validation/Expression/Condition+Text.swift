extension Condition {
    /// The expression in `if:` syntax, as `list` and `plan` show it: references
    /// as written, text single-quoted, parentheses only where needed. Parsing
    /// it gives the same tree.
    public var text: String { rendered(inside: 0) }

    /// `inside`: how tightly the enclosing operator binds (0 none, 1 `||`, 2 `&&`, 3 `==`, 4 `!`).
    private func rendered(inside: Int) -> String {
        let body: String
        let binding: Int
        switch self {
        case .boolean(let b): return b ? "true" : "false"
        case .text(let t): return "'" + t.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") + "'"
        case .reference(let reference, _): return reference.description
        case .call(let function, let arguments, _):
            return function.rawValue + "(" + arguments.map { $0.rendered(inside: 0) }.joined(separator: ", ") + ")"
        case .not(let c):
            return "!" + c.rendered(inside: 4)
        case .or(let a, let b):
            (body, binding) = (a.rendered(inside: 1) + " || " + b.rendered(inside: 2), 1)
        case .and(let a, let b):
            (body, binding) = (a.rendered(inside: 2) + " && " + b.rendered(inside: 3), 2)
        case .equals(let a, let b, let negated):
            (body, binding) = (a.rendered(inside: 3) + (negated ? " != " : " == ") + b.rendered(inside: 4), 3)
        }
        return binding < inside ? "(" + body + ")" : body
    }
}
