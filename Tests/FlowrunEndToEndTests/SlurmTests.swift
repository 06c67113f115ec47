import FlowrunTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Slurm executor against a real cluster (issue 13): `.ci/run` starts a
/// one-node cluster with `scripts/slurm/start` and sets
/// `FLOWRUN_SLURM_CLUSTER=1`, which makes this suite required. Without it the
/// suite runs when `sinfo` answers, and skips (saying so) where no cluster
/// can start (macOS, no Slurm installed).
@Suite(.serialized, .enabled(if: SlurmCluster.available, SlurmCluster.skipReason))
struct SlurmTests {
    /// Runs `workflow` (YAML on stdin) on Slurm and checks no job of it is left in `squeue`.
    static func run(_ workflow: String, _ extra: [String] = [], timeout: Double = 60) async throws -> Flowrun.Result {
        let result = try await Flowrun.run(
            ["run", "-", "--executor", "slurm", "--format", "json"] + extra, in: NSTemporaryDirectory(),
            stdin: workflow, timeout: timeout)
        #expect(SlurmCluster.flowrunJobs().isEmpty, "jobs left: \(SlurmCluster.flowrunJobs())")
        return result
    }

    static func report(_ result: Flowrun.Result) throws -> [String: Any] {
        let data = Data(result.stdout.utf8)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "\(result.stdout)\(result.stderr)")
    }

    static func tasks(_ result: Flowrun.Result) throws -> [[String: Any]] {
        try #require(try report(result)["tasks"] as? [[String: Any]])
    }

    /// On the node as locally (issue 16.1): the script comes on fd 3, `$0`
    /// stays the shell's name, and the task's children see only 0-2.
    @Test(arguments: ["sh", "bash"])
    func theNodesShellKeepsItsNameAndClosesTheScriptDescriptor(shell: String) async throws {
        let result = try await Self.run("""
            stages:
              - name: s
                tasks:
                  - name: t
                    shell: \(shell)
                    run: echo "$0"; sh -c 'ls /proc/$$/fd' | tr '\\n' ' '
            """)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try Self.tasks(result).first?["result"] as? String == "\(shell)\n0 1 2 ", "\(result.stdout)")
    }

    /// stdin is /dev/null on the node, as locally: not the closed pipe `--input=none` leaves.
    @Test func theStepReadsDevNullOnStdin() async throws {
        let result = try await Self.run("""
            stages:
              - name: s
                tasks:
                  - {name: t, run: "readlink /proc/self/fd/0; cat; [ -p /dev/stdin ] && echo pipe || echo no-pipe"}
            """)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try Self.tasks(result).first?["result"] as? String == "/dev/null\nno-pipe", "\(result.stdout)")
    }

    @Test func theSeedShapeRunsAsStepsWithResultsInOrder() async throws {
        let result = try await Self.run("""
            name: seed-on-slurm
            stages:
              - name: one
                tasks:
                  - {name: "1", run: "sleep 1; echo task 1 on $SLURMD_NODENAME"}
                  - {name: "2", run: "sleep 1.5; echo task 2"}
              - name: two
                tasks:
                  - {name: "3", run: "echo got ${{ stages.one.tasks.1.result }}"}
            """)
        #expect(result.status == 0, "\(result.stderr)")
        let tasks = try Self.tasks(result)
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? ""
        #expect(tasks.map { $0["result"] as? String } == ["task 1 on \(host)", "task 2", "got task 1 on \(host)"])
        let placement = try #require(tasks[0]["executor"] as? [String: Any])
        #expect(placement["name"] as? String == "slurm")
        #expect((placement["job"] as? String).flatMap(Int.init) != nil)
        #expect(placement["step"] as? String != nil)
        #expect(placement["node"] as? String == host)
        // The two tasks of stage one overlapped: the stage took ~1.5 s, not 2.5 s.
        let stage = try #require((try Self.report(result)["stages"] as? [[String: Any]])?.first)
        #expect((stage["duration"] as? Double ?? 99) < 2.4)
    }

    /// The text report names each Slurm task's job, step and node, as the JSON report does.
    @Test func theTextReportNamesJobStepAndNode() async throws {
        let result = try await Flowrun.run(
            ["run", "-", "--executor", "slurm"], in: NSTemporaryDirectory(),
            stdin: "stages: [{name: s, tasks: [{name: t, run: echo hi}]}]", timeout: 60)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(SlurmCluster.flowrunJobs().isEmpty)
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? ""
        let line = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix("  t ") }, "\(result.stdout)")
        #expect(line.wholeMatch(of: /\ \ t  succeeded +\S+  1 attempt   slurm job \d+\.\d+ on (\S+)  result: hi/)?.1 == Substring(host),
                "\(line)")
    }

    /// The jobs are named for the run the report names; before, the runner made an id of its own.
    @Test func theJobsCarryTheRunIDOfTheReport() async throws {
        let result = try await Self.run("stages: [[\"echo $SLURM_JOB_NAME\"]]")
        #expect(result.status == 0, "\(result.stderr)")
        let runID = try #require(try Self.report(result)["runId"] as? String)
        let name = try #require(try Self.tasks(result).first?["result"] as? String)
        #expect(name.hasPrefix("flowrun-\(runID)-"), "job \(name), report's run \(runID)")
    }

    @Test func failFastCancelsTheRunningStep() async throws {
        let start = Date()
        let result = try await Self.run("""
            name: fail-fast
            stages:
              - name: s
                tasks:
                  - {name: slow, run: "sleep 30"}
                  - {name: bad, run: "sleep 0.5; exit 3"}
            """)
        #expect(result.status == 1)
        #expect(Date().timeIntervalSince(start) < 20)
        let tasks = try Self.tasks(result)
        #expect(tasks.map { $0["state"] as? String } == ["cancelled", "failed"])
        #expect(tasks[1]["exitCode"] as? Int == 3)
    }

    @Test func aTimeoutEndsTheStep() async throws {
        let result = try await Self.run("""
            name: timeout
            stages:
              - name: s
                tasks:
                  - {name: t, timeout: 1s, run: "sleep 30"}
            """)
        #expect(result.status == 1)
        #expect(try Self.tasks(result).first?["state"] as? String == "timed-out")
    }

    @Test func retriesRunTheStepAgain() async throws {
        let scratch = try TemporaryFolder()
        let result = try await Self.run("""
            name: retries
            stages:
              - name: s
                tasks:
                  - name: flaky
                    retries: 2
                    run: echo x >> \(scratch.path)/count; [ "$(wc -l < \(scratch.path)/count)" -ge 3 ] && echo third
            """)
        #expect(result.status == 0, "\(result.stderr)")
        let task = try #require(try Self.tasks(result).first)
        #expect(task["attempts"] as? Int == 3)
        #expect(task["result"] as? String == "third")
    }

    @Test func aTwoCPUTaskGetsTwoCPUs() async throws {
        let result = try await Self.run("""
            name: cpus
            stages:
              - name: s
                tasks:
                  - {name: wide, resources: {cpus: 2, memory: 64M, time: 1m}, run: "echo $SLURM_CPUS_PER_TASK"}
            """)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try Self.tasks(result).first?["result"] as? String == "2")
    }

    @Test func aMissingWorkingDirectoryFailsInsteadOfRunningInTmp() async throws {
        let result = try await Self.run("""
            name: bad-dir
            stages:
              - name: s
                tasks:
                  - {name: t, working-directory: /nonexistent/flowrun, run: "pwd"}
            """)
        #expect(result.status == 1)
        let task = try #require(try Self.tasks(result).first)
        #expect(task["state"] as? String == "failed")
        #expect((task["reason"] as? String)?.contains("/nonexistent/flowrun") == true)
        #expect(task["result"] is NSNull)
    }

    @Test func theScriptIsNotOnAnyCommandLineNorInTheJob() async throws {
        let secret = "S3CRET\(UInt32.random(in: 100_000...999_999))"
        let scratch = try TemporaryFolder()
        let workflow = try scratch.write("w.yaml", """
            name: secret
            vars: {token: \(secret)}
            secrets: [token]
            stages:
              - name: s
                tasks:
                  - {name: t, run: "echo ${{ vars.token }} > /dev/null; sleep 2"}
            """)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Flowrun.binary))
        process.arguments = ["run", workflow, "--executor", "slurm", "--output", "quiet"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        try await Task.sleep(for: .seconds(1.2))
        let seen = SlurmCluster.commandLinesContaining(secret)
        let queue = SlurmCluster.shell("squeue --noheader --format='%o %j'; scontrol show job")
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(seen.isEmpty, "secret on command lines: \(seen)")
        #expect(!queue.contains(secret))
        #expect(queue.contains("flowrun-") || process.terminationStatus != 0, "the step was not seen running: \(queue)")
    }

    @Test func anInterruptMidStageLeavesNoJob() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Flowrun.binary))
        process.arguments = ["run", "-", "--executor", "slurm", "--output", "quiet"]
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        input.fileHandleForWriting.write(Data("""
            name: interrupt
            stages:
              - name: s
                tasks:
                  - {name: a, run: "sleep 30"}
                  - {name: b, run: "sleep 30"}
            """.utf8))
        try input.fileHandleForWriting.close()
        // Wait until both steps run, then interrupt.
        let deadline = Date().addingTimeInterval(15)
        while SlurmCluster.runningSteps() < 2, Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(SlurmCluster.runningSteps() >= 2)
        let interrupted = Date()
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        #expect(SlurmCluster.flowrunJobs().isEmpty)
        #expect(Date().timeIntervalSince(interrupted) < 10)
    }
}

/// Whether a Slurm cluster answers here, and what it holds.
enum SlurmCluster {
    static let required = ProcessInfo.processInfo.environment["FLOWRUN_SLURM_CLUSTER"] == "1"
    static let available: Bool = required || shellStatus("sinfo --noheader >/dev/null 2>&1") == 0
    static let skipReason: Comment =
        "no Slurm cluster answers here (start one with scripts/slurm/start as root; .ci/run does and sets FLOWRUN_SLURM_CLUSTER=1)"

    /// Ids of jobs whose name starts with `flowrun-`.
    static func flowrunJobs() -> [String] {
        shell("squeue --noheader --format='%i %j'").split(separator: "\n")
            .filter { $0.split(separator: " ").dropFirst().first?.hasPrefix("flowrun-") == true }.map(String.init)
    }

    static func runningSteps() -> Int {
        shell("squeue --noheader --steps --format='%i %j'").split(separator: "\n")
            .filter { $0.contains("flowrun-") && !$0.contains(".extern") }.count
    }

    /// PIDs whose command line holds `text` (none of them this test process).
    static func commandLinesContaining(_ text: String) -> [String] {
        let me = String(getpid())
        let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc"))?.filter { $0.allSatisfy(\.isNumber) } ?? []
        return pids.filter { pid in
            guard pid != me, let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            return String(decoding: data, as: UTF8.self).contains(text)
        }
    }

    static func shell(_ script: String) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return "" }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    static func shellStatus(_ script: String) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        guard (try? process.run()) != nil else { return 127 }
        process.waitUntilExit()
        return process.terminationStatus
    }
}
