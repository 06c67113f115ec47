/// `if:` conditions: parsed into a typed tree, every reference checked as a
/// template reference is, and types checked, each problem located.
extension Validator.Pass {
    /// Reads the `if` of a stage (`onStage`) or of a task of stage `stageIndex`.
    mutating func condition(_ node: Node, stageIndex: Int, onStage: Bool) -> Condition? {
        guard case .scalar(let scalar) = node.value, scalar.resolved != .null else {
            error(.wrongType(key: "if", expected: .string, found: .kind(node.kind)), at: node.location)
            return nil
        }
        // `if: true` is the boolean; YAML gives its text, which parses the same.
        var body = Array(scalar.text.unicodeScalars)
        var skip = scalar.style == .quoted ? 1 : 0
        // Bare, or wrapped whole in `${{ }}` as GitHub Actions allows.
        let lead = body.prefix { $0 == " " || $0 == "\t" }.count
        let trail = body.reversed().prefix { $0 == " " || $0 == "\t" }.count
        let trimmed = String(String.UnicodeScalarView(body.dropFirst(lead).dropLast(trail)))
        if trimmed.hasPrefix("${{"), trimmed.hasSuffix("}}"), trimmed.unicodeScalars.count >= 5,
           TemplateParser.openingOffsets(Array(trimmed.utf8)).count == 1 {
            skip += lead + 3
            body = Array(body[(lead + 3)..<(body.count - trail - 2)])
        }
        let start = node.location
        let singleLine = !body.contains("\n") && scalar.style != .block
        var parser = ConditionParser(stageNames: knownStageNames) { offset in
            singleLine ? start.moved(line: start.line, column: start.column + skip + offset) : start
        }
        switch parser.parse(String(String.UnicodeScalarView(body))) {
        case .failure(let problem):
            diagnostics.append(problem)
            return nil
        case .success(let condition):
            let before = diagnostics.count
            _ = type(of: condition, stageIndex: stageIndex, onStage: onStage)
            return diagnostics.count == before || !diagnostics[before...].contains { $0.severity == .error } ? condition : nil
        }
    }

    /// The type of `condition`, reporting references and type errors; nil after an error.
    private mutating func type(
        of condition: Condition, stageIndex: Int, onStage: Bool
    ) -> DiagnosticMessage.ConditionValueType? {
        switch condition {
        case .boolean: return .boolean
        case .text: return .text
        case .reference(let reference, let location):
            check(reference, at: location, stageIndex: stageIndex)
            return .text
        case .not(let inner):
            _ = type(of: inner, stageIndex: stageIndex, onStage: onStage)
            return .boolean
        case .and(let a, let b), .or(let a, let b):
            _ = type(of: a, stageIndex: stageIndex, onStage: onStage)
            _ = type(of: b, stageIndex: stageIndex, onStage: onStage)
            return .boolean
        case .equals(let a, let b, let negated):
            let left = type(of: a, stageIndex: stageIndex, onStage: onStage)
            let right = type(of: b, stageIndex: stageIndex, onStage: onStage)
            if let left, let right, left != right {
                error(.conditionTypeMismatch(operator: negated ? "!=" : "==", left: left, right: right),
                      at: firstLocation(a) ?? firstLocation(b) ?? .init(file: "", line: 0, column: 0))
                return nil
            }
            return .boolean
        case .call(let function, let arguments, let location):
            if function.isStatus, !onStage { error(.statusFunctionOutsideStage(function.rawValue), at: location) }
            for (position, argument) in arguments.enumerated() {
                if type(of: argument, stageIndex: stageIndex, onStage: onStage) == .boolean {
                    error(.argumentNotText(function: function.rawValue, position: position + 1), at: location)
                }
            }
            return .boolean
        }
    }

    private func firstLocation(_ condition: Condition) -> SourceLocation? {
        switch condition {
        case .boolean, .text: nil
        case .reference(_, let location), .call(_, _, let location): location
        case .not(let c): firstLocation(c)
        case .and(let a, let b), .or(let a, let b), .equals(let a, let b, _): firstLocation(a) ?? firstLocation(b)
        }
    }

    /// A condition's reference, checked as a template's: names exist, results are of earlier stages.
    private mutating func check(_ reference: ConditionReference, at location: SourceLocation, stageIndex current: Int) {
        switch reference {
        case .variable(let name):
            check(.variable(name), at: location, scope: TemplateScope(key: "if", stageIndex: current))
        case .environment(let name):
            checkEnvironment(name, at: location)
        case .hostOS, .hostArch:
            break
        case .taskResult(let stage, let task), .taskState(let stage, let task):
            check(.taskResult(stage: stage, task: task), at: location, scope: TemplateScope(key: "if", stageIndex: current))
        case .stageState(let stage):
            guard let index = stageIndexByName[stage] else {
                if let included = includedStageByName[stage] {
                    if included.position > current { error(.resultOfLaterStage(stage: stage), at: location) }
                    return
                }
                error(.unknownStage(stage, suggestion: Spelling.closest(to: stage, among: knownStageNames)), at: location)
                return
            }
            if index == current {
                error(.resultOfSameStage(stage: stage), at: location)
            } else if index > current {
                error(.resultOfLaterStage(stage: stage), at: location)
            }
        }
    }
}
