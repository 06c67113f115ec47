import Foundation
import Testing
@testable import FlowrunCore

/// Locally `resources.cpus: N` takes N slots of the stage's cap (issue 13), as Snakemake's --cores.
@Suite struct ExecutionCPUSlotsTests {
    static func plan(cap: Int, cpus: [Int?]) -> Plan {
        var stage = stage(0, "s", maxParallel: cap, cpus.indices.map { ("t\($0)", "20 0") })
        for (index, count) in cpus.enumerated() { stage.tasks[index].resources.cpus = count }
        return Plan(workflowName: "w", sourcePath: "w.yaml", stages: [stage])
    }

    @Test func twoCPUTasksRunOneAtATimeUnderACapOfThree() async {
        let runner = FakeRunner()
        let result = await Executor(runner: LocalTaskRunner(processes: runner)).run(
            Self.plan(cap: 3, cpus: [2, 2, 2, 2]), sink: EventRecorder())
        #expect(runner.maxRunning == 1)
        #expect(result.exitStatus == .success)
    }

    @Test func oneCPUTasksFillTheSlotsTheWideOnesLeave() async {
        let runner = FakeRunner()
        _ = await Executor(runner: LocalTaskRunner(processes: runner)).run(
            Self.plan(cap: 3, cpus: [2, nil, 2, nil]), sink: EventRecorder())
        #expect(runner.maxRunning == 2)
    }

    @Test func aTaskWiderThanTheCapStillRunsAlone() async {
        let runner = FakeRunner()
        let result = await Executor(runner: LocalTaskRunner(processes: runner)).run(
            Self.plan(cap: 2, cpus: [8, 1]), sink: EventRecorder())
        #expect(runner.maxRunning == 1)
        #expect(result.tasks.allSatisfy { $0.state == .succeeded })
    }

    @Test func onSlurmCPUsDoNotTakeLocalSlots() async {
        var plan = Self.plan(cap: 4, cpus: [4, 4, 4, 4])
        plan.executor.kind = .slurm
        let runner = FakeRunner()
        // The local runner stands in for srun here: the cap counts tasks, the cluster counts CPUs.
        _ = await Executor(runner: LocalTaskRunner(processes: runner)).run(plan, sink: EventRecorder())
        #expect(runner.maxRunning == 4)
    }
}
