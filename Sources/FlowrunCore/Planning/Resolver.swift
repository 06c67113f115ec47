/// Fills templates with what is known before running.
struct Resolver {
    /// The names `stage.name` and `task.name` stand for.
    struct Names {
        var stage: String
        var task: String
        /// A static instance's values; nil leaves `matrix` holes for a dynamic matrix.
        var matrix: [Workflow.MatrixValue]? = []
    }

    let workflow: Workflow
    let variables: [String: String]
    /// flowrun's own environment, the level below all others.
    let environment: [String: String]
    /// The words after `--` on `flowrun run`'s command line.
    var arguments: [String] = []
    /// `Planner.Options.leavesMatrixHoles`: a static instance's `matrix.KEY` stays a hole too.
    var leavesMatrixHoles = false

    init(workflow: Workflow, variables: [String: String], environment: [String: String]) {
        self.workflow = workflow
        self.variables = variables
        self.environment = environment
    }

    /// Adds one `env` mapping to `scope`. An entry sees the levels below and
    /// the other entries of its mapping (in the order their references need:
    /// the validator has ruled out cycles); `env.X` inside `X` itself reads the level below.
    func push(_ entries: [Workflow.EnvironmentEntry], names: Names, onto scope: inout EnvironmentScope) {
        guard !entries.isEmpty else { return }
        let outer = scope
        var byName: [String: Int] = [:]
        for (index, entry) in entries.enumerated() { byName[entry.name] = index }
        var done: [String: PlannedText] = [:]
        var visiting: Set<String> = []
        func value(_ index: Int) -> PlannedText {
            let entry = entries[index]
            if let known = done[entry.name], byName[entry.name] == index { return known }
            visiting.insert(entry.name)
            let text = resolve(entry.value, names: names, quoting: false) { name in
                if name != entry.name, let other = byName[name], !visiting.contains(name) { return value(other) }
                return lookUp(name, in: outer)
            }
            visiting.remove(entry.name)
            if byName[entry.name] == index { done[entry.name] = text }
            return text
        }
        for index in entries.indices { scope.set(entries[index].name, value(index)) }
    }

    /// Resolves `template` with `env.NAME` read from `environment`.
    func resolve(_ template: Template, names: Names, quoting: Bool, environment scope: EnvironmentScope) -> PlannedText {
        resolve(template, names: names, quoting: quoting) { lookUp($0, in: scope) }
    }

    private func lookUp(_ name: String, in scope: EnvironmentScope) -> PlannedText {
        if let value = scope[name] { return value }
        // Unset everywhere: empty, as the validator has warned.
        return PlannedText(literal: environment[name] ?? "")
    }

    private func resolve(
        _ template: Template, names: Names, quoting: Bool, environment: (String) -> PlannedText
    ) -> PlannedText {
        var parts: [PlannedText.Part] = []
        func append(_ text: String) {
            if case .text(let previous)? = parts.last {
                parts[parts.count - 1] = .text(previous + text)
            } else if !text.isEmpty {
                parts.append(.text(text))
            }
        }
        for part in template.parts {
            switch part {
            case .literal(let text):
                append(text)
            case .reference(let reference, _):
                let value: String
                switch reference {
                case .variable(let name): value = variables[name] ?? ""
                case .environment(let name):
                    // A value holding run-time results stays one word: each
                    // piece is quoted, and adjacent quoted pieces join in sh.
                    let found = environment(name)
                    if found.parts.isEmpty, quoting { append(ShellQuote.word("")) }
                    for piece in found.parts {
                        if case .text(let text) = piece { append(quoting ? ShellQuote.word(text) : text) } else { parts.append(piece) }
                    }
                    continue
                case .workflowName: value = workflow.name
                case .stageName: value = names.stage
                case .taskName: value = names.task
                case .taskResult(let stage, let task):
                    parts.append(.taskResult(stage: stage, task: task))
                    continue
                case .ownOutput(let output):
                    parts.append(.ownOutput(output))
                    continue
                case .taskResults(let stage, let task):
                    parts.append(.taskResults(stage: stage, task: task))
                    continue
                case .taskOutput(let stage, let task, let name):
                    parts.append(.taskOutput(stage: stage, task: task, name: name))
                    continue
                case .matrix(let key):
                    guard let values = names.matrix, !leavesMatrixHoles else {
                        parts.append(.matrix(key))
                        continue
                    }
                    value = values.first { $0.name == key }?.value ?? ""
                case .arguments:
                    // Each word quoted on its own; no words, no text at all (not `''`).
                    append(arguments.map(quoting ? ShellQuote.word : { $0 }).joined(separator: " "))
                    continue
                }
                append(quoting ? ShellQuote.word(value) : value)
            }
        }
        return PlannedText(parts: parts, quotesValues: quoting)
    }

    /// A condition with its plan-time values filled in: vars, env (as it stands at
    /// that level; run-time results in it count as empty) and the host.
    /// `matrix`: a static instance's values; nil leaves `matrix.KEY` for a dynamic matrix's expansion.
    func resolve(_ condition: Condition, environment scope: EnvironmentScope, matrix: [Workflow.MatrixValue]? = []) -> Condition {
        condition.substituting { reference in
            switch reference {
            case .matrix(let key): leavesMatrixHoles ? nil : matrix.map { values in values.first { $0.name == key }?.value ?? "" }
            case .variable(let name): variables[name] ?? ""
            case .environment(let name): lookUp(name, in: scope).render { _ in "" }
            case .hostOS: Host.os
            case .hostArch: Host.arch
            case .taskResult, .taskOutput, .taskState, .stageState: nil
            }
        }
    }
}
