/// The names of an included workflow as the including one sees them: its
/// stages and variables under `PREFIX.`, in every template and condition,
/// so that the planner, the executor, targets and reports see plain names.
///
/// References to `env`, the matrix, `args` and the task's own output keep
/// their names: the environment is shared, the rest are local to a task.
struct IncludeRenaming {
    var prefix: String

    func name(_ name: String) -> String { prefix + "." + name }

    func workflow(_ workflow: Workflow) -> Workflow {
        var renamed = workflow
        renamed.variables = workflow.variables.map { var v = $0; v.name = name(v.name); return v }
        renamed.environment = environment(workflow.environment)
        renamed.stages = workflow.stages.map(stage)
        return renamed
    }

    func stage(_ stage: Workflow.Stage) -> Workflow.Stage {
        var renamed = stage
        renamed.name = name(stage.name)
        renamed.environment = environment(stage.environment)
        renamed.tasks = stage.tasks.map(task)
        renamed.condition = stage.condition.map(condition)
        if var origin = stage.origin {
            origin.environmentLevels = origin.environmentLevels.map(environment)
            renamed.origin = origin
        }
        return renamed
    }

    func task(_ task: Workflow.Task) -> Workflow.Task {
        var renamed = task
        renamed.environment = environment(task.environment)
        renamed.workingDirectory = task.workingDirectory.map(template)
        renamed.result = task.result.map(template)
        renamed.condition = task.condition.map(condition)
        switch task.action {
        case .run(let command): renamed.action = .run(template(command))
        case .sleep: break
        case .steps(let steps):
            renamed.action = .steps(steps.map { step in
                var s = step
                if case .run(let command) = step.action { s.action = .run(template(command)) }
                s.environment = environment(step.environment)
                s.workingDirectory = step.workingDirectory.map(template)
                s.condition = step.condition.map(condition)
                return s
            })
        }
        if var matrix = task.matrix {
            matrix.axes = matrix.axes.map { axis in
                var a = axis
                if case .dynamic(let values) = axis.values { a.values = .dynamic(template(values)) }
                return a
            }
            renamed.matrix = matrix
        }
        return renamed
    }

    func environment(_ entries: [Workflow.EnvironmentEntry]) -> [Workflow.EnvironmentEntry] {
        entries.map { var e = $0; e.value = template(e.value); return e }
    }

    func template(_ template: Template) -> Template {
        Template(parts: template.parts.map { part in
            guard case .reference(let reference, let location) = part else { return part }
            return .reference(self.reference(reference), location)
        })
    }

    func reference(_ reference: Reference) -> Reference {
        switch reference {
        case .variable(let n): .variable(name(n))
        case .taskResult(let stage, let task): .taskResult(stage: name(stage), task: task)
        case .taskResults(let stage, let task): .taskResults(stage: name(stage), task: task)
        case .taskOutput(let stage, let task, let output): .taskOutput(stage: name(stage), task: task, name: output)
        case .environment, .ownOutput, .matrix, .arguments, .workflowName, .stageName, .taskName: reference
        }
    }

    func condition(_ condition: Condition) -> Condition {
        switch condition {
        case .boolean, .text: condition
        case .reference(let reference, let location): .reference(self.reference(reference), location)
        case .not(let c): .not(self.condition(c))
        case .and(let a, let b): .and(self.condition(a), self.condition(b))
        case .or(let a, let b): .or(self.condition(a), self.condition(b))
        case .equals(let a, let b, let negated): .equals(self.condition(a), self.condition(b), negated: negated)
        case .call(let function, let arguments, let location): .call(function, arguments.map(self.condition), location)
        }
    }

    func reference(_ reference: ConditionReference) -> ConditionReference {
        switch reference {
        case .variable(let n): .variable(name(n))
        case .taskResult(let stage, let task): .taskResult(stage: name(stage), task: task)
        case .taskOutput(let stage, let task, let output): .taskOutput(stage: name(stage), task: task, name: output)
        case .taskState(let stage, let task): .taskState(stage: name(stage), task: task)
        case .stageState(let stage): .stageState(name(stage))
        case .environment, .hostOS, .hostArch, .matrix: reference
        }
    }
}
