/// The expansion step for `include:`: each include entry is replaced, in
/// place, by the included workflow's stages under `PREFIX.`, with its own
/// variables (renamed, given the entry's `vars`), env, dotenv, folder and
/// `max-parallel` attached to each of its stages as their `origin`.
///
/// Pure and total: the files were read by `WorkflowLoader`. It checks what
/// only both files together can tell: that `vars` names variables the
/// included file declares, that the prefix is a name, and that no two stages
/// share a name once prefixed.
public struct IncludeExpander: Sendable {
    public init() {}

    /// Flattens `tree`. Returns a workflow only when no error was found.
    public func expand(_ tree: IncludeTree) -> (Workflow?, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        let workflow = flatten(tree, diagnostics: &diagnostics)
        return (diagnostics.contains { $0.severity == .error } ? nil : workflow, diagnostics)
    }

    /// The stages `include` brings from `child`, for the validator of the including file.
    public func stages(of child: IncludeTree, by include: Workflow.Include) -> [Validator.IncludedStage] {
        var ignored: [Diagnostic] = []
        let prefix = include.prefix ?? child.workflow.name
        return flatten(child, diagnostics: &ignored).stages.map { stage in
            Validator.IncludedStage(
                position: include.position, name: prefix + "." + stage.name,
                taskNames: Set(stage.tasks.map(\.name) + stage.tasks.compactMap(\.matrixTask)),
                hasMatrix: stage.tasks.contains { $0.matrix != nil || $0.matrixTask != nil })
        }
    }

    private func flatten(_ tree: IncludeTree, diagnostics: inout [Diagnostic]) -> Workflow {
        var workflow = tree.workflow
        guard !workflow.includes.isEmpty else { return workflow }
        let own = workflow.stages
        var included: [[Workflow.Stage]] = Array(repeating: [], count: own.count + 1)
        var sites: [[SourceLocation]] = Array(repeating: [], count: own.count + 1)
        for (index, include) in workflow.includes.enumerated() {
            guard index < tree.children.count, let child = tree.children[index] else { continue }
            let flat = flatten(child, diagnostics: &diagnostics)
            guard let stages = insert(flat, from: child, by: include, into: &workflow, diagnostics: &diagnostics) else { continue }
            included[include.position].append(contentsOf: stages)
            sites[include.position] += Array(repeating: include.prefixLocation ?? include.fileLocation, count: stages.count)
        }
        // In file order, each name where it was first given: a stage's own
        // location, or the include entry that brought it (one error per entry).
        var firstSeen: [String: SourceLocation] = [:]
        var reported: Set<SourceLocation> = []
        workflow.stages = []
        func add(_ stage: Workflow.Stage, at site: SourceLocation) {
            if let first = firstSeen[stage.name] {
                if reported.insert(site).inserted {
                    diagnostics.append(.error(
                        .duplicateName(kind: .stage, name: stage.name), at: site,
                        notes: [.init(location: first, message: .firstDefinedHere)]))
                }
            } else {
                firstSeen[stage.name] = site
            }
            workflow.stages.append(stage)
        }
        for position in 0...own.count {
            for (stage, site) in zip(included[position], sites[position]) { add(stage, at: site) }
            if position < own.count { add(own[position], at: own[position].location) }
        }
        workflow.includes = []
        return workflow
    }

    /// The stages `flat` (the child, its own includes done) gives the
    /// including `workflow`, with its variables and secrets added there;
    /// nil when the entry is wrong.
    private func insert(
        _ flat: Workflow, from child: IncludeTree, by include: Workflow.Include, into workflow: inout Workflow,
        diagnostics: inout [Diagnostic]
    ) -> [Workflow.Stage]? {
        let prefix = include.prefix ?? child.workflow.name
        guard include.prefix != nil || NameRules.isValid(prefix, as: .stageOrTask) else {
            diagnostics.append(.error(.includePrefixInvalid(DisplayText.escaped(prefix)), at: include.fileLocation))
            return nil
        }
        let declared = child.workflow.variables.map(\.name)
        var valid = true
        for variable in include.variables where !declared.contains(variable.name) {
            diagnostics.append(.error(
                .unknownIncludedVariable(variable.name, file: include.file, declared: declared,
                                         suggestion: Spelling.closest(to: variable.name, among: declared)),
                at: variable.location))
            valid = false
        }
        guard valid else { return nil }
        let renaming = IncludeRenaming(prefix: prefix)
        let renamed = renaming.workflow(flat)
        var variables = renamed.variables
        for given in include.variables {
            if let index = variables.firstIndex(where: { $0.name == renaming.name(given.name) }) {
                variables[index].value = given.value
            }
        }
        workflow.variables += variables
        // A secret names a variable (now renamed) or an env variable (shared): mask both.
        let variableNames = Set(flat.variables.map(\.name))
        for name in flat.secrets {
            for secret in variableNames.contains(name) ? [renaming.name(name), name] : [name]
            where !workflow.secrets.contains(secret) {
                workflow.secrets.append(secret)
            }
        }
        return renamed.stages.map { stage in
            var stage = stage
            var origin = stage.origin ?? Workflow.StageOrigin(
                file: child.file, includedAt: [], directory: flat.directory, environmentLevels: [], dotenv: [:],
                maxParallel: nil)
            origin.includedAt.insert(include.fileLocation, at: 0)
            origin.environmentLevels.insert(renamed.environment, at: 0)
            origin.dotenv = workflow.dotenv.merging(flat.dotenv) { $1 }.merging(origin.dotenv) { $1 }
            origin.maxParallel = [origin.maxParallel, flat.maxParallel].compactMap { $0 }.min()
            stage.origin = origin
            return stage
        }
    }
}
