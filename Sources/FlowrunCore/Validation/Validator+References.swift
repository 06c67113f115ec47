/// Templates and the references in them.
extension Validator.Pass {
    mutating func template(_ text: String, node: Node, scope: TemplateScope) -> Template {
        var start = node.location
        var openings: [SourceLocation]?
        if let style = node.scalarStyle {
            if style == .quoted { start.column += 1 }
            if let source, TemplateParser.holdsOpening(text) {
                if let range = node.scalarSourceRange {
                    openings = TemplateParser.openings(in: source.bytes, range: range, start: node.location)
                } else {
                    // Read through an alias: the text is at the anchor; point at the alias.
                    let count = TemplateParser.openingOffsets(Array(text.utf8)).count
                    openings = Array(repeating: node.location, count: count)
                }
            }
        }
        let (template, problems) = templateParser.parse(text, start: start, openings: openings)
        diagnostics.append(contentsOf: problems)
        if template.hasReferences {
            for part in template.parts {
                guard case .reference(let reference, let location) = part else { continue }
                check(reference, at: location, scope: scope)
            }
        }
        if scope.key == "run" { checkQuoting(template) }
        return template
    }

    mutating func check(_ reference: Reference, at location: SourceLocation, scope: TemplateScope) {
        switch reference {
        case .variable(let name):
            usedVariables.insert(name)
            if !variableNames.contains(name) {
                error(.unknownVariable(name, suggestion: Spelling.closest(to: name, among: variableNames)), at: location)
            }
        case .environment(let name):
            checkEnvironment(name, at: location)
        case .workflowName:
            break
        case .stageName, .taskName:
            break
        case .ownOutput(let output):
            if !scope.allowsOwnOutput { error(.ownOutputOutsideResult(output.rawValue), at: location) }
        case .arguments:
            if !scope.allowsArguments { error(.argumentsOutsideRun(key: scope.key), at: location) }
        case .matrix(let key):
            guard let keys = scope.matrixKeys else {
                error(.matrixOutsideMatrixTask(key: key), at: location)
                return
            }
            if !keys.contains(key) { error(.unknownMatrixKey(key, suggestion: Spelling.closest(to: key, among: keys)), at: location) }
        case .taskResult(let stage, let task), .taskResults(let stage, let task), .taskOutput(let stage, let task, _):
            checkTaskReference(stage: stage, task: task, at: location, scope: scope)
        }
    }

    /// An earlier stage's task: the stage must exist and run earlier; the task
    /// must exist, unless the stage has a matrix whose instances may bear the name
    /// (`MatrixExpander` checks those, and outputs, once instances are named).
    mutating func checkTaskReference(stage: String, task: String, at location: SourceLocation, scope: TemplateScope) {
        guard let index = stageIndexByName[stage] else {
            if let included = includedStageByName[stage] {
                checkIncludedTaskReference(included, task: task, at: location, scope: scope)
                return
            }
            error(.unknownStage(stage, suggestion: Spelling.closest(to: stage, among: knownStageNames)), at: location)
            return
        }
        guard let current = scope.stageIndex else {
            error(.resultOutsideStage(key: scope.key), at: location)
            return
        }
        if index == current {
            error(.resultOfSameStage(stage: stage), at: location)
        } else if index > current {
            error(.resultOfLaterStage(stage: stage), at: location)
        } else if taskNamesByStage[index][task] == nil, !stagesWithMatrix.contains(index) {
            error(.unknownTask(stage: stage, task: task, suggestion: Spelling.closest(to: task, among: taskNamesByStage[index].keys)), at: location)
        }
    }

    /// Warns of a reference inside shell quotes in `run`: its value is
    /// inserted as one quoted word, so `"x ${{ v }}"` would print the quotes.
    mutating func checkQuoting(_ template: Template) {
        guard template.partCount > 1 else { return }
        var quote: Character?
        var escaped = false
        for part in template.parts {
            switch part {
            case .literal(let text):
                for character in text {
                    if escaped { escaped = false; continue }
                    switch (quote, character) {
                    case (nil, "\\"), ("\"", "\\"): escaped = true
                    case (nil, "'"), (nil, "\""): quote = character
                    case ("'", "'"), ("\"", "\""): quote = nil
                    default: break
                    }
                }
            case .reference(let reference, let location):
                escaped = false
                if let quote {
                    diagnostics.append(.warning(.templateInsideQuotes(reference.description, quote: quote), at: location))
                }
            }
        }
    }

    /// Warns, once per name, of `env.NAME` that neither flowrun's environment nor a level sets.
    mutating func checkEnvironment(_ name: String, at location: SourceLocation) {
        guard let processEnvironment, !processEnvironment.contains(name) else { return }
        for (depth, level) in environmentLevels.enumerated().reversed() {
            // Inside entry X, `env.X` is the value from the level below.
            if depth == environmentLevels.count - 1, currentEnvironmentEntry == name { continue }
            if level.contains(name) { return }
        }
        if warnedEnvironment.insert(name).inserted {
            diagnostics.append(.warning(.environmentVariableUnset(name), at: location))
        }
    }
}
