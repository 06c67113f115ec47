let includeKeys = ["include", "name", "vars"]

/// `- include: FILE` entries of `stages:`: read here, without reading the file.
extension Validator.Pass {
    /// Whether a `stages:` item is an include entry rather than a stage.
    static func isInclude(_ node: Node) -> Bool {
        if case .mapping(let entries) = node.value { entries.contains { $0.key == "include" } } else { false }
    }

    /// An include entry; `position` is how many of the file's own stages come before it.
    mutating func includeOf(_ node: Node, position: Int) -> Workflow.Include? {
        guard case .mapping(let entries) = node.value else { return nil }
        checkKeys(entries, allowed: includeKeys)
        let byKey = KeyedEntries(entries)
        guard let fileEntry = byKey["include"], let file = text(fileEntry.value, key: "include") else { return nil }
        if file.isEmpty {
            error(.includeFileMissing(file), at: fileEntry.value.location)
            return nil
        }
        var include = Workflow.Include(file: file, fileLocation: fileEntry.value.location, position: position)
        if let entry = byKey["name"], let prefix = text(entry.value, key: "name"),
           checkName(prefix, kind: .stage, at: entry.value.location) {
            include.prefix = prefix
            include.prefixLocation = entry.value.location
        }
        if let entry = byKey["vars"] { include.variables = variablesOf(entry.value) }
        return include
    }

    /// The names of the file's own stages and of the stages its includes bring.
    var knownStageNames: Set<String> {
        includedStageByName.isEmpty ? Set(stageIndexByName.keys) : Set(stageIndexByName.keys).union(includedStageByName.keys)
    }

    /// A task of an included stage: it comes before own stage `position`.
    mutating func checkIncludedTaskReference(
        _ stage: Validator.IncludedStage, task: String, at location: SourceLocation, scope: TemplateScope
    ) {
        guard let current = scope.stageIndex else {
            error(.resultOutsideStage(key: scope.key), at: location)
            return
        }
        if stage.position > current {
            error(.resultOfLaterStage(stage: stage.name), at: location)
        } else if !stage.taskNames.contains(task), !stage.hasMatrix {
            error(.unknownTask(stage: stage.name, task: task, suggestion: Spelling.closest(to: task, among: stage.taskNames)), at: location)
        }
    }
}

extension Validator {
    /// A stage an include entry inserts, as the including file's references see it.
    public struct IncludedStage: Sendable {
        /// How many of the file's own stages come before it.
        public var position: Int
        /// Its name with the prefix: `lint.check`.
        public var name: String
        public var taskNames: Set<String>
        /// Whether a task of it has a matrix (whose instance names the expander checks).
        public var hasMatrix: Bool

        public init(position: Int, name: String, taskNames: Set<String>, hasMatrix: Bool) {
            self.position = position
            self.name = name
            self.taskNames = taskNames
            self.hasMatrix = hasMatrix
        }
    }

    /// The `include:` entries of a workflow's `stages:`, read before the
    /// file is validated (the loader reads the included files first, so that
    /// the file's references to their stages can be checked); problems are
    /// left to `validate`, which reads the entries the same way.
    public static func includeEntries(_ root: Node) -> [Workflow.Include] {
        guard case .mapping(let entries) = root.value,
              let stages = entries.first(where: { $0.key == "stages" }), case .sequence(let nodes) = stages.value.value,
              nodes.contains(where: Pass.isInclude)
        else { return [] }
        var pass = Pass()
        var includes: [Workflow.Include] = []
        var own = 0
        for node in nodes {
            if Pass.isInclude(node) {
                if let include = pass.includeOf(node, position: own) { includes.append(include) }
            } else {
                own += 1
            }
        }
        return includes
    }
}
