import Testing
@testable import FlowrunCore

/// Each stage's results found by binary search when the results come stage
/// by stage (as the executor makes them), by filtering otherwise.
@Suite struct RunResultStagesTests {
    func run(_ stages: [Int]) -> RunResult {
        let tasks = stages.enumerated().map { position, stage in
            TaskResult(id: TaskID(stage: stage, task: position), stageName: "s\(stage)", name: "t\(position)", state: .skipped)
        }
        return RunResult(
            workflowName: "w", runID: "r", startedAt: WallTime(seconds: 0, nanoseconds: 0), wallTime: .zero,
            stages: (0..<4).map { StageResult(index: $0, name: "s\($0)") }, tasks: tasks, interrupted: false)
    }

    @Test(arguments: [[0, 0, 1, 3, 3, 3], [2, 2], [], [0, 1, 2, 3], [1, 0, 1, 3, 0]])
    func everyStageGetsItsOwnResultsInOrder(stages: [Int]) {
        let result = run(stages)
        #expect(result.stageOrdered == (stages == stages.sorted()))
        for stage in 0..<4 {
            let expected = stages.indices.filter { stages[$0] == stage }
            #expect(Array(result.taskPositions(ofStage: stage, stageOrdered: result.stageOrdered)) == expected)
        }
    }

    @Test func theReportListsResultsUnderTheirStageInEitherOrder() {
        let ordered = RunReport.render(run([0, 0, 1]))
        let shuffled = RunReport.render(run([0, 1, 0]))
        #expect(ordered.contains("stage s0: skipped\n  t0  skipped\n  t1  skipped\nstage s1: skipped\n  t2  skipped\n"))
        #expect(shuffled.contains("stage s0: skipped\n  t0  skipped\n  t2  skipped\nstage s1: skipped\n  t1  skipped\n"))
    }
}
