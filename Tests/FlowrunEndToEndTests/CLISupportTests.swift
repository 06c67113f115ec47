import FlowrunTestSupport
import Testing

/// The test builder itself: files, stdin, environment and status reach the
/// built binary as a user's shell would pass them.
@Suite struct CLISupportTests {
    @Test func filesAreWrittenInTheRunsFolderAndStderrIsWhole() async throws {
        try await CLI("validate", "w.yaml").file("w.yaml", "version: 1\nstages: 3\n")
            .expect(status: 2, stdout: "", stderr: """
                w.yaml:2:9: error: `stages` must be a list, found a number
                  stages: 3
                          ^

                """)
    }

    @Test func workflowTextIndentsTasksIntoOneStage() async throws {
        let text = WorkflowText.stage("s", tasks: "- name: a\n  run: |\n    echo one\n\n    echo two\n- {name: b, run: echo b}")
        #expect(text == "stages:\n  - name: s\n    tasks:\n      - name: a\n        run: |\n          echo one\n\n          echo two\n"
                    + "      - {name: b, run: echo b}\n")
        #expect(WorkflowText.stage("s", runs: ["echo a", "echo b"]) == "stages:\n  - name: s\n    tasks:\n      - run: echo a\n      - run: echo b\n")
        try await CLI("validate", "w.yaml").file("w.yaml", text).expect(status: 0)
    }

    @Test func stdinAndEnvironmentReachTheRun() async throws {
        let workflow = """
            version: 1
            stages:
              - name: s
                tasks:
                  - {name: t, run: 'printf "%s" "$GREETING"'}
            """
        let output = try await CLI("-", "--format", "json").stdin(workflow).environment("GREETING", "hello there").expect()
        #expect(output.stdout.contains(#""result": "hello there""#))
    }

    @Test func aFolderTheTestHoldsKeepsWhatTheRunWrote() async throws {
        let folder = try TemporaryFolder()
        try await CLI("w.yaml", "--report", "r.json").in(folder)
            .file("w.yaml", "version: 1\nstages:\n  - name: s\n    tasks:\n      - {name: t, run: exit 3}\n")
            .expect(status: 1)
        #expect(folder.read("r.json").contains(#""exitCode": 1,"#))
    }

    @Test func otherProgramsRunTheSameWay() async throws {
        try await CLI.program("sh", ["-c", "echo out; echo err >&2; exit 4"]).expect(status: 4, stdout: "out\n", stderr: "err\n")
    }
}
