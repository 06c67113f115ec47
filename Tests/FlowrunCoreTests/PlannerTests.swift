import Testing
@testable import FlowrunCore

/// Loads `text` (which must be valid) and plans it.
func plan(
    _ text: String, path: String = "/work/ci/test.yaml", options: Planner.Options = Planner.Options()
) throws -> (Plan, [Diagnostic]) {
    let outcome = load(text, path: path)
    let workflow = try #require(outcome.workflow, "not valid: \(errors(outcome))")
    return try Planner().plan(workflow, sourcePath: path, options: options).get()
}

/// The command of a run task with run-time holes shown as `<stage.task>`.
func command(_ task: PlannedTask) -> String {
    guard case .run(let command, _) = task.action else { return "<sleep>" }
    return command.render { part in
        if case .taskResult(let stage, let task) = part { return "<\(stage).\(task)>" }
        return "<own>"
    }
}

@Suite struct PlannerTests {
    @Test func varsAreOverriddenByTheCommandLineLaterWins() throws {
        let (plan, _) = try plan("""
            vars: {target: debug, arch: x86}
            stages:
              - ["make ${{ vars.target }} ${{ vars.arch }}"]
            """, options: Planner.Options(variables: [.init(name: "target", value: "release"), .init(name: "target", value: "final")]))
        #expect(command(plan.stages[0].tasks[0]) == "make final x86")
    }

    @Test func anUnknownVarFailsWithAHint() throws {
        let workflow = try #require(load("vars: {target: a}\nstages: [['echo ${{ vars.target }}']]\n").workflow)
        let result = Planner().plan(workflow, sourcePath: "t.yaml", options: Planner.Options(variables: [.init(name: "targte", value: "x")]))
        guard case .failure(let diagnostic) = result else {
            Issue.record("an unknown --var must fail")
            return
        }
        #expect(diagnostic.message.text == "--var targte: the workflow declares no variable `targte` in `vars`; did you mean `target`?")
    }

    @Test func unsetEnvironmentVariableWarnsOnceAtLoadAndIsEmpty() throws {
        let text = """
            env:
              A: ${{ env.NOT_SET_ANYWHERE }}
            stages:
              - name: s
                tasks:
                  - run: echo [${{ env.NOT_SET_ANYWHERE }}] ${{ env.HOME }}
            """
        let (plan, planWarnings) = try plan(text, options: Planner.Options(environment: ["HOME": "/home/u"]))
        #expect(command(plan.stages[0].tasks[0]) == "echo [''] /home/u")
        #expect(plan.stages[0].tasks[0].environment.first?.value == PlannedText(literal: ""))
        // `validate`, `plan` and `run` all load: the warning is the loader's, once, at the first use.
        #expect(planWarnings.isEmpty)
        let outcome = WorkflowLoader(environment: ["HOME"]).load(
            SourceText(path: "w.yaml", bytes: Array(text.utf8)), format: .yaml)
        #expect(outcome.diagnostics.map { "\($0.severity) \($0.location!) \($0.message.text)" } == [
            "warning 2:6 environment variable `NOT_SET_ANYWHERE` is not set; `env.NOT_SET_ANYWHERE` expands to the empty string",
        ])
    }

    @Test(arguments: [
        // (workflow max-parallel, stage max-parallel, --jobs, expected cap)
        (nil, nil, nil, nil),
        (8, nil, nil, 8),
        (8, 2, nil, 2),
        (8, 2, 1, 1),
        (nil, 5, 3, 3),
        (4, 6, 10, 4),
        (nil, nil, 7, 7),
    ] as [(Int?, Int?, Int?, Int?)])
    func capIsTheSmallestLimit(_ workflowCap: Int?, _ stageCap: Int?, _ jobs: Int?, _ expected: Int?) throws {
        var text = workflowCap.map { "max-parallel: \($0)\n" } ?? ""
        text += "stages:\n  - name: s\n    tasks: [a, b, c, d, e, f, g, h, i, j]\n"
        if let stageCap { text += "    max-parallel: \(stageCap)\n" }
        let (plan, _) = try plan(text, options: Planner.Options(jobs: jobs))
        #expect(plan.stages[0].maxParallel == expected)
    }

    @Test func valuesAreShellQuotedInRunOnly() throws {
        let hostile = "a b; rm -rf / $(id) 'q' `x`"
        let (plan, _) = try plan("""
            vars: {v: safe}
            env:
              E: ${{ vars.v }}
            stages:
              - name: s
                tasks:
                  - run: echo ${{ vars.v }}
                    result: "${{ vars.v }}"
            """, options: Planner.Options(variables: [.init(name: "v", value: hostile)]))
        let task = plan.stages[0].tasks[0]
        #expect(command(task) == #"echo 'a b; rm -rf / $(id) '\''q'\'' `x`'"#)
        #expect(task.environment.first?.value == PlannedText(literal: hostile))
        #expect(task.result?.render { _ in "" } == hostile)
    }

    @Test func runTimeHolesStayHolesAndAreQuotedWhenFilled() throws {
        let (plan, _) = try plan("""
            stages:
              - name: build
                tasks:
                  - name: v
                    run: git describe
              - name: s
                tasks:
                  - run: echo ${{ stages.build.tasks.v.result }}
            """)
        let task = plan.stages[1].tasks[0]
        guard case .run(let text, _) = task.action else { throw Failure("not run") }
        #expect(!text.isResolved)
        #expect(text.render { _ in "x; y" } == "echo 'x; y'")
    }

    @Test func workingDirectoryIsAbsolute() throws {
        let text = """
            vars: {sub: lib}
            stages:
              - name: s
                tasks:
                  - run: make
                  - run: make
                    working-directory: src
                  - run: make
                    working-directory: /tmp
                  - run: make
                    working-directory: ${{ vars.sub }}/x
                  - run: make
                    working-directory: .
                  - run: make
                    working-directory: ./src
            """
        let options = Planner.Options(currentDirectory: "/home/u/")
        let (relative, _) = try plan(text, path: "ci/flow.yaml", options: options)
        #expect(relative.stages[0].tasks.map { $0.workingDirectory.render { _ in "" } } == [
            "/home/u/ci", "/home/u/ci/src", "/tmp", "/home/u/ci/lib/x", "/home/u/ci", "/home/u/ci/src",
        ])
        let (bare, _) = try plan(text, path: "flow.yaml", options: options)
        #expect(bare.stages[0].tasks[0].workingDirectory == PlannedText(literal: "/home/u"))
        let (absolute, _) = try plan(text, path: "/srv/flow.yaml", options: options)
        #expect(absolute.stages[0].tasks[1].workingDirectory.render { _ in "" } == "/srv/src")
    }

    @Test func secretValuesAreCollectedWithEachLineOfMultiLineValues() throws {
        let (plan, _) = try plan("""
            vars:
              KEY: |
                -----BEGIN KEY-----
                abcdef
                -----END KEY-----
            env:
              TOKEN: ${{ env.DEPLOY_TOKEN }}
              PLAIN: visible
            secrets: [KEY, TOKEN]
            stages:
              - name: s
                tasks:
                  - run: echo ${{ vars.KEY }}
            """, options: Planner.Options(environment: ["DEPLOY_TOKEN": "s3cr3t"]))
        #expect(Set(plan.secretValues) == [
            "-----BEGIN KEY-----\nabcdef\n-----END KEY-----\n", "-----BEGIN KEY-----", "abcdef", "-----END KEY-----", "s3cr3t",
        ])
        #expect(plan.secretValues.first == "-----BEGIN KEY-----\nabcdef\n-----END KEY-----\n", "longest first")
        #expect(!plan.secretValues.contains("visible"))
        let shown = PlanRenderer().render(plan, as: .text)
        #expect(!shown.contains("abcdef"))
    }

    @Test func overriddenSecretVarIsMaskedWithItsNewValue() throws {
        let (plan, _) = try plan("vars: {PASS: default}\nsecrets: [PASS]\nstages: [['echo ${{ vars.PASS }}']]\n",
                                 options: Planner.Options(variables: [.init(name: "PASS", value: "hunter22")]))
        #expect(plan.secretValues == ["hunter22"])
    }

    @Test func stagesAndTasksKeepDeclarationOrderAndSettings() throws {
        let (plan, _) = try plan("""
            name: release
            stages:
              - name: one
                fail-fast: false
                tasks:
                  - name: b
                    sleep: 2s
                    retries: 3
                    retry-delay: 1s
                    continue-on-error: true
                  - name: a
                    run: make
                    timeout: 1m
              - [x]
            """)
        #expect(plan.workflowName == "release")
        #expect(plan.stages.map(\.name) == ["one", "2"])
        #expect(plan.stages[0].failFast == false)
        #expect(plan.stages[0].tasks.map(\.name) == ["b", "a"])
        #expect(plan.stages[0].tasks.map(\.id) == [TaskID(stage: 0, task: 0), TaskID(stage: 0, task: 1)])
        let b = plan.stages[0].tasks[0]
        #expect(b.retries == 3 && b.retryDelay == .seconds(1) && b.continueOnError)
        #expect(plan.stages[0].tasks[1].timeout == .seconds(60))
        #expect(plan.taskCount == 3)
    }

    @Test func environmentLaterLevelsWin() throws {
        let (plan, _) = try plan("""
            env: {A: w, B: w}
            stages:
              - name: s
                env: {B: s, C: s}
                tasks:
                  - run: env
                    env: {C: t}
            """)
        let env = plan.stages[0].tasks[0].environment.map { "\($0.name)=\($0.value.render { _ in "" })" }
        #expect(env == ["A=w", "B=s", "C=t"])
    }

    @Test func namesAreSubstituted() throws {
        let (plan, _) = try plan("name: wf\nstages:\n  - name: s\n    tasks:\n      - name: t\n        run: echo ${{ workflow.name }} ${{ stage.name }} ${{ task.name }}\n")
        #expect(command(plan.stages[0].tasks[0]) == "echo wf s t")
    }
}
