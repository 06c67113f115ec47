/// The sections of a workflow: defaults, vars, env, secrets, shell.
extension Validator.Pass {
    /// `defaults:` values that every task starts from.
    struct TaskDefaults {
        var shell = NamedShell.defaultArguments
        var shellIsExplicit = false
        var timeout: Duration?
        var retries = 0
        var workingDirectory: Template?
        var resources = TaskResources()
        /// The out-of-line fields every task starts from: one box shared by
        /// all tasks that change none of them.
        var details = Workflow.Task.Details.none
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
            case "resources": defaults.resources = resourcesOf(entry.value)
            case "working-directory":
                if let path = text(entry.value, key: "working-directory") {
                    defaults.workingDirectory = template(path, node: entry.value, scope: TemplateScope(key: "defaults.working-directory", stageIndex: nil))
                }
            default: break
            }
        }
        if defaults.workingDirectory != nil || defaults.resources != TaskResources() {
            var task = Workflow.Task(name: "", location: node.location, action: .sleep(.zero), environment: [],
                                     workingDirectory: defaults.workingDirectory, shell: [], timeout: nil, retries: 0,
                                     retryDelay: .zero, continueOnError: false)
            task.resources = defaults.resources
            defaults.details = task.details
        }
        return defaults
    }

    mutating func variablesOf(_ node: Node) -> [Workflow.Variable] {
        guard let entries = mapping(node, key: "vars") else { return [] }
        var result: [Workflow.Variable] = []
        for entry in entries {
            guard checkIdentifier(entry.key, at: entry.keyLocation, isEnvironment: false) else { continue }
            guard let value = text(entry.value, key: "vars.\(entry.key)") else { continue }
            if TemplateParser.holdsOpening(value) {
                error(.templateNotAllowed(key: "vars"), at: entry.value.location)
            }
            result.append(Workflow.Variable(name: entry.key, value: value, location: entry.keyLocation))
        }
        return result
    }

    /// An `env` mapping. Its names become a level that later templates see;
    /// the caller removes the level when its scope ends.
    mutating func environmentOf(_ node: Node, scope: TemplateScope) -> [Workflow.EnvironmentEntry] {
        guard let entries = mapping(node, key: "env") else { return [] }
        environmentLevels.append(Set(entries.lazy.map(\.key)))
        var result: [Workflow.EnvironmentEntry] = []
        for entry in entries {
            guard checkIdentifier(entry.key, at: entry.keyLocation, isEnvironment: true) else { continue }
            guard let value = text(entry.value, key: "env.\(entry.key)") else { continue }
            currentEnvironmentEntry = entry.key
            result.append(Workflow.EnvironmentEntry(
                name: entry.key, value: template(value, node: entry.value, scope: scope), location: entry.keyLocation))
            currentEnvironmentEntry = nil
        }
        checkCycles(result)
        return result
    }

    /// Entries of one mapping may use each other, in any order, but not in a circle.
    mutating func checkCycles(_ entries: [Workflow.EnvironmentEntry]) {
        var byName: [String: Int] = [:]
        for (index, entry) in entries.enumerated() { byName[entry.name] = index }
        // The references of each entry to other entries of the mapping, with where they are.
        let edges: [[(target: Int, location: SourceLocation)]] = entries.map { entry in
            entry.value.parts.compactMap { part in
                guard case .reference(.environment(let name), let location) = part, name != entry.name,
                      let target = byName[name] else { return nil }
                return (target, location)
            }
        }
        guard edges.contains(where: { !$0.isEmpty }) else { return }
        enum Mark { case unvisited, active, done }
        var marks = [Mark](repeating: .unvisited, count: entries.count)
        var path: [Int] = []
        func visit(_ index: Int) -> Bool {
            marks[index] = .active
            path.append(index)
            for edge in edges[index] {
                switch marks[edge.target] {
                case .active:
                    // Located at the reference that closes the circle.
                    let start = path.firstIndex(of: edge.target)!
                    let names = path[start...].map { entries[$0].name } + [entries[edge.target].name]
                    error(.environmentCycle(names), at: edge.location)
                    return true
                case .unvisited:
                    if visit(edge.target) { return true }
                case .done:
                    break
                }
            }
            path.removeLast()
            marks[index] = .done
            return false
        }
        for index in entries.indices where marks[index] == .unvisited {
            path = []
            if visit(index) { return }
        }
    }

    /// `dotenv: [FILE, {path: FILE, required: false}]`.
    mutating func dotenvOf(_ node: Node) -> [Workflow.DotenvFile] {
        guard let items = sequence(node, key: "dotenv") else { return [] }
        var files: [Workflow.DotenvFile] = []
        for item in items {
            if case .mapping(let entries) = item.value {
                checkKeys(entries, allowed: ["path", "required"])
                let byKey = KeyedEntries(entries)
                guard let pathEntry = byKey["path"] else {
                    if !isMisspelled("path", in: entries, allowed: ["path", "required"]) {
                        error(.missingKey(key: "path", in: .dotenv), at: item.location)
                    }
                    continue
                }
                guard let path = text(pathEntry.value, key: "dotenv.path") else { continue }
                let required = byKey["required"].flatMap { boolean($0.value, key: "dotenv.required") } ?? true
                files.append(Workflow.DotenvFile(path: path, required: required, location: pathEntry.value.location))
            } else if let path = text(item, key: "dotenv") {
                files.append(Workflow.DotenvFile(path: path, required: true, location: item.location))
            }
        }
        return files
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
