/// Steps and outputs of a task.
extension Validator.Pass {
    mutating func stepsOf(_ node: Node, stageIndex: Int, matrixKeys: [String]?) -> [Workflow.Step] {
        guard let items = sequence(node, key: "steps") else { return [] }
        if items.isEmpty { error(.emptyList(key: "steps"), at: node.location) }
        var steps: [Workflow.Step] = []
        var firstSeen: [String: SourceLocation] = [:]
        let runScope = TemplateScope(key: "run", stageIndex: stageIndex, allowsArguments: true, matrixKeys: matrixKeys)
        for (index, item) in items.enumerated() {
            var step = Workflow.Step(name: String(index + 1), location: item.location, action: .sleep(.zero))
            switch item.value {
            case .scalar:
                guard let command = text(item, key: "steps[]") else { continue }
                step.action = .run(template(command, node: item, scope: runScope))
            case .sequence:
                error(.wrongType(key: "steps[]", expected: .task, found: .kind(.list)), at: item.location)
                continue
            case .mapping(let entries):
                if let retries = entries.first(where: { $0.key == "retries" }) {
                    error(.retriesOnStep, at: retries.keyLocation)
                }
                checkKeys(entries.filter { $0.key != "retries" }, allowed: stepKeys)
                let byKey = KeyedEntries(entries)
                if let entry = byKey["name"], let name = text(entry.value, key: "name"), checkName(name, kind: .step, at: entry.value.location) {
                    step.name = name
                }
                let actions = entries.filter { $0.key == "run" || $0.key == "sleep" }
                if actions.isEmpty {
                    if !isMisspelled("run", in: entries, allowed: stepKeys) && !isMisspelled("sleep", in: entries, allowed: stepKeys) {
                        error(.stepNoAction, at: item.location)
                    }
                } else if actions.count > 1 {
                    error(.stepMultipleActions(actions.map(\.key)), at: actions[1].keyLocation)
                }
                // The step's `env` is one more level: its `run` sees it, the next step does not.
                let levels = environmentLevels.count
                defer { environmentLevels.removeLast(environmentLevels.count - levels) }
                if let entry = byKey["env"] {
                    step.environment = environmentOf(entry.value, scope: TemplateScope(key: "env", stageIndex: stageIndex, matrixKeys: matrixKeys))
                }
                if let run = byKey["run"], let command = text(run.value, key: "run") {
                    step.action = .run(template(command, node: run.value, scope: runScope))
                } else if let sleep = byKey["sleep"], let seconds = duration(sleep.value, key: "sleep", allowsZero: false) {
                    step.action = .sleep(seconds)
                }
                if let entry = byKey["working-directory"], let path = text(entry.value, key: "working-directory") {
                    step.workingDirectory = template(path, node: entry.value, scope: TemplateScope(
                        key: "working-directory", stageIndex: stageIndex, matrixKeys: matrixKeys))
                }
                if let entry = byKey["if"] {
                    step.condition = condition(entry.value, stageIndex: stageIndex, place: .step, matrixKeys: matrixKeys)
                }
                if let entry = byKey["timeout"] { step.timeout = duration(entry.value, key: "timeout", allowsZero: false) }
                if let entry = byKey["continue-on-error"], let b = boolean(entry.value, key: "continue-on-error") { step.continueOnError = b }
                if let entry = byKey["name"] {
                    if let first = firstSeen[step.name] {
                        error(.duplicateName(kind: .step, name: step.name), at: entry.value.location,
                              notes: [.init(location: first, message: .firstDefinedHere)])
                    } else {
                        firstSeen[step.name] = entry.value.location
                    }
                }
            }
            steps.append(step)
        }
        return steps
    }

    mutating func outputsOf(_ node: Node) -> [String] {
        guard let items = sequence(node, key: "outputs") else { return [] }
        var names: [String] = []
        var firstSeen: [String: SourceLocation] = [:]
        for item in items {
            guard let name = text(item, key: "outputs") else { continue }
            guard OutputFile.isName(name) else {
                error(.invalidOutputName(DisplayText.escaped(name)), at: item.location)
                continue
            }
            if let first = firstSeen[name] {
                error(.duplicateName(kind: .output, name: name), at: item.location, notes: [.init(location: first, message: .firstDefinedHere)])
                continue
            }
            firstSeen[name] = item.location
            names.append(name)
        }
        return names
    }
}
