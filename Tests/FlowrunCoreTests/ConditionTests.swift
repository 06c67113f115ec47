import Testing
@testable import FlowrunCore

/// `if:` conditions: parsed at load, evaluated by one pure evaluator (issue 10.3).
@Suite struct ConditionTests {
    /// The condition of the first task of stage `s2` in a workflow whose stage `s1` has task `t`.
    func condition(_ text: String) throws -> Condition {
        let outcome = load("""
            vars: {mode: fast}
            stages:
              - name: s1
                tasks: [{name: t, run: echo}]
              - name: s2
                tasks:
                  - name: x
                    if: \(text)
                    run: echo
            """)
        let workflow = try #require(outcome.workflow, "\(errors(outcome))")
        return try #require(workflow.stages[1].tasks[0].condition)
    }

    func evaluate(_ text: String, result: String = "hi", state: String = "succeeded") throws -> Bool {
        let resolved = try condition(text).substituting { reference in
            if case .variable(let name) = reference { return name == "mode" ? "fast" : nil }
            if case .hostOS = reference { return "linux" }
            return nil
        }
        let evaluator = ConditionEvaluator(status: .init(failed: false, interrupted: false)) { reference in
            switch reference {
            case .taskResult: result
            case .taskState, .stageState: state
            default: nil
            }
        }
        return evaluator.truth(resolved)
    }

    @Test(arguments: [
        ("vars.mode == 'fast'", true),
        ("\"vars.mode != 'fast'\"", false),
        ("${{ vars.mode == 'fast' }}", true),
        ("\"!(vars.mode == 'slow') && host.os == 'linux'\"", true),
        ("\"vars.mode == 'slow' || stages.s1.tasks.t.result\"", true),
        ("\"vars.mode == 'slow' || false && true\"", false),
        ("\"contains(stages.s1.tasks.t.result, 'h') && startsWith(vars.mode, 'fa') && endsWith(vars.mode, 'st')\"", true),
        ("stages.s1.state == 'succeeded'", true),
        ("\"stages.s1.tasks.t.state != 'succeeded'\"", false),
        ("\"'it''s' == \\\"it's\\\"\"", true),
        ("true", true),
        ("\"''\"", false),
    ])
    func evaluates(_ text: String, _ expected: Bool) throws {
        #expect(try evaluate(text) == expected, "\(text)")
    }

    /// `&&` binds tighter than `||`, and both group to the left.
    @Test func operatorsGroupByPrecedenceThenToTheLeft() throws {
        let (a, b, c, d) = (Condition.boolean(true), Condition.boolean(false), Condition.text("c"), Condition.text("d"))
        #expect(try condition("\"true || false && 'c' || 'd'\"") == .or(.or(a, .and(b, c)), d))
        #expect(try condition("\"true && false && 'c'\"") == .and(.and(a, b), c))
    }

    @Test func stageFunctionsFollowTheRunsStatus() throws {
        func runs(_ condition: Condition?, failed: Bool, interrupted: Bool = false) -> Bool {
            ConditionEvaluator(status: .init(failed: failed, interrupted: interrupted)) { _ in nil }.stageRuns(condition)
        }
        let at = SourceLocation(file: "w.yaml", line: 1, column: 1)
        let always = Condition.call(.always, [], at), failure = Condition.call(.failure, [], at)
        let cancelled = Condition.call(.cancelled, [], at), plain = Condition.boolean(true)
        #expect(runs(nil, failed: false) && !runs(nil, failed: true))
        #expect(runs(always, failed: true) && runs(always, failed: false))
        #expect(runs(failure, failed: true) && !runs(failure, failed: false))
        #expect(runs(cancelled, failed: false, interrupted: true) && !runs(cancelled, failed: true))
        // Without a status function a condition means `success() && condition`, as in GitHub Actions.
        #expect(runs(plain, failed: false) && !runs(plain, failed: true))
    }

    @Test func plannerFillsPlanTimeValuesAndKeepsRunTimeOnes() throws {
        let (plan, _) = try plan("""
            vars: {mode: fast}
            env: {KIND: ci}
            stages:
              - name: s1
                tasks: [{name: t, run: echo}]
              - name: s2
                if: always()
                tasks:
                  - name: x
                    if: "vars.mode == env.KIND || stages.s1.tasks.t.result == host.os"
                    run: echo
            """)
        let at = { (line: Int, column: Int) in SourceLocation(file: "/work/ci/test.yaml", line: line, column: column) }
        #expect(plan.stages[1].condition == .call(.always, [], at(7, 9)))
        #expect(plan.stages[1].tasks[0].condition == .or(
            .equals(.text("fast"), .text("ci"), negated: false),
            .equals(.reference(.taskResult(stage: "s1", task: "t"), at(10, 39)), .text(Host.os), negated: false)))
    }
}
