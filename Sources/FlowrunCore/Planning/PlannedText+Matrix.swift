extension PlannedText {
    /// The text with every `matrix.KEY` hole filled from `values` (quoted
    /// like any value when `quotesValues` is set); other holes stay.
    public func binding(_ values: [Workflow.MatrixValue]) -> PlannedText {
        guard parts.contains(where: { if case .matrix = $0 { true } else { false } }) else { return self }
        var bound: [Part] = []
        for part in parts {
            var piece = part
            if case .matrix(let key) = part {
                let value = values.first { $0.name == key }?.value ?? ""
                piece = .text(quotesValues ? ShellQuote.word(value) : value)
            }
            if case .text(let text) = piece, case .text(let previous)? = bound.last {
                bound[bound.count - 1] = .text(previous + text)
            } else {
                bound.append(piece)
            }
        }
        return PlannedText(parts: bound, quotesValues: quotesValues)
    }
}

extension PlannedTask {
    /// An instance of this task's matrix: named `name`, every `matrix` hole filled.
    public func instance(named name: String, id: TaskID, values: [Workflow.MatrixValue]) -> PlannedTask {
        var task = self
        task.id = id
        task.name = name
        task.fanOut = nil
        task.matrixTask = self.name
        task.action = action.binding(values)
        task.environment = environment.map { .init(name: $0.name, value: $0.value.binding(values)) }
        task.workingDirectory = workingDirectory.binding(values)
        task.result = result?.binding(values)
        task.condition = condition?.binding(values)
        return task
    }
}

extension PlannedTask.Action {
    func binding(_ values: [Workflow.MatrixValue]) -> PlannedTask.Action {
        switch self {
        case .run(let command, let shell): .run(command: command.binding(values), shell: shell)
        case .sleep: self
        case .steps(let steps):
            .steps(steps.map { step in
                var step = step
                step.action = step.action.binding(values)
                step.environment = step.environment.map { .init(name: $0.name, value: $0.value.binding(values)) }
                step.workingDirectory = step.workingDirectory.binding(values)
                step.condition = step.condition?.binding(values)
                return step
            })
        }
    }
}

extension Condition {
    /// The condition with every `matrix.KEY` replaced by the instance's value.
    func binding(_ values: [Workflow.MatrixValue]) -> Condition {
        substituting { reference in
            guard case .matrix(let key) = reference else { return nil }
            return values.first { $0.name == key }?.value ?? ""
        }
    }
}
