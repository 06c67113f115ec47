import Testing
@testable import FlowrunCore

/// A planned task is small, and the tasks of a stage share what they have in common
/// (100,000 planned tasks were 38 MB at 392 bytes each).
@Suite struct PlannedTaskSizeTests {
    @Test func aPlannedTaskAndItsIDAreSmall() {
        #expect(MemoryLayout<TaskID>.size == 12)
        #expect(MemoryLayout<PlannedTask>.stride <= 136)
    }

    @Test func tasksWithTheSameSettingsShareOneBox() throws {
        let (plan, _) = try plan("""
            stages:
              - name: s
                tasks:
                  - sleep: 1
                  - sleep: 2
                  - {run: "true", timeout: 5s}
                  - sleep: 3
            """)
        let tasks = plan.stages[0].tasks
        #expect(tasks[0].details === tasks[1].details)
        #expect(tasks[0].details !== PlannedTask.Details.none)
        #expect(tasks[2].details !== tasks[1].details)
        #expect(tasks[2].timeout == .seconds(5))
        #expect(tasks[3].timeout == nil)
        #expect(tasks[0].workingDirectory == PlannedText(literal: "/work/ci"))
    }

    @Test func changingASharedBoxChangesOnlyThatTask() {
        var a = PlannedTask(id: TaskID(stage: 0, task: 0), stageName: "s", name: "a", action: .sleep(.zero), retries: 2)
        var b = a
        b.retries = 3
        #expect(a.retries == 2 && b.retries == 3)
        a.timeout = .seconds(1)
        #expect(a.timeout == .seconds(1) && b.timeout == nil)
        // Setting what is already there copies nothing.
        let shared = PlannedTask(id: TaskID(stage: 0, task: 1), stageName: "s", name: "c", action: .sleep(.zero))
        var same = shared
        same.retries = 0
        #expect(same.details === shared.details && same.details === PlannedTask.Details.none)
        #expect(TaskID(stage: 1, task: 2, instance: 3).instance == 3 && TaskID(stage: 1, task: 2).instance == nil)
    }
}
