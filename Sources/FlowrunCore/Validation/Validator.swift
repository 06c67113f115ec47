/// Turns a located node tree into a `Workflow`, reporting every problem it
/// finds rather than stopping at the first.
public struct Validator: Sendable {
    /// Longest stage or task name; keeps hostile files from making huge reports.
    public static let maxNameLength = 256

    /// flowrun's own environment, for warning about `env.NAME` that no level
    /// sets; nil skips that check (the environment is not known).
    public var environment: Set<String>?
    /// The stages the file's `include:` entries bring (read by the loader
    /// first), so that its templates and conditions may refer to them.
    public var includedStages: [IncludedStage] = []

    public init(environment: Set<String>? = nil, includedStages: [IncludedStage] = []) {
        self.environment = environment
        self.includedStages = includedStages
    }

    /// Validates `root`. Returns a workflow only when no error was found.
    /// - Parameters:
    ///   - directory: the folder relative working directories start from.
    ///   - defaultName: the workflow's name when the file gives none.
    ///   - source: the text `root` was read from; with it, expressions inside
    ///     escaped or multi-line scalars are located exactly.
    public func validate(
        _ root: consuming Node, directory: String, defaultName: String, source: SourceText? = nil
    ) -> (Workflow?, [Diagnostic]) {
        var pass = Pass()
        pass.source = source
        pass.processEnvironment = environment
        for stage in includedStages where pass.includedStageByName[stage.name] == nil {
            pass.includedStageByName[stage.name] = stage
        }
        let workflow = pass.workflow(consume root, directory: directory, defaultName: defaultName)
        let hasError = pass.diagnostics.contains { $0.severity == .error }
        return (hasError ? nil : workflow, pass.diagnostics)
    }
}

let workflowKeys = ["version", "name", "description", "vars", "dotenv", "env", "secrets", "defaults", "max-parallel", "executor", "stages"]
let defaultsKeys = ["shell", "timeout", "retries", "working-directory", "resources"]
let stageKeys = ["name", "description", "if", "max-parallel", "fail-fast", "env", "executor", "tasks"]
let taskKeys = [
    "name", "if", "run", "sleep", "env", "working-directory", "shell", "timeout", "retries", "retry-delay",
    "continue-on-error", "result", "sources", "generates", "resources", "executor", "steps", "matrix", "outputs", "interactive",
]
/// `taskKeys` made ready for checking every task's keys.
let taskKeyList = KeyList(taskKeys)
/// The task keys `taskOf` reads after the action, in two groups around `timeout`.
let rareTaskKeysBeforeTimeout = KeyList(["working-directory", "shell", "outputs", "interactive", "resources", "executor"])
let rareTaskKeysAfterTimeout = KeyList(["retries", "retry-delay", "continue-on-error", "sources", "generates", "result"])
let stepKeys = ["name", "if", "run", "sleep", "env", "working-directory", "timeout", "continue-on-error"]

/// Where a template sits, which decides what it may refer to.
struct TemplateScope {
    var key: String
    /// Index of the stage whose task uses the template; nil at workflow level.
    var stageIndex: Int?
    var allowsOwnOutput = false
    /// `${{ args }}` is allowed only in `run` (a task's or a step's).
    var allowsArguments = false
    /// The keys of the task's matrix; nil outside a matrix task.
    var matrixKeys: [String]?
}

extension Validator {
    /// The mutable state of one validation pass.
    struct Pass {
        var diagnostics: [Diagnostic] = []
        var stageIndexByName: [String: Int] = [:]
        /// Stages of included files, by prefixed name (not in `stageIndexByName`).
        var includedStageByName: [String: Validator.IncludedStage] = [:]
        /// Each stage's task names, each with the place of the task it first names.
        var taskNamesByStage: [[String: Int32]] = []
        /// Stages with a matrix task: a reference to a name not among their tasks
        /// may name an instance, which `MatrixExpander` checks once names are known.
        var stagesWithMatrix: Set<Int> = []
        var variableNames: [String] = []
        /// Where the `if` being typed starts: the location of an error between two literals.
        var conditionStart = SourceLocation(file: "", line: 0, column: 0)
        var usedVariables: Set<String> = []
        var templateParser = TemplateParser(stageNames: [])
        /// For a file with include entries: each own stage's place in `stages:` as written.
        var writtenPlaces: [Int] = []
        var source: SourceText?
        /// flowrun's own environment; nil when unknown.
        var processEnvironment: Set<String>?
        /// The `env` names each enclosing level sets, outermost first.
        var environmentLevels: [Set<String>] = []
        /// The `env` entry whose value is being read: `env.X` inside `X` reads the level below.
        var currentEnvironmentEntry: String?
        var warnedEnvironment: Set<String> = []

        mutating func error(_ message: DiagnosticMessage, at location: SourceLocation, notes: [Diagnostic.Note] = []) {
            diagnostics.append(.error(message, at: location, notes: notes))
        }
    }
}

extension Validator.Pass {
    /// Takes the tree: each stage's nodes are let go once its tasks are built,
    /// so that the tree and the model built from it are not alive whole at once.
    mutating func workflow(_ root: consuming Node, directory: String, defaultName: String) -> Workflow? {
        guard let entries = mapping(root, key: "workflow") else { return nil }
        checkKeys(entries, allowed: workflowKeys)
        let byKey = KeyedEntries(entries)

        if let version = byKey["version"] {
            if case .scalar(let s) = version.value.value, case .int(let v) = s.resolved {
                if v != 1 { error(.unsupportedVersion(s.text), at: version.value.location) }
            } else {
                // `version: "1"` must not read "unsupported version `1`; this flowrun reads version 1".
                error(.wrongType(key: "version", expected: .numberOne, found: .scalar(scalarText(version.value), version.value.kind)),
                      at: version.value.location)
            }
        }
        var name = defaultName
        if let entry = byKey["name"], let text = text(entry.value, key: "name") {
            // Free text, but shown in every report: no control or bidi characters.
            if DisplayText.escaped(text, limit: .max) != text {
                error(.unprintableName(kind: .workflow, name: DisplayText.escaped(text)), at: entry.value.location)
            } else if text.unicodeScalars.count > Validator.maxNameLength {
                error(.nameTooLong(kind: .workflow, limit: Validator.maxNameLength), at: entry.value.location)
            } else {
                name = text
            }
        }
        let description = byKey["description"].flatMap { text($0.value, key: "description") }
        let maxParallel = byKey["max-parallel"].flatMap { integer($0.value, key: "max-parallel", range: 1...1_000_000) }

        // Names of stages and tasks first, so templates anywhere can refer to them.
        var stageNodes: [Node]
        /// The records of the stages, let go of stage by stage.
        var stageRecords = 0..<0
        if let entry = byKey["stages"] {
            stageNodes = sequence(entry.value, key: "stages").map(Array.init) ?? []
            if case .sequence(let items) = entry.value.value { stageRecords = items.startIndex..<items.endIndex }
            if case .sequence(let items) = entry.value.value, items.isEmpty {
                error(.emptyList(key: "stages"), at: entry.value.location)
            }
        } else if !isMisspelled("stages", in: entries, allowed: workflowKeys) {
            error(.missingKey(key: "stages", in: .workflow), at: root.location)
            stageNodes = []
        } else {
            stageNodes = []
        }
        // Include entries are no stages of this file: `IncludeExpander` puts the included ones there.
        var includes: [Workflow.Include] = []
        if stageNodes.contains(where: Self.isInclude) {
            var own: [Node] = []
            for (place, node) in stageNodes.enumerated() {
                if Self.isInclude(node) {
                    if let include = includeOf(node, position: own.count) { includes.append(include) }
                } else {
                    own.append(node)
                    writtenPlaces.append(place)
                }
            }
            stageNodes = own
        }
        let headers = stageHeaders(stageNodes)
        templateParser = TemplateParser(stageNames: knownStageNames)

        let dotenvFiles = byKey["dotenv"].map { dotenvOf($0.value) } ?? []
        let variables = byKey["vars"].map { variablesOf($0.value) } ?? []
        variableNames = variables.map(\.name)
        let environment = byKey["env"].map { environmentOf($0.value, scope: TemplateScope(key: "env")) } ?? []
        var defaults = TaskDefaults()
        if let entry = byKey["defaults"] { defaults = defaultsOf(entry.value) }
        let secretsEntry = byKey["secrets"]
        let executorEntry = byKey["executor"]
        // From here `stageNodes` alone holds the stages: each is let go once its tasks are built.
        _ = consume root
        _ = consume byKey
        _ = consume entries
        var stages: [Workflow.Stage] = []
        stages.reserveCapacity(stageNodes.count)
        for index in stageNodes.indices {
            if let stage = stageOf(stageNodes[index], index: index, header: headers[index], defaults: defaults) {
                stages.append(stage)
            }
            let next = index + 1 < stageNodes.count ? stageNodes[index + 1].index : stageRecords.upperBound
            stageNodes[index].arena.release(stageRecords.lowerBound..<max(stageRecords.lowerBound, next))
        }
        let secrets = secretsEntry.map { secretsOf($0.value, variables: variables, environment: environment, stages: stages) } ?? []
        warnSecretsOnCommandLines(stages, secrets: secrets)
        for variable in variables where !usedVariables.contains(variable.name) {
            diagnostics.append(.warning(.unusedVariable(variable.name), at: variable.location))
        }
        var workflow = Workflow(
            name: name, description: description, variables: variables, environment: environment,
            secrets: secrets, maxParallel: maxParallel, stages: stages, directory: directory)
        workflow.dotenvFiles = dotenvFiles
        workflow.includes = includes
        if let entry = executorEntry {
            workflow.executor = executorOf(entry.value)
            workflow.executorLocation = entry.keyLocation
        }
        return workflow
    }
}
