/// Turns a located node tree into a `Workflow`, reporting every problem it
/// finds rather than stopping at the first.
public struct Validator: Sendable {
    /// Longest stage or task name; keeps hostile files from making huge reports.
    public static let maxNameLength = 256

    public init() {}

    /// Validates `root`. Returns a workflow only when no error was found.
    /// - Parameters:
    ///   - directory: the folder relative working directories start from.
    ///   - defaultName: the workflow's name when the file gives none.
    ///   - source: the text `root` was read from; with it, expressions inside
    ///     escaped or multi-line scalars are located exactly.
    public func validate(
        _ root: Node, directory: String, defaultName: String, source: SourceText? = nil
    ) -> (Workflow?, [Diagnostic]) {
        var walk = Walk()
        walk.source = source
        let workflow = walk.workflow(root, directory: directory, defaultName: defaultName)
        let hasError = walk.diagnostics.contains { $0.severity == .error }
        return (hasError ? nil : workflow, walk.diagnostics)
    }
}

private let workflowKeys = ["version", "name", "description", "vars", "env", "secrets", "defaults", "max-parallel", "stages"]
private let defaultsKeys = ["shell", "timeout", "retries", "working-directory"]
private let stageKeys = ["name", "description", "max-parallel", "fail-fast", "env", "tasks"]
private let taskKeys = [
    "name", "run", "sleep", "env", "working-directory", "shell", "timeout", "retries", "retry-delay",
    "continue-on-error", "result", "steps", "matrix", "outputs", "interactive",
]
private let stepKeys = ["name", "run", "sleep", "env", "working-directory", "timeout", "continue-on-error"]

/// Where a template sits, which decides what it may refer to.
private struct TemplateScope {
    var key: String
    /// Index of the stage whose task uses the template; nil at workflow level.
    var stageIndex: Int?
    var allowsOwnOutput = false
    /// `${{ args }}` is allowed only in `run` (a task's or a step's).
    var allowsArguments = false
    /// The keys of the task's matrix; nil outside a matrix task.
    var matrixKeys: [String]?
}

/// The mutable state of one validation pass.
private struct Walk {
    var diagnostics: [Diagnostic] = []
    var stageIndexByName: [String: Int] = [:]
    var taskNamesByStage: [Set<String>] = []
    /// Stages with a matrix task: a reference to a name not among their tasks
    /// may name an instance, which `MatrixExpander` checks once names are known.
    var stagesWithMatrix: Set<Int> = []
    var variableNames: [String] = []
    var usedVariables: Set<String> = []
    var templateParser = TemplateParser(stageNames: [])
    var source: SourceText?

    mutating func error(_ message: DiagnosticMessage, at location: SourceLocation, notes: [Diagnostic.Note] = []) {
        diagnostics.append(.error(message, at: location, notes: notes))
    }

    // MARK: Workflow

    mutating func workflow(_ root: Node, directory: String, defaultName: String) -> Workflow? {
        guard let entries = mapping(root, key: "workflow") else { return nil }
        checkKeys(entries, allowed: workflowKeys)
        let byKey = KeyedEntries(entries)

        if let version = byKey["version"] {
            if case .scalar(let s) = version.value.value, case .int(let v) = s.resolved {
                if v != 1 { error(.unsupportedVersion(s.text), at: version.value.location) }
            } else {
                // `version: "1"` must not read "unsupported version `1`; this flowrun reads version 1".
                error(.wrongType(key: "version", expected: "the number 1",
                                 found: "`\(scalarText(version.value))` (\(version.value.kindDescription))"),
                      at: version.value.location)
            }
        }
        var name = defaultName
        if let entry = byKey["name"], let text = text(entry.value, key: "name") {
            // Free text, but shown in every report: no control or bidi characters.
            if DisplayText.escaped(text, limit: .max) != text {
                error(.unprintableName(kind: "workflow", name: DisplayText.escaped(text)), at: entry.value.location)
            } else if text.unicodeScalars.count > Validator.maxNameLength {
                error(.nameTooLong(kind: "workflow", limit: Validator.maxNameLength), at: entry.value.location)
            } else {
                name = text
            }
        }
        let description = byKey["description"].flatMap { text($0.value, key: "description") }
        let maxParallel = byKey["max-parallel"].flatMap { integer($0.value, key: "max-parallel", range: 1...1_000_000) }

        // Names of stages and tasks first, so templates anywhere can refer to them.
        let stageNodes: [Node]
        if let entry = byKey["stages"] {
            stageNodes = sequence(entry.value, key: "stages") ?? []
            if case .sequence(let items) = entry.value.value, items.isEmpty {
                error(.emptyList(key: "stages"), at: entry.value.location)
            }
        } else if !isMisspelled("stages", in: entries, allowed: workflowKeys) {
            error(.missingKey(key: "stages", in: "the workflow"), at: root.location)
            stageNodes = []
        } else {
            stageNodes = []
        }
        let headers = stageHeaders(stageNodes)
        templateParser = TemplateParser(stageNames: Set(stageIndexByName.keys))

        let variables = byKey["vars"].map { variablesOf($0.value) } ?? []
        variableNames = variables.map(\.name)
        let environment = byKey["env"].map { environmentOf($0.value, scope: TemplateScope(key: "env")) } ?? []
        var defaults = TaskDefaults()
        if let entry = byKey["defaults"] { defaults = defaultsOf(entry.value) }
        var stages: [Workflow.Stage] = []
        for (index, node) in stageNodes.enumerated() {
            if let stage = stageOf(node, index: index, header: headers[index], defaults: defaults) {
                stages.append(stage)
            }
        }
        let secrets = byKey["secrets"].map { secretsOf($0.value, variables: variables, environment: environment, stages: stages) } ?? []
        for variable in variables where !usedVariables.contains(variable.name) {
            diagnostics.append(.warning(.unusedVariable(variable.name), at: variable.location))
        }
        return Workflow(
            name: name, description: description, variables: variables, environment: environment,
            secrets: secrets, maxParallel: maxParallel, stages: stages, directory: directory)
    }

    /// A stage's name and the names of its tasks, read before anything else.
    struct StageHeader {
        var name: String
        var taskNames: [String?]
    }

    mutating func stageHeaders(_ nodes: [Node]) -> [StageHeader] {
        var firstSeen: [String: SourceLocation] = [:]
        var headers: [StageHeader] = []
        for (index, node) in nodes.enumerated() {
            var name = String(index + 1)
            var nameLocation = node.location
            var taskNodes: [Node] = []
            switch node.value {
            case .sequence(let items):
                taskNodes = items
            case .mapping(let entries):
                if let entry = entries.first(where: { $0.key == "name" }) {
                    nameLocation = entry.value.location
                    if let text = text(entry.value, key: "name"), checkName(text, kind: "stage", at: entry.value.location) {
                        name = text
                    }
                } else {
                    // Only the list shorthand is named by position; a written-out stage names itself.
                    error(.missingKey(key: "name", in: "stage \(index + 1)"), at: node.location)
                }
                if let tasks = entries.first(where: { $0.key == "tasks" }), case .sequence(let items) = tasks.value.value {
                    taskNodes = items
                }
            case .scalar:
                break
            }
            if let first = firstSeen[name] {
                error(.duplicateName(kind: "stage", name: name), at: nameLocation,
                      notes: [.init(location: first, message: "first defined here")])
            } else {
                firstSeen[name] = nameLocation
                stageIndexByName[name] = index
            }
            headers.append(StageHeader(name: name, taskNames: taskHeaderNames(taskNodes)))
            if taskNodes.contains(where: { node in
                if case .mapping(let entries) = node.value { entries.contains { $0.key == "matrix" } } else { false }
            }) {
                stagesWithMatrix.insert(index)
            }
            taskNamesByStage.append(Set(headers[index].taskNames.compactMap { $0 }))
        }
        return headers
    }

    /// Task names by position (nil where the name is invalid), duplicates reported.
    mutating func taskHeaderNames(_ nodes: [Node]) -> [String?] {
        var firstSeen: [String: SourceLocation] = [:]
        var names: [String?] = []
        for (index, node) in nodes.enumerated() {
            var name: String? = String(index + 1)
            var location = node.location
            if case .mapping(let entries) = node.value, let entry = entries.first(where: { $0.key == "name" }) {
                location = entry.value.location
                let isMatrix = entries.contains { $0.key == "matrix" }
                if isMatrix, case .scalar(let scalar) = entry.value.value, scalar.text.contains("${{") {
                    // A name template: checked with the task; its fixed prefix names the matrix task.
                    name = Self.matrixBaseName(scalar.text) ?? String(index + 1)
                } else if let text = text(entry.value, key: "name"), checkName(text, kind: "task", at: entry.value.location) {
                    name = text
                } else {
                    name = nil
                }
            }
            if let name {
                if let first = firstSeen[name] {
                    error(.duplicateName(kind: "task", name: name), at: location,
                          notes: [.init(location: first, message: "first defined here")])
                } else {
                    firstSeen[name] = location
                }
            }
            names.append(name)
        }
        return names
    }

    // MARK: Stages and tasks

    mutating func stageOf(_ node: Node, index: Int, header: StageHeader, defaults: TaskDefaults) -> Workflow.Stage? {
        var entries: [MappingEntry] = []
        var taskNodes: [Node] = []
        switch node.value {
        case .sequence(let items):
            taskNodes = items
            if items.isEmpty { error(.emptyList(key: "tasks"), at: node.location) }
        case .mapping(let list):
            entries = list
            checkKeys(entries, allowed: stageKeys)
            if let tasks = entries.first(where: { $0.key == "tasks" }) {
                taskNodes = sequence(tasks.value, key: "tasks") ?? []
                if case .sequence(let items) = tasks.value.value, items.isEmpty {
                    error(.emptyList(key: "tasks"), at: tasks.value.location)
                }
            } else if !isMisspelled("tasks", in: entries, allowed: stageKeys) {
                error(.missingKey(key: "tasks", in: "stage `\(header.name)`"), at: node.location)
            }
        case .scalar:
            error(.wrongType(key: "stages[\(index)]", expected: "a mapping or a list of tasks", found: node.kindDescription), at: node.location)
            return nil
        }
        let byKey = KeyedEntries(entries)
        let description = byKey["description"].flatMap { text($0.value, key: "description") }
        let maxParallel = byKey["max-parallel"].flatMap { integer($0.value, key: "max-parallel", range: 1...1_000_000) }
        let failFast = byKey["fail-fast"].flatMap { boolean($0.value, key: "fail-fast") } ?? true
        let environment = byKey["env"].map { environmentOf($0.value, scope: TemplateScope(key: "env", stageIndex: index)) } ?? []
        var tasks: [Workflow.Task] = []
        for (taskIndex, taskNode) in taskNodes.enumerated() {
            let name = taskIndex < header.taskNames.count ? header.taskNames[taskIndex] : nil
            if let task = taskOf(taskNode, name: name ?? String(taskIndex + 1), stageIndex: index, defaults: defaults) {
                tasks.append(task)
            }
        }
        return Workflow.Stage(
            name: header.name, location: node.location, description: description, maxParallel: maxParallel,
            failFast: failFast, environment: environment, tasks: tasks)
    }

    mutating func taskOf(_ node: Node, name: String, stageIndex: Int, defaults: TaskDefaults) -> Workflow.Task? {
        var task = Workflow.Task(
            name: name, location: node.location, action: .sleep(.zero), environment: [],
            workingDirectory: defaults.workingDirectory, shell: defaults.shell, timeout: defaults.timeout,
            retries: defaults.retries, retryDelay: .zero, continueOnError: false, result: nil)
        let scope = TemplateScope(key: "run", stageIndex: stageIndex, allowsArguments: true)
        switch node.value {
        case .scalar:
            guard let command = text(node, key: "task") else { return nil }
            task.action = .run(template(command, node: node, scope: scope))
            return task
        case .sequence:
            error(.wrongType(key: "task", expected: "a mapping or a command string", found: "a list"), at: node.location)
            return nil
        case .mapping(let entries):
            checkKeys(entries, allowed: taskKeys)
            let byKey = KeyedEntries(entries)
            let actions = entries.filter { $0.key == "run" || $0.key == "sleep" || $0.key == "steps" }
            if actions.isEmpty {
                if !["run", "sleep", "steps"].contains(where: { isMisspelled($0, in: entries, allowed: taskKeys) }) {
                    error(.noAction, at: node.location)
                }
            } else if actions.count > 1 {
                error(.multipleActions(actions.map(\.key)), at: actions[1].keyLocation)
            }
            var scope = scope
            if let entry = byKey["matrix"] {
                task.matrix = matrixOf(entry.value, stageIndex: stageIndex)
                scope.matrixKeys = task.matrix?.axes.map(\.name) ?? []
            }
            let matrixKeys = scope.matrixKeys
            scope.allowsArguments = true
            if let entry = byKey["name"], case .scalar(let scalar) = entry.value.value, scalar.text.contains("${{"), byKey["matrix"] != nil {
                task.nameTemplate = nameTemplateOf(scalar.text, node: entry.value, stageIndex: stageIndex, matrixKeys: matrixKeys)
            }
            if let run = byKey["run"], let command = text(run.value, key: "run") {
                task.action = .run(template(command, node: run.value, scope: scope))
            } else if let sleep = byKey["sleep"], let seconds = duration(sleep.value, key: "sleep", allowsZero: false) {
                task.action = .sleep(seconds)
            } else if let entry = byKey["steps"] {
                task.action = .steps(stepsOf(entry.value, stageIndex: stageIndex, matrixKeys: matrixKeys))
            }
            if let entry = byKey["env"] {
                task.environment = environmentOf(entry.value, scope: TemplateScope(key: "env", stageIndex: stageIndex, matrixKeys: matrixKeys))
            }
            if let entry = byKey["working-directory"], let path = text(entry.value, key: "working-directory") {
                task.workingDirectory = template(path, node: entry.value, scope: TemplateScope(key: "working-directory", stageIndex: stageIndex, matrixKeys: matrixKeys))
            }
            if let entry = byKey["outputs"] { task.outputs = outputsOf(entry.value) }
            if let entry = byKey["interactive"], let b = boolean(entry.value, key: "interactive") { task.interactive = b }
            if let entry = byKey["shell"], let shell = shellOf(entry.value) { task.shell = shell }
            if let entry = byKey["timeout"] { task.timeout = duration(entry.value, key: "timeout", allowsZero: false) }
            if let entry = byKey["retries"], let n = integer(entry.value, key: "retries", range: 0...100) { task.retries = n }
            if let entry = byKey["retry-delay"], let d = duration(entry.value, key: "retry-delay", allowsZero: true) { task.retryDelay = d }
            if let entry = byKey["continue-on-error"], let b = boolean(entry.value, key: "continue-on-error") { task.continueOnError = b }
            if let entry = byKey["result"], let text = text(entry.value, key: "result") {
                task.result = template(text, node: entry.value, scope: TemplateScope(
                    key: "result", stageIndex: stageIndex, allowsOwnOutput: true, matrixKeys: matrixKeys))
            }
            return task
        }
    }

    // MARK: Sections

    /// `defaults:` values that every task starts from.
    struct TaskDefaults {
        var shell = NamedShell.defaultArguments
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
            case "shell": if let shell = shellOf(entry.value) { defaults.shell = shell }
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
            error(.wrongType(key: "shell", expected: "`sh`, `bash` or a list of strings", found: "a mapping"), at: node.location)
            return nil
        }
    }

    // MARK: Templates

    mutating func template(_ text: String, node: Node, scope: TemplateScope) -> Template {
        var start = node.location
        var openings: [SourceLocation]?
        if case .scalar(let scalar) = node.value {
            if scalar.style == .quoted { start.column += 1 }
            if let source, text.contains("${{") {
                if let range = scalar.sourceRange {
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
        for part in template.parts {
            guard case .expression(let expression, let location) = part else { continue }
            check(expression, at: location, scope: scope)
        }
        return template
    }

    mutating func check(_ expression: Expression, at location: SourceLocation, scope: TemplateScope) {
        switch expression {
        case .variable(let name):
            usedVariables.insert(name)
            if !variableNames.contains(name) {
                error(.unknownVariable(name, suggestion: Spelling.closest(to: name, among: variableNames)), at: location)
            }
        case .environment, .workflowName:
            break
        case .stageName, .taskName:
            break
        case .arguments:
            if !scope.allowsArguments { error(.argumentsOutsideRun(key: scope.key), at: location) }
        case .matrix(let key):
            guard let keys = scope.matrixKeys else {
                error(.matrixOutsideMatrixTask(key: key), at: location)
                return
            }
            if !keys.contains(key) { error(.unknownMatrixKey(key, suggestion: Spelling.closest(to: key, among: keys)), at: location) }
        case .taskResults(let stage, let task), .taskOutput(let stage, let task, _):
            checkTaskReference(stage: stage, task: task, at: location, scope: scope)
        case .ownOutput(let output):
            if !scope.allowsOwnOutput { error(.ownOutputOutsideResult(output.rawValue), at: location) }
        case .taskResult(let stage, let task):
            checkTaskReference(stage: stage, task: task, at: location, scope: scope)
        }
    }

    /// An earlier stage's task: the stage must exist and run earlier; the task
    /// must exist, unless the stage has a matrix whose instances may bear the name.
    mutating func checkTaskReference(stage: String, task: String, at location: SourceLocation, scope: TemplateScope) {
            guard let index = stageIndexByName[stage] else {
                error(.unknownStage(stage, suggestion: Spelling.closest(to: stage, among: stageIndexByName.keys)), at: location)
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
            } else if !taskNamesByStage[index].contains(task), !stagesWithMatrix.contains(index) {
                error(.unknownTask(stage: stage, task: task, suggestion: Spelling.closest(to: task, among: taskNamesByStage[index])), at: location)
            }
    }

    // MARK: Typed values

    mutating func mapping(_ node: Node, key: String) -> [MappingEntry]? {
        if case .mapping(let entries) = node.value { return entries }
        error(.wrongType(key: key, expected: "a mapping", found: node.kindDescription), at: node.location)
        return nil
    }

    mutating func sequence(_ node: Node, key: String) -> [Node]? {
        if case .sequence(let items) = node.value { return items }
        error(.wrongType(key: key, expected: "a list", found: node.kindDescription), at: node.location)
        return nil
    }

    /// A string; numbers and booleans are taken as written (`1` is "1").
    mutating func text(_ node: Node, key: String) -> String? {
        guard case .scalar(let scalar) = node.value, scalar.resolved != .null else {
            error(.wrongType(key: key, expected: "a string", found: node.kindDescription), at: node.location)
            return nil
        }
        return scalar.text
    }

    mutating func boolean(_ node: Node, key: String) -> Bool? {
        if case .scalar(let scalar) = node.value, case .bool(let value) = scalar.resolved { return value }
        var found = node.kindDescription
        // YAML 1.1 habits: say why `yes` is not a boolean here.
        if case .scalar(let scalar) = node.value, scalar.isPlain,
           ["yes", "no", "on", "off", "y", "n"].contains(scalar.text.lowercased()) {
            found = "`\(scalar.text)`, a string (YAML 1.2 reads only true and false as booleans)"
        }
        error(.wrongType(key: key, expected: "true or false", found: found), at: node.location)
        return nil
    }

    mutating func integer(_ node: Node, key: String, range: ClosedRange<Int>) -> Int? {
        guard case .scalar(let scalar) = node.value else {
            error(.wrongType(key: key, expected: "a whole number", found: node.kindDescription), at: node.location)
            return nil
        }
        switch scalar.resolved {
        case .int(let value?):
            if range.contains(value) { return value }
            error(.numberOutOfRange(key: key, value: scalar.text, range: describe(range)), at: node.location)
        case .int(nil):
            error(.numberOutOfRange(key: key, value: scalar.text, range: describe(range)), at: node.location)
        case .float:
            error(.notAnInteger(key: key, value: scalar.text), at: node.location)
        default:
            error(.wrongType(key: key, expected: "a whole number", found: node.kindDescription), at: node.location)
        }
        return nil
    }

    private func describe(_ range: ClosedRange<Int>) -> String {
        range.upperBound >= 1_000_000 ? "at least \(range.lowerBound)" : "from \(range.lowerBound) to \(range.upperBound)"
    }

    mutating func duration(_ node: Node, key: String, allowsZero: Bool) -> Duration? {
        guard case .scalar(let scalar) = node.value else {
            error(.wrongType(key: key, expected: "a duration", found: node.kindDescription), at: node.location)
            return nil
        }
        var seconds: Double?
        switch scalar.resolved {
        case .int(let value?): seconds = Double(value)
        case .int(nil): seconds = .infinity
        case .float(let value): seconds = value
        case .string(let text): seconds = DurationParser.seconds(text)
        case .null, .bool:
            error(.wrongType(key: key, expected: "a duration", found: node.kindDescription), at: node.location)
            return nil
        }
        guard let seconds, !seconds.isNaN else {
            error(.invalidDuration(scalar.text), at: node.location)
            return nil
        }
        if seconds < 0 || (seconds == 0 && !allowsZero) {
            error(.durationNotPositive(key: key), at: node.location)
            return nil
        }
        if seconds > DurationParser.maximumSeconds {
            error(.numberOutOfRange(key: key, value: scalar.text, range: "at most \(Int(DurationParser.maximumSeconds)) seconds"), at: node.location)
            return nil
        }
        let milliseconds = Int64((seconds * 1000).rounded())
        // Durations count whole milliseconds: `timeout: 0.0001` must not become a zero timeout.
        if milliseconds == 0 && !allowsZero {
            error(.durationNotPositive(key: key), at: node.location)
            return nil
        }
        return .milliseconds(milliseconds)
    }

    // MARK: Names and keys

    mutating func checkKeys(_ entries: [MappingEntry], allowed: [String]) {
        for entry in entries where !allowed.contains(entry.key) {
            error(.unknownKey(key: entry.key, allowed: allowed, suggestion: Spelling.closest(to: entry.key, among: allowed)),
                  at: entry.keyLocation)
        }
    }

    /// Whether an unknown key of `entries` is a likely misspelling of `key`;
    /// its "did you mean" already explains why `key` is missing.
    func isMisspelled(_ key: String, in entries: [MappingEntry], allowed: [String]) -> Bool {
        entries.contains { !allowed.contains($0.key) && Spelling.closest(to: $0.key, among: allowed) == key }
    }

    /// Checks a stage or task name; returns whether it is usable.
    mutating func checkName(_ name: String, kind: String, at location: SourceLocation) -> Bool {
        if name.unicodeScalars.count > Validator.maxNameLength {
            error(.nameTooLong(kind: kind, limit: Validator.maxNameLength), at: location)
            return false
        }
        let valid = !name.isEmpty && name.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2E || b == 0x2D
        }
        if name.isEmpty {
            error(.emptyName(kind: kind), at: location)
        } else if !valid {
            error(.invalidName(kind: kind, name: DisplayText.escaped(name)), at: location)
        }
        return valid
    }

    /// Environment names: `[A-Za-z_][A-Za-z0-9_]*`; variable names also allow `-`.
    mutating func checkIdentifier(_ name: String, at location: SourceLocation, isEnvironment: Bool) -> Bool {
        let bytes = Array(name.utf8)
        let valid = !bytes.isEmpty && !(bytes[0] >= 0x30 && bytes[0] <= 0x39) && bytes.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || (!isEnvironment && b == 0x2D)
        }
        if !valid {
            error(isEnvironment ? .invalidEnvironmentName(DisplayText.escaped(name)) : .invalidName(kind: "variable", name: DisplayText.escaped(name)), at: location)
        }
        return valid
    }

    func scalarText(_ node: Node) -> String {
        if case .scalar(let s) = node.value { return s.text }
        return node.kindDescription
    }
}

/// A mapping's entries looked up by key. Workflow mappings have a handful of
/// keys, so a scan beats hashing every key of every task into a dictionary.
private struct KeyedEntries {
    let entries: [MappingEntry]

    init(_ entries: [MappingEntry]) {
        self.entries = entries
    }

    subscript(key: String) -> MappingEntry? {
        entries.first { $0.key == key }
    }
}

// MARK: Steps, matrix, outputs (moves to its own file with the validator split)

extension Walk {
    /// The fixed start of a matrix task's name template (`test-${{ matrix.os }}` is
    /// `test`): the name `results` and references use for the matrix task.
    static func matrixBaseName(_ text: String) -> String? {
        guard let opening = text.firstRange(of: "${{") else { return text }
        var base = String(text[..<opening.lowerBound])
        while let last = base.last, last == "-" || last == "_" || last == "." || last == " " { base.removeLast() }
        return base.isEmpty ? nil : base
    }

    mutating func nameTemplateOf(_ text: String, node: Node, stageIndex: Int, matrixKeys: [String]?) -> Template? {
        let parsed = template(text, node: node, scope: TemplateScope(key: "name", stageIndex: stageIndex, matrixKeys: matrixKeys))
        for part in parsed.parts {
            switch part {
            case .literal(let literal):
                let valid = literal.utf8.allSatisfy { b in
                    (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2E || b == 0x2D
                }
                if !valid {
                    error(.invalidName(kind: "task", name: DisplayText.escaped(literal)), at: node.location)
                    return nil
                }
            case .expression(.matrix, _):
                break
            case .expression(_, let location):
                error(.nameTemplateNotMatrix, at: location)
                return nil
            }
        }
        return parsed
    }

    mutating func matrixOf(_ node: Node, stageIndex: Int) -> Workflow.Matrix? {
        guard let entries = mapping(node, key: "matrix") else { return nil }
        var axes: [Workflow.Matrix.Axis] = []
        for entry in entries where entry.key != "exclude" && entry.key != "include" {
            guard checkIdentifier(entry.key, at: entry.keyLocation, isEnvironment: false) else { continue }
            switch entry.value.value {
            case .sequence(let items):
                if items.isEmpty { error(.emptyList(key: "matrix.\(entry.key)"), at: entry.value.location) }
                let values = items.compactMap { text($0, key: "matrix.\(entry.key)") }
                axes.append(.init(name: entry.key, values: .list(values), location: entry.keyLocation))
            case .scalar(let scalar) where scalar.text.contains("${{"):
                let dynamic = template(scalar.text, node: entry.value, scope: TemplateScope(key: "matrix", stageIndex: stageIndex))
                axes.append(.init(name: entry.key, values: .dynamic(dynamic), location: entry.keyLocation))
            default:
                var found = entry.value.kindDescription
                if case .scalar(let scalar) = entry.value.value { found = "`\(DisplayText.escaped(scalar.text, limit: 40))`" }
                error(.matrixValuesWrongType(key: entry.key, found: found), at: entry.value.location)
                // Still a key: its uses are not errors of their own.
                axes.append(.init(name: entry.key, values: .list([]), location: entry.keyLocation))
            }
        }
        if axes.isEmpty, !entries.contains(where: { $0.key != "exclude" && $0.key != "include" }) {
            error(.emptyList(key: "matrix"), at: node.location)
        }
        let keys = axes.map(\.name)
        var matrix = Workflow.Matrix(axes: axes, location: node.location)
        for entry in entries where entry.key == "exclude" || entry.key == "include" {
            guard let items = sequence(entry.value, key: "matrix.\(entry.key)") else { continue }
            for item in items {
                guard let pairs = mapping(item, key: "matrix.\(entry.key)[]") else {
                    continue
                }
                var combination: [String: String] = [:]
                for pair in pairs {
                    if !keys.contains(pair.key) {
                        error(.matrixEntryUnknownKey(entry: entry.key, key: pair.key, suggestion: Spelling.closest(to: pair.key, among: keys)),
                              at: pair.keyLocation)
                        continue
                    }
                    if let value = text(pair.value, key: "matrix.\(entry.key).\(pair.key)") { combination[pair.key] = value }
                }
                if entry.key == "include" {
                    for key in keys where combination[key] == nil && !pairs.contains(where: { $0.key == key }) {
                        error(.matrixIncludeMissingKey(key: key), at: item.location)
                    }
                    matrix.include.append(combination)
                } else {
                    matrix.exclude.append(combination)
                }
            }
        }
        return matrix
    }

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
                error(.wrongType(key: "steps[]", expected: "a mapping or a command string", found: "a list"), at: item.location)
                continue
            case .mapping(let entries):
                if let retries = entries.first(where: { $0.key == "retries" }) {
                    error(.retriesOnStep, at: retries.keyLocation)
                }
                checkKeys(entries.filter { $0.key != "retries" }, allowed: stepKeys)
                let byKey = KeyedEntries(entries)
                if let entry = byKey["name"], let name = text(entry.value, key: "name"), checkName(name, kind: "step", at: entry.value.location) {
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
                if let run = byKey["run"], let command = text(run.value, key: "run") {
                    step.action = .run(template(command, node: run.value, scope: runScope))
                } else if let sleep = byKey["sleep"], let seconds = duration(sleep.value, key: "sleep", allowsZero: false) {
                    step.action = .sleep(seconds)
                }
                if let entry = byKey["env"] {
                    step.environment = environmentOf(entry.value, scope: TemplateScope(key: "env", stageIndex: stageIndex, matrixKeys: matrixKeys))
                }
                if let entry = byKey["working-directory"], let path = text(entry.value, key: "working-directory") {
                    step.workingDirectory = template(path, node: entry.value, scope: TemplateScope(
                        key: "working-directory", stageIndex: stageIndex, matrixKeys: matrixKeys))
                }
                if let entry = byKey["timeout"] { step.timeout = duration(entry.value, key: "timeout", allowsZero: false) }
                if let entry = byKey["continue-on-error"], let b = boolean(entry.value, key: "continue-on-error") { step.continueOnError = b }
                if let entry = byKey["name"] {
                    if let first = firstSeen[step.name] {
                        error(.duplicateName(kind: "step", name: step.name), at: entry.value.location,
                              notes: [.init(location: first, message: "first defined here")])
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
                error(.duplicateName(kind: "output", name: name), at: item.location, notes: [.init(location: first, message: "first defined here")])
                continue
            }
            firstSeen[name] = item.location
            names.append(name)
        }
        return names
    }
}
