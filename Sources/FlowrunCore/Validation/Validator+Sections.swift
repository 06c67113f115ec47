/// The sections of a workflow: defaults, vars, env, secrets, shell.
extension Validator.Pass {
    /// `defaults:` values that every task starts from.
    struct TaskDefaults {
        var shell = NamedShell.defaultArguments
        var shellIsExplicit = false
        var timeout: Duration?
        var retries = 0
        var workingDirectory: Template?
    }

    mutating func defaultsOf(_ node: Node) -> TaskDefaults {
        var defaults = TaskDefaults()
        guard let entries = mapping(node, key: "defaults") else { return defaults }
        checkKeys(entries, allowed: defaultsKeys)
        for entry in entries {
            switch entry.key {
            case "shell":
                if let shell = shellOf(entry.value) {
                    defaults.shell = shell
                    defaults.shellIsExplicit = true
                }
            case "timeout": defaults.timeout = duration(entry.value, key: "timeout", allowsZero: false)
            case "retries": if let n = integer(entry.value, key: "retries", range: 0...100) { defaults.retries = n }
            case "working-directory":
                if let path = text(entry.value, key: "working-directory") {
                    defaults.workingDirectory = template(path, node: entry.value, scope: TemplateScope(key: "defaults.working-directory", stageIndex: nil))
                }
            default: break
            }
        }
        return defaults
    }

    mutating func variablesOf(_ node: Node) -> [Workflow.Variable] {
        guard let entries = mapping(node, key: "vars") else { return [] }
        var result: [Workflow.Variable] = []
        for entry in entries {
            guard checkIdentifier(entry.key, at: entry.keyLocation, isEnvironment: false) else { continue }
            guard let value = text(entry.value, key: "vars.\(entry.key)") else { continue }
            if value.contains("${{") {
                error(.templateNotAllowed(key: "vars"), at: entry.value.location)
            }
            result.append(Workflow.Variable(name: entry.key, value: value, location: entry.keyLocation))
        }
        return result
    }

    mutating func environmentOf(_ node: Node, scope: TemplateScope) -> [Workflow.EnvironmentEntry] {
        guard let entries = mapping(node, key: "env") else { return [] }
        var result: [Workflow.EnvironmentEntry] = []
        for entry in entries {
            guard checkIdentifier(entry.key, at: entry.keyLocation, isEnvironment: true) else { continue }
            guard let value = text(entry.value, key: "env.\(entry.key)") else { continue }
            result.append(Workflow.EnvironmentEntry(
                name: entry.key, value: template(value, node: entry.value, scope: scope), location: entry.keyLocation))
        }
        return result
    }

    mutating func secretsOf(
        _ node: Node, variables: [Workflow.Variable], environment: [Workflow.EnvironmentEntry], stages: [Workflow.Stage]
    ) -> [String] {
        guard let items = sequence(node, key: "secrets") else { return [] }
        var known = Set(variables.map(\.name)).union(environment.map(\.name))
        for stage in stages {
            known.formUnion(stage.environment.map(\.name))
            for task in stage.tasks { known.formUnion(task.environment.map(\.name)) }
        }
        var names: [String] = []
        for item in items {
            guard let name = text(item, key: "secrets") else { continue }
            if known.contains(name) {
                names.append(name)
            } else {
                error(.undefinedSecret(name, suggestion: Spelling.closest(to: name, among: known)), at: item.location)
            }
        }
        return names
    }

    mutating func shellOf(_ node: Node) -> [String]? {
        switch node.value {
        case .scalar(let scalar):
            guard let named = NamedShell(rawValue: scalar.text) else {
                error(.invalidShell(scalar.text), at: node.location)
                return nil
            }
            return named.arguments
        case .sequence(let items):
            let words = items.compactMap { text($0, key: "shell") }
            guard words.count == items.count else { return nil }
            guard let first = words.first, !first.isEmpty else {
                error(.invalidShell("[]"), at: node.location)
                return nil
            }
            return words
        case .mapping:
            error(.wrongType(key: "shell", expected: .shell, found: .kind(.mapping)), at: node.location)
            return nil
        }
    }
}
