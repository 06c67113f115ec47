import Testing
@testable import FlowrunCore

/// `env.NAME` reads the environment as it stands at its level (issue 9.2, 9.3).
@Suite struct EnvironmentLevelTests {
    /// Diagnostics of `text` loaded with `environment` as flowrun's own, as `SEVERITY LINE:COL message`.
    func diagnostics(_ text: String, environment: Set<String> = ["HOME", "PATH"]) -> [String] {
        WorkflowLoader(environment: environment).load(SourceText(path: "w.yaml", bytes: Array(text.utf8)), format: .yaml)
            .diagnostics.map { "\($0.severity) \($0.location!) \($0.message.text)" }
    }

    func environment(_ task: PlannedTask) -> [String] {
        task.environment.map { "\($0.name)=\($0.value.render { _ in "<result>" })" }
    }

    @Test func workflowEnvIsSeenByItsOwnLaterEntriesAndByTasks() throws {
        let (plan, _) = try plan("""
            env:
              TOOLS_DIR: /opt/tools
              BIN: ${{ env.TOOLS_DIR }}/bin
            stages:
              - name: s
                tasks:
                  - run: ls ${{ env.BIN }}
            """)
        #expect(command(plan.stages[0].tasks[0]) == "ls /opt/tools/bin")
        #expect(environment(plan.stages[0].tasks[0]) == ["TOOLS_DIR=/opt/tools", "BIN=/opt/tools/bin"])
    }

    @Test func eachLevelSeesTheOneBelowAndAnEntryOfItselfReadsTheLevelBelow() throws {
        let (plan, _) = try plan("""
            env:
              PATH: /wf:${{ env.PATH }}
              MODE: workflow
            stages:
              - name: s
                env:
                  PATH: /stage:${{ env.PATH }}
                  WHERE: ${{ env.MODE }}-stage
                tasks:
                  - name: t
                    env:
                      MODE: task
                      WHERE: ${{ env.WHERE }}+${{ env.MODE }}
                    run: echo ${{ env.WHERE }} ${{ env.PATH }}
            """, options: Planner.Options(environment: ["PATH": "/usr/bin"]))
        let task = plan.stages[0].tasks[0]
        #expect(command(task) == "echo workflow-stage+task /stage:/wf:/usr/bin")
        #expect(environment(task) == ["PATH=/stage:/wf:/usr/bin", "MODE=task", "WHERE=workflow-stage+task"])
    }

    @Test func anEntryMayUseOneWrittenBelowItInTheSameMapping() throws {
        let (plan, _) = try plan("""
            env:
              URL: http://${{ env.HOST }}:8080
              HOST: localhost
            stages:
              - ["echo ${{ env.URL }}"]
            """)
        #expect(command(plan.stages[0].tasks[0]) == "echo http://localhost:8080")
    }

    @Test func aValueHoldingAResultStaysOneShellWord() throws {
        let (plan, _) = try plan("""
            stages:
              - name: build
                tasks: [{name: v, run: echo 1.2}]
              - name: ship
                env:
                  TAG: v${{ stages.build.tasks.v.result }} final
                tasks: ["echo ${{ env.TAG }}"]
            """)
        let task = plan.stages[1].tasks[0]
        guard case .run(let text, _) = task.action else { Issue.record("not run"); return }
        #expect(text.render { _ in "1.2" } == "echo v1.2' final'")
    }

    @Test func aCycleIsAnErrorAtTheReferenceThatClosesIt() {
        #expect(diagnostics("""
            env:
              A: ${{ env.B }}
              B: x${{ env.C }}
              C: ${{ env.A }}
            stages: [[echo]]
            """) == ["error 4:6 `env` entries refer to each other in a circle: A → B → C → A; an entry may use the others of its mapping, but not itself through them"])
    }

    @Test func aNameNoLevelSetsWarnsOnceWhereItIsFirstUsed() {
        #expect(diagnostics("""
            env:
              X: ${{ env.X }}
            stages:
              - name: s
                env: {Y: set}
                tasks:
                  - run: echo ${{ env.Y }} ${{ env.HOME }} ${{ env.MISSING }} ${{ env.MISSING }}
                  - run: echo ${{ env.X }}
              - name: t
                tasks: ["echo ${{ env.Y }}"]
            """) == [
            "warning 2:6 environment variable `X` is not set; `env.X` expands to the empty string",
            "warning 7:48 environment variable `MISSING` is not set; `env.MISSING` expands to the empty string",
            // `Y` is the stage `s`'s, not `t`'s.
            "warning 10:19 environment variable `Y` is not set; `env.Y` expands to the empty string",
        ])
    }

    @Test func withoutAKnownEnvironmentNothingIsWarned() {
        let outcome = load("stages:\n  - [\"echo ${{ env.ANYTHING }}\"]\n")
        #expect(outcome.diagnostics.isEmpty)
    }
}

/// A template inside shell quotes in `run` gets quoted twice (issue 9.14).
@Suite struct TemplateQuotingTests {
    func warnings(_ run: String) -> [String] {
        load("vars: {msg: hi}\nstages: [[{run: \(run)}]]\n").diagnostics.map { "\($0.location!) \($0.message.code)" }
    }

    @Test(arguments: [
        (#"'echo "x ${{ vars.msg }}"'"#, ["2:26 templateInsideQuotes"]),
        (#""echo 'x ${{ vars.msg }}'""#, ["2:26 templateInsideQuotes"]),
        (#"'echo "x "${{ vars.msg }}'"#, []),
        (#"'echo ${{ vars.msg }} "y"'"#, []),
        (#"'echo \"${{ vars.msg }}'"#, []),
        (#"'echo "it''s" ${{ vars.msg }}'"#, []),
    ])
    func warnsOnlyInsideQuotes(_ run: String, _ expected: [String]) {
        #expect(warnings(run) == expected)
    }

    @Test func theAdviceSaysHowToWriteIt() {
        let message = DiagnosticMessage.templateInsideQuotes("vars.msg", quote: "\"").text
        #expect(message.contains("outside the quotes"))
        #expect(message.contains("`env`"))
    }
}
