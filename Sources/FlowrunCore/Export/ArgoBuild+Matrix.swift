/// A static matrix as one looped step: one template whose inputs are the
/// matrix keys, and `withItems` listing the instances after `exclude` and
/// `include`, each with its flowrun name (`instance`). A matrix whose
/// instances differ in more than their keys (`task.name` in a command), or
/// one of whose instances a later stage reads by name, stays one step per
/// instance, with the values filled in.
extension ArgoBuild {
    /// A matrix written as one looped step: its items (static), or none for a dynamic matrix (`withParam`).
    struct MatrixGroup {
        var items: [ManifestValue]?
    }

    /// The group a task belongs to, if it is a static instance grouped or a dynamic matrix.
    func group(of task: PlannedTask) -> MatrixGroup? {
        if task.fanOut != nil { return groups[task.stageName]?[task.name] }
        return task.matrixTask.flatMap { groups[task.stageName]?[$0] }
    }

    /// Decides which static matrices become one looped step; binds the others' values.
    mutating func findGroups() {
        var named: Set<[String]> = []
        for stage in plan.stages {
            for task in stage.tasks {
                for part in Self.holes(task) {
                    switch part {
                    case .taskResult(let s, let t), .taskOutput(let s, let t, _): named.insert([s, t])
                    default: break
                    }
                }
                for source in Self.conditions(task).flatMap(Self.sources) { named.insert([source.stage, source.task]) }
            }
        }
        for (stageIndex, stage) in plan.stages.enumerated() {
            var start = 0
            while start < stage.tasks.count {
                if stage.tasks[start].fanOut != nil { groups[stage.name, default: [:]][stage.tasks[start].name] = MatrixGroup(items: nil) }
                guard let matrix = stage.tasks[start].matrixTask, stage.tasks[start].fanOut == nil else {
                    start += 1
                    continue
                }
                var end = start
                while end + 1 < stage.tasks.count, stage.tasks[end + 1].matrixTask == matrix { end += 1 }
                let instances = Array(start...end)
                let shape = Self.shape(stage.tasks[start])
                let same = instances.allSatisfy { Self.shape(stage.tasks[$0]) == shape }
                let readByName = instances.contains { named.contains([stage.name, stage.tasks[$0].name]) }
                if same, !readByName {
                    groups[stage.name, default: [:]][matrix] = MatrixGroup(items: instances.map { index in
                        let values = matrixValues(stageIndex, index)
                        var item: [(String, ManifestValue)] = values.contains(where: { $0.name == "instance" })
                            ? [] : [("instance", .string(stage.tasks[index].name))]
                        for value in values { item.append((value.name, .string(value.value))) }
                        return .map(item)
                    })
                } else {
                    for index in instances {
                        plan.stages[stageIndex].tasks[index] = Self.bound(stage.tasks[index], matrixValues(stageIndex, index))
                    }
                }
                start = end + 1
            }
        }
    }

    /// The tasks of a stage as steps: a grouped matrix's instances together, every other task alone.
    func units(of stage: PlannedStage) -> [[Int]] {
        var units: [[Int]] = []
        for (index, task) in stage.tasks.enumerated() {
            if let matrix = task.matrixTask, groups[stage.name]?[matrix] != nil, index > 0,
               stage.tasks[index - 1].matrixTask == matrix, !units.isEmpty {
                units[units.count - 1].append(index)
            } else {
                units.append([index])
            }
        }
        return units
    }

    func matrixValues(_ stage: Int, _ task: Int) -> [Workflow.MatrixValue] {
        guard stage < workflow.stages.count, task < workflow.stages[stage].tasks.count else { return [] }
        return workflow.stages[stage].tasks[task].matrixValues
    }

    /// What must be equal for instances to share one template: everything a template holds.
    static func shape(_ task: PlannedTask) -> String {
        "\(task.action)|\(task.environment)|\(task.workingDirectory)|\(String(describing: task.result))|\(String(describing: task.condition))"
    }

    /// An instance with its matrix holes filled (what `plan` shows for it).
    static func bound(_ task: PlannedTask, _ values: [Workflow.MatrixValue]) -> PlannedTask {
        var task = task
        task.action = task.action.binding(values)
        task.environment = task.environment.map { .init(name: $0.name, value: $0.value.binding(values)) }
        task.workingDirectory = task.workingDirectory.binding(values)
        task.result = task.result?.binding(values)
        let value = { (reference: ConditionReference) -> String? in
            guard case .matrix(let key) = reference else { return nil }
            return values.first { $0.name == key }?.value ?? ""
        }
        task.condition = task.condition?.substituting(value)
        if case .steps(var steps) = task.action {
            for index in steps.indices { steps[index].condition = steps[index].condition?.substituting(value) }
            task.action = .steps(steps)
        }
        return task
    }
}
