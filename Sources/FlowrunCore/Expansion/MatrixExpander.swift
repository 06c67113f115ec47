/// The expansion step for matrices: every task with a static matrix becomes,
/// in place, one task per instance. Pure and total; runs between validation
/// and planning. Dynamic matrices stay as they are for the executor, which
/// expands them through `MatrixExpansion.expand` when their stage starts.
///
/// It also checks what only the expanded names can tell: that a reference to
/// `stages.S.tasks.INSTANCE.result` or `.outputs.NAME` names a real instance
/// (the validator leaves names it does not know in a stage with a matrix to here).
public struct MatrixExpander: Sendable {
    public init() {}

    /// Expands `workflow`. Returns a workflow only when no error was found.
    public func expand(_ workflow: Workflow) -> (Workflow?, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var expanded = workflow
        for (stageIndex, stage) in workflow.stages.enumerated() where stage.tasks.contains(where: { $0.matrix != nil }) {
            var tasks: [Workflow.Task] = []
            for task in stage.tasks {
                guard let matrix = task.matrix, !matrix.isDynamic else {
                    tasks.append(task)
                    continue
                }
                let axes = matrix.axes.map { axis in
                    if case .list(let values) = axis.values { MatrixExpansion.Axis(name: axis.name, values: values) } else {
                        MatrixExpansion.Axis(name: axis.name, values: [])
                    }
                }
                let result = MatrixExpansion.expand(
                    task: task.name, axes: axes, exclude: matrix.exclude, include: matrix.include,
                    namePattern: task.nameTemplate.map(Planner.namePattern))
                switch result {
                case .failure(let problem):
                    diagnostics.append(.error(Self.message(problem), at: matrix.location))
                case .success(let instances):
                    for instance in instances {
                        var copy = task
                        copy.name = instance.name
                        copy.matrix = nil
                        copy.nameTemplate = nil
                        copy.matrixValues = instance.values
                        copy.matrixTask = task.name
                        tasks.append(copy)
                    }
                }
            }
            expanded.stages[stageIndex].tasks = tasks
        }
        // What references need of a stage's tasks, gathered only for stages that are referred to.
        var known: [String: [String: TaskInfo]] = [:]
        let stageIndex = Dictionary(expanded.stages.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        func info(_ stage: String) -> [String: TaskInfo]? {
            if let found = known[stage] { return found }
            guard let index = stageIndex[stage] else { return nil }
            var tasks: [String: TaskInfo] = [:]
            for task in expanded.stages[index].tasks { tasks[task.name] = TaskInfo(task) }
            known[stage] = tasks
            return tasks
        }
        for stage in workflow.stages {
            let own = stage.environment.map(\.value) + [stage.condition].compactMap { $0 }.map(Self.template(of:))
            for template in own + stage.tasks.lazy.filter(Self.mayRefer).flatMap(Self.templates(of:)) {
                for part in template.parts {
                    guard case .reference(let expression, let location) = part else { continue }
                    let target: String
                    switch expression {
                    case .taskResult(let s, _), .taskResults(let s, _), .taskOutput(let s, _, _): target = s
                    default: continue
                    }
                    guard let tasks = info(target) else { continue }
                    if let problem = check(expression, tasks: tasks) {
                        diagnostics.append(.error(problem, at: location))
                    }
                }
            }
        }
        return (diagnostics.isEmpty ? expanded : nil, diagnostics)
    }

    /// The problem with a reference to an instance, if any; references to plain
    /// tasks were checked by the validator.
    private func check(
        _ expression: Reference, tasks: [String: TaskInfo]
    ) -> DiagnosticMessage? {
        let stage: String, task: String, output: String?
        switch expression {
        case .taskResults(let s, let t):
            guard let found = tasks[t] else { return nil }
            return !found.isMatrix && found.matrixTask == nil ? .resultsOfPlainTask(stage: s, task: t) : nil
        case .taskResult(let s, let t): (stage, task, output) = (s, t, nil)
        case .taskOutput(let s, let t, let name): (stage, task, output) = (s, t, name)
        default: return nil
        }
        if tasks[task]?.isMatrix == true { return .referenceToDynamicMatrix(stage: stage, task: task) }
        guard let found = tasks[task] else {
            if tasks.values.contains(where: { $0.matrixTask == task }) {
                return .resultOfMatrixTask(stage: stage, task: task)
            }
            return .unknownTask(stage: stage, task: task, suggestion: Spelling.closest(to: task, among: tasks.keys))
        }
        if let output, !found.outputs.contains(output) {
            return .unknownOutput(
                stage: stage, task: task, name: output, declared: found.outputs,
                suggestion: Spelling.closest(to: output, among: found.outputs))
        }
        return nil
    }

    /// What a reference to a task needs to know of it.
    private struct TaskInfo {
        var outputs: [String]
        var matrixTask: String?
        var isMatrix: Bool

        init(_ task: Workflow.Task) {
            outputs = task.outputs
            matrixTask = task.matrixTask
            isMatrix = task.matrix != nil
        }
    }

    /// Whether a task has a template that may refer to another task: a
    /// plain `run` without `${{` has none, and most tasks of a large file are that.
    private static func mayRefer(_ task: Workflow.Task) -> Bool {
        guard task.environment.isEmpty, task.result == nil, task.matrix == nil, task.condition == nil,
              task.workingDirectory?.hasReferences != true else { return true }
        switch task.action {
        case .run(let command): return command.hasReferences
        case .sleep: return false
        case .steps: return true
        }
    }

    /// Every template of a task, where references to other tasks may sit.
    static func templates(of task: Workflow.Task) -> [Template] {
        var templates = task.environment.map(\.value)
        if let directory = task.workingDirectory { templates.append(directory) }
        if let result = task.result { templates.append(result) }
        switch task.action {
        case .run(let command): templates.append(command)
        case .sleep: break
        case .steps(let steps):
            for step in steps {
                if case .run(let command) = step.action { templates.append(command) }
                templates += step.environment.map(\.value)
                if let directory = step.workingDirectory { templates.append(directory) }
            }
        }
        for axis in task.matrix?.axes ?? [] {
            if case .dynamic(let template) = axis.values { templates.append(template) }
        }
        var conditions = [task.condition].compactMap { $0 }
        if case .steps(let steps) = task.action { conditions += steps.compactMap(\.condition) }
        return templates + conditions.map(Self.template(of:))
    }

    /// A condition's task references as a template's, so that they are checked alike.
    static func template(of condition: Condition) -> Template {
        Template(parts: condition.references.compactMap { reference, at -> Template.Part? in
            switch reference {
            case .taskResult(let stage, let task), .taskState(let stage, let task):
                .reference(.taskResult(stage: stage, task: task), at)
            case .taskOutput(let stage, let task, let name):
                .reference(.taskOutput(stage: stage, task: task, name: name), at)
            case .variable, .environment, .hostOS, .hostArch, .stageState, .matrix:
                nil
            }
        })
    }

    static func message(_ problem: MatrixExpansion.Problem) -> DiagnosticMessage {
        switch problem {
        case .tooManyInstances(let limit): .tooManyInstances(limit: limit)
        case .tooManyCombinations(let limit): .tooManyCombinations(limit: limit)
        case .duplicateInstance(let name): .duplicateInstance(name: name)
        case .nameTooLong(let name, let limit): .instanceNameTooLong(name: name, limit: limit)
        }
    }
}
