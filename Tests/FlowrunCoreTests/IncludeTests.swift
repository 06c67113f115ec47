import FlowrunTestSupport
import Testing
@testable import FlowrunCore

/// `include:` (issue 10.5): another workflow file's stages under a prefix, with
/// its own vars, env, dotenv, max-parallel and folder; the sum of all files read capped.
@Suite struct IncludeTests {
    static let lint = """
        name: lint
        vars: {dir: src, token: s3cret}
        dotenv: [.env]
        env:
          LINTER: ${{ env.TOOL }}-lint
        secrets: [token]
        max-parallel: 1
        stages:
          - name: prepare
            tasks:
              - name: where
                run: echo ${{ vars.dir }}
                result: ${{ stdout }}
          - name: check
            if: stages.prepare.state == 'succeeded'
            tasks:
              - name: show
                run: echo ${{ stages.prepare.tasks.where.result }}
              - name: other
                run: echo other ${{ vars.token }}
        """

    /// A folder with `lib/lint.yaml` (and its `.env`) and `w.yaml` holding `top`.
    func load(_ top: String, environment: [String: String] = [:]) throws -> (TemporaryFolder, WorkflowLoader.Outcome) {
        let folder = try TemporaryFolder()
        try folder.write("lib/lint.yaml", Self.lint)
        try folder.write("lib/.env", "TOOL=eslint\n")
        let path = try folder.write("w.yaml", top)
        return (folder, WorkflowLoader(environment: Set(environment.keys)).load(path: path))
    }

    func plan(_ outcome: WorkflowLoader.Outcome, environment: [String: String] = [:], variables: [Planner.VariableOverride] = []) throws -> Plan {
        let workflow = try #require(outcome.workflow, "\(outcome.diagnostics.map(\.message.text))")
        return try Planner().plan(workflow, sourcePath: "w.yaml", options: .init(variables: variables, environment: environment)).get().0
    }

    @Test func stagesGoInPlaceUnderTheirPrefixAndReferencesFollow() throws {
        let (folder, outcome) = try load("""
            name: top
            stages:
              - [echo first]
              - include: lib/lint.yaml
                vars: {dir: app}
              - include: lib/lint.yaml
                name: again
              - [echo last]
            """)
        #expect(outcome.diagnostics.isEmpty, "\(outcome.diagnostics.map(\.message.text))")
        let plan = try plan(outcome)
        #expect(plan.stages.map(\.name) == ["1", "lint.prepare", "lint.check", "again.prepare", "again.check", "4"])
        let condition = plan.stages[2].condition.map { "\($0)" } ?? ""
        #expect(plan.stages.map { $0.origin?.file } == [nil, folder.file("lib/lint.yaml"), folder.file("lib/lint.yaml"),
                                                       folder.file("lib/lint.yaml"), folder.file("lib/lint.yaml"), nil])
        func command(_ stage: Int, _ task: Int = 0) -> String {
            guard case .run(let command, _) = plan.stages[stage].tasks[task].action else { return "" }
            return command.render { part in
                if case .taskResult(let stage, let task) = part { return "<\(stage)/\(task)>" }
                return "<?>"
            }
        }
        // Each inclusion has its own `vars.dir`; references name the prefixed stages.
        #expect(command(1) == "echo app")
        #expect(command(3) == "echo src")
        #expect(command(2) == "echo '<lint.prepare/where>'")
        #expect(command(4) == "echo '<again.prepare/where>'")
        #expect(condition.contains("reference(stages.lint.prepare.state"), "\(condition)")
        // Its folder, env, dotenv and max-parallel apply to its stages only.
        #expect(plan.stages[1].tasks[0].workingDirectory.render { _ in "" } == folder.file("lib"))
        #expect(plan.stages[0].tasks[0].workingDirectory.render { _ in "" } == folder.path)
        let env = plan.stages[1].tasks[0].environment.map { "\($0.name)=\($0.value.render { _ in "" })" }
        #expect(env == ["TOOL=eslint", "LINTER=eslint-lint"])
        #expect(plan.stages[0].tasks[0].environment.isEmpty)
        #expect(plan.stages[2].maxParallel == 1 && plan.stages[0].maxParallel == nil)
        // Its secrets are masked everywhere.
        #expect(plan.secretValues.contains("s3cret"))
    }

    @Test func anIncludedVariableCanBeSetFromTheCommandLineByItsPrefixedName() throws {
        let (_, outcome) = try load("stages:\n  - include: lib/lint.yaml\n")
        let plan = try plan(outcome, variables: [.init(name: "lint.dir", value: "cli")])
        guard case .run(let command, _) = plan.stages[0].tasks[0].action else { Issue.record("not a run"); return }
        #expect(command.render { _ in "" } == "echo cli")
    }

    @Test func theIncludingFilesEnvIsBelowTheIncludedOnesAndFlowrunsOwnWinsOverDotenv() throws {
        let (_, outcome) = try load("""
            env: {LINTER: outer, OUTER: o}
            stages:
              - include: lib/lint.yaml
            """)
        let plan = try plan(outcome, environment: ["TOOL": "mine"])
        let env = plan.stages[0].tasks[0].environment.map { "\($0.name)=\($0.value.render { _ in "" })" }
        #expect(env == ["LINTER=mine-lint", "OUTER=o"])
    }

    @Test func nestedIncludesPrefixTwiceAndNoteEveryInclude() throws {
        let folder = try TemporaryFolder()
        try folder.write("a/mid.yaml", "name: mid\nstages:\n  - include: deep/leaf.yaml\n    name: leaf\n")
        try folder.write("a/deep/leaf.yaml", "stages:\n  - name: s\n    tasks:\n      - {name: t, timeout: never, run: echo}\n")
        let path = try folder.write("w.yaml", "stages:\n  - include: a/mid.yaml\n")
        let outcome = WorkflowLoader().load(path: path)
        let error = try #require(outcome.diagnostics.first)
        #expect(error.location == SourceLocation(file: folder.file("a/deep/leaf.yaml"), line: 4, column: 28))
        #expect(error.notes.map(\.location) == [
            SourceLocation(file: folder.file("a/mid.yaml"), line: 3, column: 14),
            SourceLocation(file: path, line: 2, column: 14),
        ])
        #expect(error.notes.allSatisfy { $0.message == .includedFromHere })
        // Fixed, the stage is named with both prefixes.
        try folder.write("a/deep/leaf.yaml", "stages:\n  - name: s\n    tasks: [echo]\n")
        let fixed = WorkflowLoader().load(path: path)
        #expect(fixed.workflow?.stages.map(\.name) == ["mid.leaf.s"])
        #expect(fixed.included.count == 2)
    }

    /// The 16 MiB cap is on the sum of every inclusion: one 5 MiB file included four times is too much.
    @Test func theSizeCapCountsEveryInclusion() throws {
        let folder = try TemporaryFolder()
        let padding = String(repeating: "# padding to make the file large\n", count: (5 << 20) / 33)
        try folder.write("big.yaml", padding + "stages: [[echo big]]\n")
        var top = "stages:\n"
        for n in 1...4 { top += "  - include: big.yaml\n    name: b\(n)\n" }
        let path = try folder.write("w.yaml", top)
        let outcome = WorkflowLoader().load(path: path)
        #expect(outcome.diagnostics.map(\.message.code) == ["includesTooLarge"])
        #expect(outcome.diagnostics.first?.location == SourceLocation(file: path, line: 8, column: 14))
        // Three fit.
        try folder.write("w.yaml", top.split(separator: "\n").prefix(7).joined(separator: "\n") + "\n")
        #expect(WorkflowLoader().load(path: path).workflow?.stages.count == 3)
    }

    /// Doubling at every level (each file includes the next twice) is cut off by the sum, not expanded.
    @Test func anIncludeBombStopsAtTheCap() throws {
        let folder = try TemporaryFolder()
        let padding = String(repeating: "#", count: 20_000) + "\n"
        for level in 0..<16 {
            try folder.write("f\(level).yaml", padding + "stages:\n  - include: f\(level + 1).yaml\n    name: a\n  - include: f\(level + 1).yaml\n    name: b\n")
        }
        try folder.write("f16.yaml", "stages: [[echo leaf]]\n")
        let clock = ContinuousClock()
        let start = clock.now
        let outcome = WorkflowLoader().load(path: folder.file("f0.yaml"))
        #expect(outcome.diagnostics.contains { $0.message.code == "includesTooLarge" })
        #expect(outcome.workflow == nil)
        #expect(clock.now - start < .seconds(20))
    }

    @Test func aMissingFileIsAnErrorAtItsIncludeValue() throws {
        let (_, outcome) = try load("stages:\n  - [echo]\n  - include: lib/nope.yaml\n")
        #expect(outcome.diagnostics.map { "\($0.location!) \($0.message.code)" } == ["3:14 includeFileMissing"])
    }

    @Test func aDirectoryIsAnErrorAtItsIncludeValue() throws {
        let (_, outcome) = try load("stages:\n  - include: lib\n")
        #expect(outcome.diagnostics.map { "\($0.location!) \($0.message.code)" } == ["2:14 includeFileUnreadable"])
    }

    @Test func strictTurnsWarningsIntoErrorsAndGivesNoWorkflow() throws {
        let folder = try TemporaryFolder()
        let path = try folder.write("w.yaml", "vars: {unused: x}\nstages: [[echo]]\n")
        let lenient = WorkflowLoader().load(path: path)
        #expect(lenient.workflow != nil && lenient.diagnostics.map(\.severity) == [.warning])
        let strict = WorkflowLoader(strict: true).load(path: path)
        #expect(strict.workflow == nil && strict.diagnostics.map(\.severity) == [.error])
    }

    @Test func theIncludingFileMayReferToEarlierIncludedStagesOnly() throws {
        let (_, outcome) = try load("""
            stages:
              - name: early
                tasks:
                  - run: echo ${{ stages.lint.prepare.tasks.where.result }}
              - include: lib/lint.yaml
              - name: late
                if: stages.lint.check.state == 'succeeded'
                tasks:
                  - run: echo ${{ stages.lint.prepare.tasks.where.result }} ${{ stages.lint.check.tasks.shw.result }}
            """)
        #expect(outcome.diagnostics.map { "\($0.location!) \($0.message.text)" } == [
            "4:19 stage `lint.prepare` runs later; only results of earlier stages can be used",
            "9:65 stage `lint.check` has no task `shw`; did you mean `show`?",
        ])
        let (_, fixed) = try load("stages:\n  - include: lib/lint.yaml\n  - [\"echo ${{ stages.lint.check.tasks.show.result }}\"]\n")
        let plan = try plan(fixed)
        guard case .run(let command, _) = plan.stages[2].tasks[0].action else { Issue.record("not a run"); return }
        #expect(command.parts.contains(.taskResult(stage: "lint.check", task: "show")))
    }

    /// Every reference of the included file is renamed, a step's `if` too.
    @Test func aStepConditionIsRenamed() throws {
        let folder = try TemporaryFolder()
        try folder.write("lib/steps.yaml", """
            stages:
              - name: first
                tasks: [{name: t, run: echo}]
              - name: second
                tasks:
                  - name: s
                    steps:
                      - {if: "stages.first.state == 'succeeded'", run: echo ok}
            """)
        let path = try folder.write("w.yaml", "stages:\n  - {include: lib/steps.yaml, name: p}\n")
        let outcome = WorkflowLoader().load(path: path)
        let workflow = try #require(outcome.workflow, "\(outcome.diagnostics.map(\.message.text))")
        guard case .steps(let steps) = workflow.stages[1].tasks[0].action else { Issue.record("no steps"); return }
        let condition = steps[0].condition.map { "\($0)" } ?? ""
        #expect(condition.contains("stages.p.first.state"), "\(condition)")
    }
}
