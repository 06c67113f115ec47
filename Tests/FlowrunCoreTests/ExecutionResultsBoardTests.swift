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
}
