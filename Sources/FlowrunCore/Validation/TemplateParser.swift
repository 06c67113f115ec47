/// Splits text into literal pieces and `${{ EXPR }}` expressions.
///
/// It checks syntax only; whether a name exists is the validator's business.
struct TemplateParser {
    /// Stage names of the workflow, to split `stages.A.tasks.B.result` when names contain dots.
    var stageNames: Set<String>

    /// Parses `text`, whose first character is at `start`. Locations of
    /// expressions are exact on single-line text written on one line
    /// (`exactColumns`) and fall back to `start` otherwise.
    func parse(_ text: String, start: SourceLocation, exactColumns: Bool = true) -> (Template, [Diagnostic]) {
        // Most values hold no expression: skip the scalar-by-scalar walk.
        if !text.utf8.contains(UInt8(ascii: "{")) { return (Template(literal: text), []) }
        var parts: [Template.Part] = []
        var diagnostics: [Diagnostic] = []
        var literal = ""
        let scalars = Array(text.unicodeScalars)
        let singleLine = exactColumns && !scalars.contains("\n") && !scalars.contains("\r")
        func location(_ index: Int) -> SourceLocation {
            singleLine ? SourceLocation(line: start.line, column: start.column + index) : start
        }
        func opens(at i: Int) -> Bool {
            i + 2 < scalars.count && scalars[i] == "$" && scalars[i + 1] == "{" && scalars[i + 2] == "{"
        }
        var i = 0
        while i < scalars.count {
            if scalars[i] == "$", opens(at: i + 1) {
                literal += "${{"  // `$${{` is a literal `${{`
                i += 4
                continue
            }
            guard opens(at: i) else {
                literal.unicodeScalars.append(scalars[i])
                i += 1
                continue
            }
            var j = i + 3
            while j + 1 < scalars.count, !(scalars[j] == "}" && scalars[j + 1] == "}") { j += 1 }
            guard j + 1 < scalars.count else {
                diagnostics.append(.error(.unterminatedExpression, at: location(i)))
                return (Template(parts: parts), diagnostics)
            }
            if !literal.isEmpty {
                parts.append(.literal(literal))
                literal = ""
            }
            var body = String(String.UnicodeScalarView(scalars[(i + 3)..<j]))
            body = body.trimmingSpaces()
            switch classify(body) {
            case .success(let expression): parts.append(.expression(expression, location(i)))
            case .failure(let message): diagnostics.append(.error(message, at: location(i)))
            }
            i = j + 2
        }
        if !literal.isEmpty { parts.append(.literal(literal)) }
        return (Template(parts: parts), diagnostics)
    }

    private func classify(_ body: String) -> Result<Expression, DiagnosticMessage> {
        if body.isEmpty { return .failure(.emptyExpression) }
        switch body {
        case "stdout": return .success(.ownOutput(.stdout))
        case "stderr": return .success(.ownOutput(.stderr))
        case "exit-code": return .success(.ownOutput(.exitCode))
        case "workflow.name": return .success(.workflowName)
        case "stage.name": return .success(.stageName)
        case "task.name": return .success(.taskName)
        default: break
        }
        if let name = body.dropPrefix("vars.") {
            return isIdentifier(name) ? .success(.variable(name)) : .failure(.malformedExpression(body))
        }
        if let name = body.dropPrefix("env.") {
            return isIdentifier(name) ? .success(.environment(name)) : .failure(.malformedExpression(body))
        }
        if let path = body.dropPrefix("stages."), let middle = path.dropSuffix(".result") {
            // Names may contain dots: prefer the split whose stage exists.
            let splits = middle.ranges(of: ".tasks.")
            guard !splits.isEmpty else { return .failure(.malformedExpression(body)) }
            let chosen = splits.first { stageNames.contains(String(middle[..<$0.lowerBound])) } ?? splits[0]
            let stage = String(middle[..<chosen.lowerBound])
            let task = String(middle[chosen.upperBound...])
            guard !stage.isEmpty, !task.isEmpty else { return .failure(.malformedExpression(body)) }
            return .success(.taskResult(stage: stage, task: task))
        }
        let known = ["stdout", "stderr", "exit-code", "workflow.name", "stage.name", "task.name"]
        return .failure(.unknownExpression(body, suggestion: Spelling.closest(to: body, among: known)))
    }

    private func isIdentifier(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2D || b == 0x2E
        }
    }
}

extension String {
    func trimmingSpaces() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
        let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" })!
        return String(scalars[first...last])
    }

    func dropPrefix(_ prefix: String) -> String? {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : nil
    }

    func dropSuffix(_ suffix: String) -> String? {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : nil
    }

    /// Ranges of every occurrence of `needle`, overlapping ones included.
    func ranges(of needle: String) -> [Range<String.Index>] {
        var result: [Range<String.Index>] = []
        var searchStart = startIndex
        while searchStart < endIndex, let range = self[searchStart...].firstRange(of: needle) {
            result.append(range)
            searchStart = index(after: range.lowerBound)
        }
        return result
    }
}
