#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits text into literal pieces and `${{ EXPR }}` expressions.
///
/// It checks syntax only; whether a name exists is the validator's business.
struct TemplateParser {
    /// Stage names of the workflow, to split `stages.A.tasks.B.result` when names contain dots.
    var stageNames: Set<String>

    /// Parses `text`, whose first character is at `start`.
    ///
    /// - Parameter openings: where each `${{` of `text` is in the source, as
    ///   `openings(in:range:start:)` finds them. Used when their number matches
    ///   the text's; otherwise locations are exact only on single-line text
    ///   written without escapes, and fall back to `start` on several lines.
    func parse(_ text: String, start: SourceLocation, openings: [SourceLocation]? = nil) -> (Template, [Diagnostic]) {
        // Most values hold no expression: skip the scalar-by-scalar walk.
        if !Self.holdsBrace(text) { return (Template(literal: text), []) }
        var parts: [Template.Part] = []
        var diagnostics: [Diagnostic] = []
        var literal = ""
        let scalars = Array(text.unicodeScalars)
        let singleLine = !scalars.contains("\n") && !scalars.contains("\r")
        let exact = openings.flatMap { $0.count == Self.openingOffsets(Array(text.utf8)).count ? $0 : nil }
        var ordinal = 0
        // Called exactly once for each `${{`, in order.
        func location(_ index: Int) -> SourceLocation {
            defer { ordinal += 1 }
            if let exact { return exact[ordinal] }
            return singleLine ? start.moved(line: start.line, column: start.column + index) : start
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
            case .success(let expression): parts.append(.reference(expression, location(i)))
            case .failure(let message): diagnostics.append(.error(message, at: location(i)))
            }
            i = j + 2
        }
        if !literal.isEmpty { parts.append(.literal(literal)) }
        return (Template(parts: parts), diagnostics)
    }

    /// Whether `text` holds `{`: `memchr` over its bytes (the generic
    /// `utf8.contains` went element by element through the string's view).
    static func holdsBrace(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return false }
            return memchr(base, Int32(UInt8(ascii: "{")), bytes.count) != nil
        }
    }

    /// Whether `text` holds `${{` anywhere (`ByteScan`).
    static func holdsOpening(_ text: String) -> Bool { ByteScan.holds(text, "${{") }

    /// Byte offsets of every `${{` that opens an expression in `bytes[range]`,
    /// skipping `$${{` and whatever lies between an opening and its `}}`,
    /// exactly as `parse` reads text.
    static func openingOffsets(_ bytes: [UInt8], range: Range<Int>? = nil) -> [Int] {
        let range = range ?? 0..<bytes.count
        let end = min(range.upperBound, bytes.count)
        func opens(_ k: Int) -> Bool {
            k + 2 < end && bytes[k] == UInt8(ascii: "$") && bytes[k + 1] == UInt8(ascii: "{") && bytes[k + 2] == UInt8(ascii: "{")
        }
        var result: [Int] = []
        var i = range.lowerBound
        while i < end {
            if bytes[i] == UInt8(ascii: "$"), opens(i + 1) {
                i += 4
                continue
            }
            guard opens(i) else {
                i += 1
                continue
            }
            result.append(i)
            var j = i + 3
            while j + 1 < end, !(bytes[j] == UInt8(ascii: "}") && bytes[j + 1] == UInt8(ascii: "}")) { j += 1 }
            i = j + 2
        }
        return result
    }

    /// Where each `${{` of a scalar is in the source, whose bytes `range` start at `start`.
    static func openings(in bytes: [UInt8], range: Range<Int>, start: SourceLocation) -> [SourceLocation] {
        var result: [SourceLocation] = []
        var line = start.line
        var column = start.column
        var i = range.lowerBound
        for offset in openingOffsets(bytes, range: range) {
            while i < offset {
                let b = bytes[i]
                if b == 0x0A || (b == 0x0D && !(i + 1 < bytes.count && bytes[i + 1] == 0x0A)) {
                    line += 1
                    column = 1
                } else if b & 0xC0 != 0x80, b != 0x0D {
                    column += 1
                }
                i += 1
            }
            result.append(start.moved(line: line, column: column))
        }
        return result
    }

    private func classify(_ body: String) -> Result<Reference, DiagnosticMessage> {
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
        if body == "args" { return .success(.arguments) }
        if let key = body.dropPrefix("matrix.") {
            return isIdentifier(key) ? .success(.matrix(key)) : .failure(.malformedExpression(body))
        }
        if let path = body.dropPrefix("stages.") {
            if let middle = path.dropSuffix(".result") {
                return taskPath(middle, body: body).map { .taskResult(stage: $0.stage, task: $0.task) }
            }
            if let middle = path.dropSuffix(".results") {
                return taskPath(middle, body: body).map { .taskResults(stage: $0.stage, task: $0.task) }
            }
            if let marker = path.ranges(of: ".outputs.").last {
                let name = String(path[marker.upperBound...])
                guard OutputFile.isName(name) else { return .failure(.malformedExpression(body)) }
                return taskPath(String(path[..<marker.lowerBound]), body: body)
                    .map { .taskOutput(stage: $0.stage, task: $0.task, name: name) }
            }
            return .failure(.malformedExpression(body))
        }
        let known = ["stdout", "stderr", "exit-code", "workflow.name", "stage.name", "task.name", "args"]
        return .failure(.unknownExpression(body, suggestion: Spelling.closest(to: body, among: known)))
    }

    /// Splits `STAGE.tasks.TASK`; names may contain dots, so the split whose stage exists wins.
    private func taskPath(_ middle: String, body: String) -> Result<(stage: String, task: String), DiagnosticMessage> {
        let splits = middle.ranges(of: ".tasks.")
        guard !splits.isEmpty else { return .failure(.malformedExpression(body)) }
        let chosen = splits.first { stageNames.contains(String(middle[..<$0.lowerBound])) } ?? splits[0]
        let stage = String(middle[..<chosen.lowerBound])
        let task = String(middle[chosen.upperBound...])
        guard !stage.isEmpty, !task.isEmpty else { return .failure(.malformedExpression(body)) }
        return .success((stage, task))
    }

    private func isIdentifier(_ name: String) -> Bool {
        NameRules.isValid(name, as: .stageOrTask)
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
