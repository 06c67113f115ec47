import Testing
@testable import FlowrunCore

/// The local runner turns an attempt into one process request.
@Suite("Local task runner")
struct ExecutionLocalTaskRunnerTests {
    private func attempt(keepsStdout: Bool, keepsStderr: Bool) -> TaskAttempt {
        TaskAttempt(
            id: TaskID(stage: 1, task: 2), workflowName: "w", stageName: "s", taskName: "t", runID: "r1",
            shell: ["bash", "-c"], command: "echo hi", environment: [("A", "1"), ("FLOWRUN_TASK", "spoof")],
            workingDirectory: "/tmp", killGrace: .milliseconds(700), keepsStdout: keepsStdout, keepsStderr: keepsStderr,
            mask: SecretMask(["hi"]))
    }

    @Test func requestRunsTheShellWithTheTaskVariablesThenTheIdentity() {
        let request = LocalTaskRunner(resultCaptureLimit: 99).request(for: attempt(keepsStdout: true, keepsStderr: false))
        // The command holds the secret `hi`: it goes to bash on fd 3.
        #expect(request.arguments == ["bash", "-c", ScriptFileForm.bashReader, "bash"])
        #expect(request.script == Array("echo hi".utf8))
        #expect(request.environment.map { "\($0.name)=\($0.value)" } == [
            "A=1", "FLOWRUN_TASK=spoof",
            "FLOWRUN_WORKFLOW=w", "FLOWRUN_STAGE=s", "FLOWRUN_TASK=t", "FLOWRUN_RUN_ID=r1",
        ])
        #expect(request.workingDirectory == "/tmp")
        #expect(request.killGrace == .milliseconds(700))
        #expect(request.stdoutCaptureLimit == 99)
        #expect(request.stderrCaptureLimit == 0)
        #expect(request.mask.apply("say hi") == "say ***")
    }

    @Test(arguments: [(false, false, 0, 0), (false, true, 0, 5), (true, true, 5, 5)])
    func captureFollowsWhatTheResultNeeds(stdout: Bool, stderr: Bool, stdoutLimit: Int, stderrLimit: Int) {
        let request = LocalTaskRunner(resultCaptureLimit: 5).request(for: attempt(keepsStdout: stdout, keepsStderr: stderr))
        #expect(request.stdoutCaptureLimit == stdoutLimit)
        #expect(request.stderrCaptureLimit == stderrLimit)
    }
}
