/// The stages whose task results (or outputs) something in a plan reads at
/// run time: a `${{ stages.S.tasks.T.result }}` (or `.results`, `.outputs.N`)
/// in a command, env value, working directory, `result` template or dynamic
/// matrix, or a reference in an `if:`. The results board keeps only these
/// stages' results: 100,000 results nobody reads cost 12 MB.
struct ResultReaders: Sendable {
    private(set) var stages: Set<String> = []

    init(_ plan: Plan) {
        for stage in plan.stages {
            add(stage.condition)
            for task in stage.tasks { add(task) }
        }
    }

    private mutating func add(_ task: PlannedTask) {
        add(task.action)
        for variable in task.environment { add(variable.value) }
        add(task.workingDirectory)
        if let result = task.result { add(result) }
        add(task.condition)
        for axis in task.fanOut?.axes ?? [] {
            if case .lines(_, let text) = axis { add(text) }
        }
    }

    private mutating func add(_ action: PlannedTask.Action) {
        switch action {
        case .run(let command, _): add(command)
        case .sleep: break
        case .steps(let steps):
            for step in steps {
                add(step.action)
                for variable in step.environment { add(variable.value) }
                add(step.workingDirectory)
                add(step.condition)
            }
        }
    }

    private mutating func add(_ text: PlannedText) {
        for part in text.parts {
            switch part {
            case .taskResult(let stage, _), .taskResults(let stage, _), .taskOutput(let stage, _, _): stages.insert(stage)
            case .text, .ownOutput, .matrix: break
            }
        }
    }

    private mutating func add(_ condition: Condition?) {
        for (reference, _) in condition?.references ?? [] {
            switch reference {
            case .taskResult(let stage, _), .taskOutput(let stage, _, _): stages.insert(stage)
            case .variable, .environment, .hostOS, .hostArch, .taskState, .stageState, .matrix: break
            }
        }
    }
}
