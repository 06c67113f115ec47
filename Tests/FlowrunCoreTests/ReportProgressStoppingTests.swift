import Testing
@testable import FlowrunCore

/// After an interrupt the status line says the running tasks are stopping (issue 9.8).
@Suite("ReportProgress stopping")
struct ReportProgressStoppingTests {
    private func started(width: Int) -> (ProgressLine, StringSink) {
        let thePlan = plan([stage(0, "build", [("a", ""), ("b", ""), ("c", "")])])
        let screen = StringSink()
        let progress = ProgressLine(plan: thePlan, terminal: screen, width: width, now: { .now })
        progress.receive(.runStarted(workflowName: "w", runID: "r", startedAt: WallTime(seconds: 0, nanoseconds: 0)))
        progress.receive(.stageStarted(index: 0, name: "build", at: .zero))
        progress.receive(.taskStarted(TaskID(stage: 0, task: 0), attempt: 1, at: .zero))
        progress.receive(.taskStarted(TaskID(stage: 0, task: 1), attempt: 1, at: .zero))
        return (progress, screen)
    }

    private func lastLine(_ screen: StringSink) -> String {
        String(screen.text.components(separatedBy: ProgressLine.erase).last ?? "")
    }

    @Test func theRunningCountBecomesStopping() {
        let (progress, screen) = started(width: 80)
        #expect(lastLine(screen).hasPrefix("[1/1] build · 0 done · 2 running · 1 pending · "))
        progress.stopping()
        #expect(lastLine(screen).hasPrefix("[1/1] build · 0 done · 2 stopping · 1 pending · "))
        progress.tick()
        #expect(lastLine(screen).contains("stopping"))
    }

    /// After the interrupt only clean-up stages start (`always()`, `cancelled()`); their tasks run.
    @Test func aCleanUpStageShowsItsTasksRunning() {
        let thePlan = plan([stage(0, "build", [("a", "")]), stage(1, "stop", [("s", "")])])
        let screen = StringSink()
        let progress = ProgressLine(plan: thePlan, terminal: screen, width: 80, now: { .now })
        progress.receive(.runStarted(workflowName: "w", runID: "r", startedAt: WallTime(seconds: 0, nanoseconds: 0)))
        progress.receive(.stageStarted(index: 0, name: "build", at: .zero))
        progress.receive(.taskStarted(TaskID(stage: 0, task: 0), attempt: 1, at: .zero))
        progress.stopping()
        #expect(lastLine(screen).hasPrefix("[1/2] build · 0 done · 1 stopping · 1 pending · "))
        progress.receive(.taskFinished(TaskResult(id: TaskID(stage: 0, task: 0), stageName: "build", name: "a", state: .cancelled, attempts: 1)))
        progress.receive(.stageStarted(index: 1, name: "stop", at: .zero))
        progress.receive(.taskStarted(TaskID(stage: 1, task: 0), attempt: 1, at: .zero))
        #expect(lastLine(screen).hasPrefix("[2/2] stop · 1 done · 1 running · 0 pending · "), "\(lastLine(screen))")
    }

    @Test func theNarrowFormSaysStoppingToo() {
        let (progress, screen) = started(width: 36)
        progress.stopping()
        #expect(lastLine(screen).hasPrefix("[1/1] build 0/3 stopping · "))
    }
}
