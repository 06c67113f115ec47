@testable import FlowrunCore
import Testing

/// The Slurm executor's pure parts: the srun command, sizes, and what the cluster's commands print.
@Suite struct SlurmCommandTests {
    @Test func aStepInTheRunsAllocationKeepsTheScriptOffTheCommandLine() {
        let command = SrunCommand(
            shell: ["sh", "-e", "-c"], script: "echo TOPSECRET", environment: [("A", "1")],
            workingDirectory: "/work/x", resources: TaskResources(cpus: 2, memoryMegabytes: 512, gpus: 1, time: .seconds(61)),
            settings: ExecutorSettings(kind: .slurm, partition: "p", srunArguments: ["--exclusive"]),
            jobID: "42", jobName: "flowrun-abc-s-t")
        #expect(Array(command.arguments.prefix(11)) == [
            "srun", "--quiet", "--input=none", "--nodes=1", "--ntasks=1", "--export=ALL", "--jobid=42", "--exact",
            "--job-name=flowrun-abc-s-t", "--cpus-per-task=2", "--mem=512M",
        ])
        #expect(command.arguments.contains("--gpus=1"))
        #expect(command.arguments.contains("--time=3"))
        #expect(command.arguments.contains("--exclusive"))
        // A step's partition is its allocation's.
        #expect(!command.arguments.contains("--partition=p"))
        #expect(Array(command.arguments.suffix(5)) == ["sh", "-e", "-c", ". /dev/fd/3", "sh"])
        #expect(!command.arguments.contains { $0.contains("TOPSECRET") })
        #expect(!command.arguments.contains { $0.hasPrefix("--chdir") })
        #expect(command.environment.map(\.name) == ["A", "FLOWRUN_SLURM_SCRIPT", "FLOWRUN_SLURM_DIR"])
        #expect(command.environment[1].value == ScriptFileForm.posixPrologue + "echo TOPSECRET")
        #expect(command.environment[2].value == "/work/x")
    }

    @Test func aJobOfItsOwnNamesPartitionAccountAndQOS() {
        let command = SrunCommand(
            shell: ["python3"], script: "print(1)", environment: [], workingDirectory: "/", resources: TaskResources(),
            settings: ExecutorSettings(kind: .slurm, partition: "debug", account: "acct", qos: "fast", allocation: .task),
            jobID: nil, jobName: "flowrun-abc-s-t")
        #expect(command.arguments.contains("--partition=debug"))
        #expect(command.arguments.contains("--account=acct"))
        #expect(command.arguments.contains("--qos=fast"))
        #expect(!command.arguments.contains { $0.hasPrefix("--jobid") })
        #expect(command.arguments.last == "python3")
    }

    @Test(arguments: [(1, 2), (59, 2), (60, 2), (61, 3), (3600, 61)])
    func timeIsWholeMinutesRoundedUpPlusOne(seconds: Int, minutes: Int) {
        #expect(TaskResources.slurmMinutes(.seconds(seconds)) == minutes)
    }

    @Test(arguments: [
        ("512M", 512), ("4G", 4096), ("4g", 4096), ("1T", 1_048_576), ("100", 100), ("1536K", 2), ("2GB", 2048),
    ] as [(String, Int?)])
    func memorySizes(text: String, megabytes: Int?) {
        #expect(Validator.Pass.megabytes(text) == megabytes)
    }

    @Test(arguments: ["", "M", "-1G", "0", "1.5G", "4X", "9999999999999T"])
    func badMemorySizes(text: String) {
        #expect(Validator.Pass.megabytes(text) == nil)
    }

    @Test func sinfoNamesTheDefaultPartitionAndItsCPUs() {
        let text = "debug* 0/8/0/8\nbig 4/60/0/64\n"
        #expect(SlurmProbe.cluster(fromSinfo: text, partition: nil) == .success(.init(partition: "debug", cpus: 8)))
        #expect(SlurmProbe.cluster(fromSinfo: text, partition: "big") == .success(.init(partition: "big", cpus: 64)))
        #expect(SlurmProbe.cluster(fromSinfo: text, partition: "gpu") == .failure(.unknownPartition("gpu", known: ["debug", "big"])))
        #expect(SlurmProbe.Problem.unknownPartition("x", known: []).exitStatus == .invalidWorkflow)
        #expect(SlurmProbe.Problem.unreachable(reason: "down").exitStatus.rawValue == 69)
    }

    @Test func sallocsGrantedJobID() {
        #expect(SlurmAllocation.grantedJobID("salloc: Pending job allocation 7\nsalloc: Granted job allocation 7\n") == "7")
        #expect(SlurmAllocation.grantedJobID("salloc: error: Invalid partition name specified\n") == nil)
    }

    @Test func theAllocationIsTheLargestStageTimesItsLargestCPUsCappedByTheCluster() {
        func planned(_ index: Int, cpus: Int?, sleep: Bool = false) -> PlannedTask {
            var task = PlannedTask(
                id: TaskID(stage: 0, task: index), stageName: "s", name: "t\(index)",
                action: sleep ? .sleep(.seconds(1)) : .run(command: PlannedText(literal: "true"), shell: ["sh", "-c"]))
            task.resources.cpus = cpus
            return task
        }
        var plan = Plan(workflowName: "w", sourcePath: "w.yaml", stages: [
            PlannedStage(index: 0, name: "a", tasks: [planned(0, cpus: 2), planned(1, cpus: nil), planned(2, cpus: 8, sleep: true)]),
            PlannedStage(index: 1, name: "b", maxParallel: 2, tasks: (0..<10).map { planned($0, cpus: 1) }),
        ])
        plan.executor.kind = .slurm
        #expect(SlurmTaskRunner.allocationSize(plan, clusterCPUs: nil)?.cpus == 4)
        #expect(SlurmTaskRunner.allocationSize(plan, clusterCPUs: 3)?.cpus == 3)
        plan.stages[0].tasks[0].resources.cpus = 16
        // Never below one task's own CPUs, even over the cluster's count (Slurm then refuses it clearly).
        #expect(SlurmTaskRunner.allocationSize(plan, clusterCPUs: 8)?.cpus == 16)
    }

    @Test func slurmsLinesAreTheExecutorsAndThePlacementLineIsTakenOut() {
        let lines: OutputLines = ["flowrun-slurm: job=12 step=3 node=n1", "real stderr", "srun: error: n1: task 0: Killed", "slurmstepd: error: x"]
        let parts = ExecutorLines.split(lines)
        #expect(Array(parts.task) == ["real stderr"])
        #expect(Array(parts.executor) == ["srun: error: n1: task 0: Killed", "slurmstepd: error: x"])
        let report = StepReport(line: parts.placement ?? "")
        #expect(report.placement == TaskPlacement(executor: .slurm, jobID: "12", stepID: "3", node: "n1"))
        #expect(!report.directoryMissing)
        #expect(StepReport(line: "flowrun-slurm: job=1 step=0 node=n directory=missing").directoryMissing)
        #expect(SlurmTaskRunner.taskTermination(.exited(137), executorLines: ["srun: error: n1: task 0: Killed"]) == .signaled(9))
        #expect(SlurmTaskRunner.taskTermination(.exited(137), executorLines: ["srun: error: n1: task 0: Exited with exit code 137"]) == .exited(137))
    }
}

/// `executor:` and `resources:` in a file: values reach the plan, mistakes are located.
@Suite struct ExecutorKeysTests {
    static func load(_ text: String) -> WorkflowLoader.Outcome {
        WorkflowLoader().load(SourceText(path: "w.yaml", bytes: Array(text.utf8)), format: .yaml)
    }

    @Test func settingsAndResourcesReachThePlan() throws {
        let outcome = Self.load("""
            executor: {name: slurm, partition: debug, account: a, qos: q, allocation: task, srun-args: [--exclusive]}
            defaults:
              resources: {cpus: 2, memory: 1G}
            stages:
              - name: s
                executor: local
                tasks:
                  - {name: t, resources: {memory: 512M, gpus: 1, time: 90s}, run: "true"}
              - name: u
                tasks:
                  - {name: v, run: "true"}
            """)
        let workflow = try #require(outcome.workflow, "\(outcome.diagnostics)")
        let (plan, _) = try Planner().plan(workflow, sourcePath: "w.yaml", options: .init()).get()
        #expect(plan.executor == ExecutorSettings(
            kind: .slurm, partition: "debug", account: "a", qos: "q", allocation: .task, srunArguments: ["--exclusive"]))
        #expect(plan.stages[0].tasks[0].resources == TaskResources(cpus: 2, memoryMegabytes: 512, gpus: 1, time: .seconds(90)))
        #expect(plan.stages[0].tasks[0].staysLocal)
        #expect(!plan.stages[1].tasks[0].staysLocal)
        #expect(plan.stages[1].tasks[0].resources == TaskResources(cpus: 2, memoryMegabytes: 1024))
    }

    @Test func theCommandLineWinsOverTheEnvironmentWhichWinsOverTheFile() throws {
        let workflow = try #require(Self.load("executor: slurm\nstages: [{name: s, tasks: [{name: t, run: 'true'}]}]\n").workflow)
        func kind(_ options: Planner.Options) throws -> ExecutorSettings.Kind {
            try Planner().plan(workflow, sourcePath: "w.yaml", options: options).get().0.executor.kind
        }
        #expect(try kind(.init()) == .slurm)
        #expect(try kind(.init(environment: ["FLOWRUN_EXECUTOR": "local"])) == .local)
        #expect(try kind(.init(environment: ["FLOWRUN_EXECUTOR": "local"], executor: .slurm)) == .slurm)
        #expect(throws: Diagnostic.self) { try kind(.init(environment: ["FLOWRUN_EXECUTOR": "k8s"])) }
    }

    @Test func mistakesAreLocated() {
        let outcome = Self.load("""
            executor: {name: slrum, allocation: job}
            stages:
              - name: s
                tasks:
                  - {name: t, resources: {cpus: 0, memory: 4X, disk: 1}, run: "true"}
            """)
        let found = outcome.diagnostics.map { "\($0.location?.line ?? 0):\($0.location?.column ?? 0) \($0.message.text)" }
        #expect(found.contains("1:18 unknown executor `slrum`; flowrun has local and slurm; did you mean `slurm`?"), "\(found)")
        #expect(found.contains { $0.hasPrefix("1:37 `executor.allocation` must be run or task") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("5:37 `resources.cpus` is 0") }, "\(found)")
        #expect(found.contains("5:48 invalid memory `4X`; use a whole number with M or G, e.g. 512M or 4G"), "\(found)")
        #expect(found.contains { $0.contains("unknown key `disk`") }, "\(found)")
        #expect(outcome.workflow == nil)
    }
}
