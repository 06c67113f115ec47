@testable import FlowrunCore
import Testing

/// The text report names where a Slurm task ran (issue 13: "Reports name …
/// the Slurm job and step id of each task, and the node"); local tasks' lines stay as they were.
@Suite struct ReportPlacementTests {
    @Test func aSlurmTaskNamesItsJobStepAndNode() {
        var run = ReportFixture.seedRun()
        let local = RunReport.render(run)
        run.tasks[0].placement = TaskPlacement(executor: .slurm, jobID: "812", stepID: "3", node: "node1")
        run.tasks[1].placement = TaskPlacement(executor: .slurm, jobID: "813")
        let lines = RunReport.render(run).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[1] == "  1  succeeded     3.00s  1 attempt   slurm job 812.3 on node1  result: task (1) result")
        #expect(lines[2] == "  2  succeeded     3.50s  1 attempt   slurm job 813  result: task (2) result")
        // Every other line is the local report's, byte for byte.
        let others = lines.enumerated().filter { ![1, 2].contains($0.offset) }.map(\.element)
        let localLines = local.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(others == localLines.enumerated().filter { ![1, 2].contains($0.offset) }.map(\.element))
    }
}
