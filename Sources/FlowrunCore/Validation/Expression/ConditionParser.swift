/// Parses an `if:` expression into a `Condition`; operators loosest first:
/// `||`, `&&`, `==` `!=`, unary `!`; parentheses group.
///
/// It checks syntax and the shape of references only; whether a name
/// exists, and types, are the validator's business.
struct ConditionParser {
    /// Stage names of the workflow, to split `stages.A.tasks.B.result` when names contain dots.
    var stageNames: Set<String>
    /// The source location of an offset (in Unicode scalars) of the text.
    var locate: (Int) -> SourceLocation

    private var tokens: [ConditionLexer.Token] = []
    private var index = 0

    init(stageNames: Set<String>, locate: @escaping (Int) -> SourceLocation) {
        self.stageNames = stageNames
        self.locate = locate
    }

    /// The condition, or the first problem found.
    mutating func parse(_ text: String) -> Result<Condition, Diagnostic> {
        switch ConditionLexer.tokens(text) {
        case .failure(let failure):
            return .failure(.error(.conditionSyntax(failure.problem), at: locate(failure.offset)))
        case .success(let tokens):
            self.tokens = tokens
        }
        index = 0
        do throws(Diagnostic) {
            if case .end = tokens[0].kind { throw problem(.empty) }
            let condition = try or()
            guard case .end = current.kind else { throw problem(.unexpected(describe(current.kind))) }
            return .success(condition)
        } catch {
            return .failure(error)
        }
    }

    private var current: ConditionLexer.Token { tokens[index] }

    private func problem(_ what: DiagnosticMessage.ConditionProblem) -> Diagnostic {
        .error(.conditionSyntax(what), at: locate(current.offset))
    }

    private mutating func or() throws(Diagnostic) -> Condition {
        try chain(.or, of: { parser throws(Diagnostic) in try parser.and() }, Condition.or)
    }

    private mutating func and() throws(Diagnostic) -> Condition {
        try chain(.and, of: { parser throws(Diagnostic) in try parser.equality() }, Condition.and)
    }

    /// `operand (op operand)*`, grouped to the left: `a || b || c` is `(a || b) || c`.
    private mutating func chain(
        _ op: ConditionLexer.Kind, of operand: (inout ConditionParser) throws(Diagnostic) -> Condition,
        _ combine: (Condition, Condition) -> Condition
    ) throws(Diagnostic) -> Condition {
        var left = try operand(&self)
        while current.kind == op {
            index += 1
            left = combine(left, try operand(&self))
        }
        return left
    }

    private mutating func equality() throws(Diagnostic) -> Condition {
        var left = try unary()
        while true {
            switch current.kind {
            case .equal: index += 1; left = .equals(left, try unary(), negated: false)
            case .notEqual: index += 1; left = .equals(left, try unary(), negated: true)
            default: return left
            }
        }
    }

    private mutating func unary() throws(Diagnostic) -> Condition {
        if case .not = current.kind {
            index += 1
            return .not(try unary())
        }
        return try primary()
    }

    private mutating func primary() throws(Diagnostic) -> Condition {
        let token = current
        switch token.kind {
        case .open:
            index += 1
            let inner = try or()
            guard case .close = current.kind else { throw problem(.expectedClosingParenthesis) }
            index += 1
            return inner
        case .string(let value):
            index += 1
            return .text(value)
        case .word(let word):
            index += 1
            if word == "true" { return .boolean(true) }
            if word == "false" { return .boolean(false) }
            if case .open = current.kind { return try call(word, at: token.offset) }
            guard let reference = Self.reference(word, stageNames: stageNames) else {
                throw Diagnostic.error(
                    .unknownConditionReference(word, suggestion: Spelling.closest(to: word, among: Self.knownWords)),
                    at: locate(token.offset))
            }
            return .reference(reference, locate(token.offset))
        default:
            throw problem(token.kind == .end ? .expectedOperand : .unexpected(describe(token.kind)))
        }
    }

    private mutating func call(_ name: String, at offset: Int) throws(Diagnostic) -> Condition {
        guard let function = ConditionFunction(rawValue: name) else {
            throw Diagnostic.error(
                .unknownFunction(name, suggestion: Spelling.closest(to: name, among: ConditionFunction.allCases.map(\.rawValue))),
                at: locate(offset))
        }
        index += 1  // `(`
        var arguments: [Condition] = []
        if case .close = current.kind {
            index += 1
        } else {
            while true {
                arguments.append(try or())
                if case .comma = current.kind { index += 1; continue }
                guard case .close = current.kind else { throw problem(.expectedClosingParenthesis) }
                index += 1
                break
            }
        }
        if arguments.count != function.arity {
            throw Diagnostic.error(.functionArity(name, expected: function.arity, found: arguments.count), at: locate(offset))
        }
        return .call(function, arguments, locate(offset))
    }

    /// The words a misspelled reference is compared with.
    static let knownWords = ["host.os", "host.arch", "true", "false"] + ConditionFunction.allCases.map(\.rawValue)

    /// What a dotted word refers to; nil when it is no known form.
    static func reference(_ word: String, stageNames: Set<String>) -> ConditionReference? {
        switch word {
        case "host.os": return .hostOS
        case "host.arch": return .hostArch
        default: break
        }
        if let name = word.dropPrefix("vars."), NameRules.isValid(name, as: .stageOrTask) { return .variable(name) }
        if let name = word.dropPrefix("env."), NameRules.isValid(name, as: .stageOrTask) { return .environment(name) }
        if let key = word.dropPrefix("matrix."), !key.isEmpty, !key.contains(".") { return .matrix(key) }
        guard let path = word.dropPrefix("stages.") else { return nil }
        if let split = path.ranges(of: ".outputs.").last {
            let name = String(path[split.upperBound...])
            let middle = path[..<split.lowerBound]
            let splits = middle.ranges(of: ".tasks.")
            let chosen = splits.first { stageNames.contains(String(middle[..<$0.lowerBound])) } ?? splits.first
            guard let chosen, !name.isEmpty else { return nil }
            let stage = String(middle[..<chosen.lowerBound])
            let task = String(middle[chosen.upperBound...])
            guard !stage.isEmpty, !task.isEmpty else { return nil }
            return .taskOutput(stage: stage, task: task, name: name)
        }
        for (suffix, isResult) in [(".result", true), (".state", false)] {
            guard let middle = path.dropSuffix(suffix) else { continue }
            let splits = middle.ranges(of: ".tasks.")
            if splits.isEmpty {
                return isResult || middle.isEmpty ? nil : .stageState(middle)
            }
            let chosen = splits.first { stageNames.contains(String(middle[..<$0.lowerBound])) } ?? splits[0]
            let stage = String(middle[..<chosen.lowerBound])
            let task = String(middle[chosen.upperBound...])
            guard !stage.isEmpty, !task.isEmpty else { return nil }
            return isResult ? .taskResult(stage: stage, task: task) : .taskState(stage: stage, task: task)
        }
        return nil
    }

    private func describe(_ kind: ConditionLexer.Kind) -> String {
        switch kind {
        case .word(let w): w
        case .string(let s): "'\(s)'"
        case .open: "("
        case .close: ")"
        case .comma: ","
        case .not: "!"
        case .and: "&&"
        case .or: "||"
        case .equal: "=="
        case .notEqual: "!="
        case .end: "end of expression"
        }
    }
}
