import Testing
@testable import FlowrunCore

/// The results board keeps task states only when an `if:` may read them.
@Suite struct ExecutionResultsBoardTests {
    func plan(stage: Condition? = nil, task: Condition? = nil, step: Condition? = nil) -> Plan {
        var plain = PlannedTask(id: TaskID(stage: 0, task: 0), stageName: "s", name: "a", action: .sleep(.zero))
        var step1 = PlannedStep(name: "one", action: .sleep(.zero))
        step1.condition = step
        let withSteps = PlannedTask(id: TaskID(stage: 0, task: 1), stageName: "s", name: "b", action: .steps([step1]))
        plain.condition = task
        var planned = PlannedStage(index: 0, name: "s", tasks: [plain, withSteps])
        planned.condition = stage
        return Plan(workflowName: "w", sourcePath: "w.yaml", stages: [planned])
    }

    @Test func anIfOfAStageTaskOrStepIsSeen() {
        let asks = Condition.equals(.text("a"), .text("b"), negated: false)
        #expect(ResultsBoard.hasConditions(plan()) == false)
        #expect(ResultsBoard.hasConditions(plan(stage: asks)))
        #expect(ResultsBoard.hasConditions(plan(task: asks)))
        #expect(ResultsBoard.hasConditions(plan(step: asks)))
    }

    /// A plan whose stage `b` reads stage `a` through `text`, placed by `place`.
    func reading(_ place: (inout PlannedTask, PlannedText) -> Void) -> Plan {
        let text = PlannedText(parts: [.text("x "), .taskResult(stage: "a", task: "one")])
        var reader = PlannedTask(id: TaskID(stage: 1, task: 0), stageName: "b", name: "r", action: .sleep(.zero))
        place(&reader, text)
        let first = PlannedTask(id: TaskID(stage: 0, task: 0), stageName: "a", name: "one", action: .sleep(.zero))
        let other = PlannedTask(id: TaskID(stage: 2, task: 0), stageName: "c", name: "two", action: .sleep(.zero))
        return Plan(workflowName: "w", sourcePath: "w.yaml", stages: [
            PlannedStage(index: 0, name: "a", tasks: [first]), PlannedStage(index: 1, name: "b", tasks: [reader]),
            PlannedStage(index: 2, name: "c", tasks: [other]),
        ])
    }

    @Test func onlyTheResultsOfStagesSomethingReadsAreKept() {
        let at = SourceLocation(file: "w.yaml", line: 1, column: 1)
        let places: [(inout PlannedTask, PlannedText) -> Void] = [
            { task, text in task.action = .run(command: text, shell: ["sh", "-c"]) },
            { task, text in task.environment = [.init(name: "V", value: text)] },
            { task, text in task.workingDirectory = text },
            { task, text in task.result = text },
            { task, text in task.action = .steps([PlannedStep(name: "s", action: .run(command: text, shell: ["sh", "-c"]))]) },
            { task, text in task.fanOut = PlannedFanOut(axes: [.lines(name: "k", text: text)]) },
            { task, _ in task.condition = .reference(.taskResult(stage: "a", task: "one"), at) },
            { task, _ in task.condition = .reference(.taskOutput(stage: "a", task: "one", name: "o"), at) },
        ]
        for place in places {
            #expect(ResultReaders(reading(place)).stages == ["a"])
            let board = ResultsBoard(for: reading(place))
            board.post("kept", stage: "a", task: "one")
            board.post("dropped", stage: "c", task: "two")
            let read = PlannedText(parts: [.taskResult(stage: "a", task: "one"), .text(","), .taskResult(stage: "c", task: "two")])
            #expect(board.render(read, own: nil) == "kept,")
        }
        // A state (`tasks.T.state`) is kept apart from results: it alone keeps none.
        #expect(ResultReaders(reading { task, _ in task.condition = .reference(.taskState(stage: "a", task: "one"), at) }).stages.isEmpty)
        // Without a plan (the state preview) every stage's results are kept.
        #expect(ResultsBoard().keepsResults(of: "c"))
    }
}
