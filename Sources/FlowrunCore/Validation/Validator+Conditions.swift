/// `if:` conditions: parsed into a typed tree, every reference checked as a
/// template reference is, and types checked, each problem located.
extension Validator.Pass {
    /// Where an `if:` sits: which status functions it may call.
    enum ConditionPlace {
        case stage
        case task
        /// A step's `success()`, `failure()` and `always()` ask about the earlier steps of its task.
        case step
    }

    /// Reads the `if` of a stage, or of a task or step of stage `stageIndex` (`matrixKeys`: its task's matrix).
    mutating func condition(_ node: Node, stageIndex: Int, place: ConditionPlace, matrixKeys: [String]? = nil) -> Condition? {
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
            conditionStart = start
            _ = type(of: condition, stageIndex: stageIndex, place: place, matrixKeys: matrixKeys)
            return diagnostics.count == before || !diagnostics[before...].contains { $0.severity == .error } ? condition : nil
        }
    }

    /// The type of `condition`, reporting references and type errors; nil after an error.
    private mutating func type(
        of condition: Condition, stageIndex: Int, place: ConditionPlace, matrixKeys: [String]?
    ) -> DiagnosticMessage.ConditionValueType? {
        switch condition {
        case .boolean: return .boolean
        case .text: return .text
        case .reference(let reference, let location):
            check(reference, at: location, stageIndex: stageIndex, matrixKeys: matrixKeys)
            return .text
        case .not(let inner):
            _ = type(of: inner, stageIndex: stageIndex, place: place, matrixKeys: matrixKeys)
            return .boolean
        case .and(let a, let b), .or(let a, let b):
            _ = type(of: a, stageIndex: stageIndex, place: place, matrixKeys: matrixKeys)
            _ = type(of: b, stageIndex: stageIndex, place: place, matrixKeys: matrixKeys)
            return .boolean
        case .equals(let a, let b, let negated):
            let left = type(of: a, stageIndex: stageIndex, place: place, matrixKeys: matrixKeys)
            let right = type(of: b, stageIndex: stageIndex, place: place, matrixKeys: matrixKeys)
            if let left, let right, left != right {
                error(.conditionTypeMismatch(operator: negated ? "!=" : "==", left: left, right: right),
                      at: firstLocation(a) ?? firstLocation(b) ?? conditionStart)
                return nil
            }
            return .boolean
        case .call(let function, let arguments, let location):
            if function.isStatus {
                switch place {
                case .stage: break
                case .task: error(.statusFunctionOutsideStage(function.rawValue), at: location)
                case .step: if function == .cancelled { error(.cancelledOnStep, at: location) }
                }
            }
            for (position, argument) in arguments.enumerated() {
                if type(of: argument, stageIndex: stageIndex, place: place, matrixKeys: matrixKeys) == .boolean {
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
    private mutating func check(
        _ reference: ConditionReference, at location: SourceLocation, stageIndex current: Int, matrixKeys: [String]?
    ) {
        switch reference {
        case .variable(let name):
            check(.variable(name), at: location, scope: TemplateScope(key: "if", stageIndex: current))
        case .environment(let name):
            checkEnvironment(name, at: location)
        case .hostOS, .hostArch:
            break
        case .matrix(let key):
            check(.matrix(key), at: location, scope: TemplateScope(key: "if", stageIndex: current, matrixKeys: matrixKeys))
        case .taskOutput(let stage, let task, let name):
            // Whether the task declares `name` is checked after expansion, as for templates (`MatrixExpander`).
            check(.taskOutput(stage: stage, task: task, name: name), at: location, scope: TemplateScope(key: "if", stageIndex: current))
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
