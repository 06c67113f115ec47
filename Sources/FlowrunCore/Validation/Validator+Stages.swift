/// Stages and tasks.
extension Validator.Pass {
    mutating func stageOf(_ node: Node, index: Int, header: StageHeader, defaults: TaskDefaults) -> Workflow.Stage? {
        var entries: [MappingEntry] = []
        var taskNodes: Node.Items?
        switch node.value {
        case .sequence(let items):
            taskNodes = items
            if items.isEmpty { error(.emptyList(key: "tasks"), at: node.location) }
        case .mapping(let list):
            entries = Array(list)
            checkKeys(entries, allowed: stageKeys)
            if let tasks = entries.first(where: { $0.hasKey("tasks") }) {
                taskNodes = sequence(tasks.value, key: "tasks")
                if case .sequence(let items) = tasks.value.value, items.isEmpty {
                    error(.emptyList(key: "tasks"), at: tasks.value.location)
                }
            } else if !isMisspelled("tasks", in: entries, allowed: stageKeys) {
                error(.missingKey(key: "tasks", in: .stage(header.name)), at: node.location)
            }
        case .scalar:
            let place = index < writtenPlaces.count ? writtenPlaces[index] : index
            error(.wrongType(key: "stages[\(place)]", expected: .stage, found: .kind(node.kind)), at: node.location)
            return nil
        }
        let byKey = KeyedEntries(entries)
        let description = byKey["description"].flatMap { text($0.value, key: "description") }
        let maxParallel = byKey["max-parallel"].flatMap { integer($0.value, key: "max-parallel", range: 1...1_000_000) }
        let failFast = byKey["fail-fast"].flatMap { boolean($0.value, key: "fail-fast") } ?? true
        let levels = environmentLevels.count
        defer { environmentLevels.removeLast(environmentLevels.count - levels) }
        let environment = byKey["env"].map { environmentOf($0.value, scope: TemplateScope(key: "env", stageIndex: index)) } ?? []
        var tasks: [Workflow.Task] = []
        tasks.reserveCapacity(taskNodes?.count ?? 0)
        for (taskIndex, taskNode) in (taskNodes ?? Node.Items.none).enumerated() {
            let name = taskIndex < header.taskNames.count ? header.taskNames[taskIndex] : nil
            if let task = taskOf(taskNode, name: name ?? String(taskIndex + 1), stageIndex: index, defaults: defaults) {
                tasks.append(task)
            }
        }
        var stage = Workflow.Stage(
            name: header.name, location: node.location, description: description, maxParallel: maxParallel,
            failFast: failFast, environment: environment, tasks: tasks)
        if let entry = byKey["executor"], let kind = executorKindOf(entry.value, key: "executor") {
            stage.executor = kind
        }
        if let entry = byKey["if"] { stage.condition = condition(entry.value, stageIndex: index, place: .stage) }
        return stage
    }

    mutating func taskOf(_ node: Node, name: String, stageIndex: Int, defaults: TaskDefaults) -> Workflow.Task? {
        var task = Workflow.Task(
            name: name, location: node.location, action: .sleep(.zero), environment: [],
            workingDirectory: nil, shell: defaults.shell, timeout: defaults.timeout,
            retries: defaults.retries, retryDelay: .zero, continueOnError: false)
        // `defaults.working-directory` and `defaults.resources`, in the box all tasks share.
        task.details = defaults.details
        task.shellIsExplicit = defaults.shellIsExplicit
        var scope = TemplateScope(key: "run", stageIndex: stageIndex, allowsArguments: true)
        switch node.value {
        case .scalar:
            guard let command = text(node, key: "task") else { return nil }
            task.action = .run(template(command, node: node, scope: scope))
            return task
        case .sequence:
            error(.wrongType(key: "task", expected: .task, found: .kind(.list)), at: node.location)
            return nil
        case .mapping(let entries):
            let byKey = KeyedEntries(entries)
            checkKeys(byKey, allowed: taskKeyList)
            let isAction = { (entry: MappingEntry) in entry.hasKey("run") || entry.hasKey("sleep") || entry.hasKey("steps") }
            let actionCount = (byKey["run"] == nil ? 0 : 1) + (byKey["sleep"] == nil ? 0 : 1) + (byKey["steps"] == nil ? 0 : 1)
            if actionCount == 0 {
                if !["run", "sleep", "steps"].contains(where: { isMisspelled($0, in: entries, allowed: taskKeys) }) {
                    error(.noAction, at: node.location)
                }
            } else if actionCount > 1 {
                let actions = entries.filter(isAction)
                error(.multipleActions(actions.map(\.key)), at: actions[1].keyLocation)
            }
            let matrixEntry = byKey["matrix"]
            if let matrixEntry {
                task.matrix = matrixOf(matrixEntry.value, stageIndex: stageIndex)
                scope.matrixKeys = task.matrix?.axes.map(\.name) ?? []
                if let entry = byKey["name"], case .scalar(let scalar) = entry.value.value, scalar.text.contains("${{") {
                    task.nameTemplate = nameTemplateOf(scalar.text, node: entry.value, stageIndex: stageIndex, matrixKeys: scope.matrixKeys)
                }
            }
            let matrixKeys = scope.matrixKeys
            // `env` first: `run` and the rest see the task's own level.
            let levels = environmentLevels.count
            defer { environmentLevels.removeLast(environmentLevels.count - levels) }
            if let entry = byKey["env"] {
                task.environment = environmentOf(entry.value, scope: TemplateScope(key: "env", stageIndex: stageIndex, matrixKeys: matrixKeys))
            }
            if let entry = byKey["if"] { task.condition = condition(entry.value, stageIndex: stageIndex, place: .task, matrixKeys: matrixKeys) }
            if let run = byKey["run"], let command = text(run.value, key: "run") {
                task.action = .run(template(command, node: run.value, scope: scope))
            } else if let sleep = byKey["sleep"], let seconds = duration(sleep.value, key: "sleep", allowsZero: false) {
                task.action = .sleep(seconds)
            } else if let entry = byKey["steps"] {
                task.action = .steps(stepsOf(entry.value, stageIndex: stageIndex, matrixKeys: matrixKeys))
            }
            // Most tasks set none of these: one test skips their lookups.
            if byKey.mayHave(any: rareTaskKeysBeforeTimeout) {
                if let entry = byKey["working-directory"], let path = text(entry.value, key: "working-directory") {
                    task.workingDirectory = template(path, node: entry.value, scope: TemplateScope(
                        key: "working-directory", stageIndex: stageIndex, matrixKeys: matrixKeys))
                }
                if let entry = byKey["shell"], let shell = shellOf(entry.value) {
                    task.shell = shell
                    task.shellIsExplicit = true
                }
                if let entry = byKey["outputs"] { task.outputs = outputsOf(entry.value) }
                if let entry = byKey["interactive"], let b = boolean(entry.value, key: "interactive") { task.interactive = b }
                if let entry = byKey["resources"] { task.resources = resourcesOf(entry.value).over(defaults.resources) }
                if let entry = byKey["executor"], let kind = executorKindOf(entry.value, key: "executor") { task.executor = kind }
            }
            if let entry = byKey["timeout"] { task.timeout = duration(entry.value, key: "timeout", allowsZero: false) }
            if byKey.mayHave(any: rareTaskKeysAfterTimeout) {
                if let entry = byKey["retries"], let n = integer(entry.value, key: "retries", range: 0...100) { task.retries = n }
                if let entry = byKey["retry-delay"], let d = duration(entry.value, key: "retry-delay", allowsZero: true) { task.retryDelay = d }
                if let entry = byKey["continue-on-error"], let b = boolean(entry.value, key: "continue-on-error") { task.continueOnError = b }
                if let entry = byKey["sources"] { task.sources = globsOf(entry.value, key: "sources") }
                if let entry = byKey["generates"] { task.generates = globsOf(entry.value, key: "generates") }
                if let entry = byKey["result"], let text = text(entry.value, key: "result") {
                    task.result = template(text, node: entry.value, scope: TemplateScope(
                        key: "result", stageIndex: stageIndex, allowsOwnOutput: true, matrixKeys: matrixKeys))
                }
            }
            return task
        }
    }
}
