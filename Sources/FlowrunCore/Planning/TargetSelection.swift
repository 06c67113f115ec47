/// Which tasks a run with targets runs: the targets, plus every task whose
/// result (or outputs, or state) they reference, transitively. Pure.
///
/// A target is `STAGE` (all its tasks), `STAGE/TASK` or `STAGE/MATRIXTASK`
/// (every instance of a matrix task). Names are matched exactly; an unknown one
/// is a usage error with the nearest known name.
public enum TargetSelection {
    /// The selected tasks of `plan` for `targets`; every task when `targets` is empty.
    public static func select(_ targets: [String], in plan: Plan) -> Result<Set<TaskID>, Diagnostic> {
        var byName: [String: TaskID] = [:]
        var stages: [String: [TaskID]] = [:]
        // `stage/matrixtask` -> its instances, for targets and `results`.
        var instances: [String: [TaskID]] = [:]
        for stage in plan.stages {
            stages[stage.name] = stage.tasks.map(\.id)
            for task in stage.tasks {
                byName[task.qualifiedName] = task.id
                if let matrixTask = task.instanceOf {
                    instances[stage.name + "/" + matrixTask, default: []].append(task.id)
                }
            }
        }
        guard !targets.isEmpty else { return .success(Set(byName.values)) }
        var pending: [TaskID] = []
        for target in targets {
            if let ids = stages[target] {
                pending += ids
            } else if let id = byName[target] {
                pending.append(id)
            } else if let ids = instances[target] {
                pending += ids
            } else {
                let suggestion = Spelling.closest(to: target, among: names(of: plan))
                return .failure(.error(.unknownTarget(target, suggestion: suggestion), at: nil))
            }
        }
        var selected: Set<TaskID> = []
        let tasks = Dictionary(plan.stages.flatMap(\.tasks).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        while let id = pending.popLast() {
            guard selected.insert(id).inserted, let task = tasks[id] else { continue }
            for (stage, name) in references(of: task, stageCondition: plan.stages[id.stage].condition) {
                if name == "*" { pending += stages[stage] ?? [] }
                if let dependency = byName[stage + "/" + name] { pending.append(dependency) }
                pending += instances[stage + "/" + name] ?? []
            }
        }
        return .success(selected)
    }

    /// `plan` with every task that `targets` do not need marked not selected.
    public static func apply(_ targets: [String], to plan: Plan) -> Result<Plan, Diagnostic> {
        // No targets select every task: no tables of names (with 100,000 tasks they were 8% of a run's CPU).
        let selection = targets.isEmpty ? .success(nil) : select(targets, in: plan).map { Optional($0) }
        return selection.map { selected in
            var plan = plan
            // Written only where it changes: a run of every task keeps sharing the
            // plan's arrays instead of copying them (100,000 tasks are ~40 MB).
            for s in plan.stages.indices {
                for t in plan.stages[s].tasks.indices {
                    let isSelected = selected?.contains(plan.stages[s].tasks[t].id) ?? true
                    if plan.stages[s].tasks[t].selected != isSelected { plan.stages[s].tasks[t].selected = isSelected }
                }
            }
            return plan
        }
    }

    /// Every target name of `plan`: stages, then `stage/task`, in workflow order (for completion and hints).
    public static func names(of plan: Plan) -> [String] {
        var matrixTasks: [String] = []
        for stage in plan.stages {
            for task in stage.tasks {
                guard let matrixTask = task.instanceOf else { continue }
                let name = stage.name + "/" + matrixTask
                if matrixTasks.last != name { matrixTasks.append(name) }
            }
        }
        return plan.stages.map(\.name) + plan.stages.flatMap { $0.tasks.map(\.qualifiedName) } + matrixTasks
    }

    /// The tasks whose values `task` needs at run time, as (stage, task).
    /// A matrix task's `results` and `outputs` count as references to that task
    /// (or all its instances), and so does every step's command, env and folder.
    static func references(of task: PlannedTask, stageCondition: Condition? = nil) -> [(String, String)] {
        var texts = task.environment.map(\.value) + [task.workingDirectory]
        if let result = task.result { texts.append(result) }
        switch task.action {
        case .run(let command, _): texts.append(command)
        case .sleep: break
        case .steps(let steps):
            for step in steps {
                texts += step.environment.map(\.value) + [step.workingDirectory]
                if case .run(let command, _) = step.action { texts.append(command) }
            }
        }
        for axis in task.fanOut?.axes ?? [] {
            if case .lines(_, let text) = axis { texts.append(text) }
        }
        var found: [(String, String)] = texts.flatMap(\.parts).compactMap { part in
            switch part {
            case .taskResult(let stage, let name), .taskResults(let stage, let name), .taskOutput(let stage, let name, _):
                return (stage, name)
            case .text, .ownOutput, .matrix:
                return nil
            }
        }
        // `if:` reads results and states too; a stage's state is all of its tasks'.
        var conditions = [task.condition, stageCondition].compactMap { $0 }
        if case .steps(let steps) = task.action { conditions += steps.compactMap(\.condition) }
        for (reference, _) in conditions.flatMap(\.references) {
            switch reference {
            case .taskResult(let stage, let name), .taskState(let stage, let name), .taskOutput(let stage, let name, _):
                found.append((stage, name))
            case .stageState(let stage): found.append((stage, "*"))
            case .variable, .environment, .hostOS, .hostArch, .matrix: break
            }
        }
        return found
    }
}
