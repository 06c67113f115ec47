import Foundation
import Testing

/// `if:` through the built binary: skipped with the reason, clean-up stages after a failure (issue 10.3).
@Suite struct ConditionRunTests {
    static let workflow = """
        vars: {mode: fast}
        stages:
          - name: build
            tasks:
              - {name: a, run: echo hi}
              - {name: never, if: "vars.mode == 'slow'", run: echo never}
          - name: test
            tasks:
              - name: t
                if: stages.build.tasks.a.result == 'hi' && stages.build.tasks.never.state == 'skipped'
                run: "false"
          - name: deploy
            tasks: [echo deploy]
          - name: on-failure
            if: failure()
            tasks: [echo failed]
          - name: cleanup
            if: always()
            tasks: [echo cleaned]
        """

    @Test func falseConditionsSkipWithTheirReasonAndCleanUpStagesRunAfterAFailure() async throws {
        let text = try await Flowrun.run(["run", "-", "--output", "quiet"], in: Flowrun.fixtures, stdin: Self.workflow)
        #expect(text.status == 1, "\(text.stderr)")
        #expect(text.stdout.contains("never  skipped (condition)"), "\(text.stdout)")
        #expect(text.stdout.contains("t      failed (exit 1)"), "\(text.stdout)")
        #expect(text.stdout.contains("result: ('hi', None, None, None, 'failed', 'cleaned')"), "\(text.stdout)")

        let json = try await Flowrun.run(["run", "-", "--output", "quiet", "--format", "json"], in: Flowrun.fixtures, stdin: Self.workflow)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let tasks = try #require(document["tasks"] as? [[String: Any]])
        let byName = Dictionary(uniqueKeysWithValues: tasks.map { ("\($0["stage"]!)/\($0["name"]!)", $0) })
        #expect(byName["build/never"]?["state"] as? String == "skipped")
        #expect(byName["build/never"]?["reason"] as? String == "condition")
        #expect(byName["deploy/1"]?["state"] as? String == "skipped")
        #expect(byName["deploy/1"]?["reason"] is NSNull, "skipped because the run stopped, not by a condition")
        #expect(byName["cleanup/1"]?["state"] as? String == "succeeded")
    }

    @Test func aSkippedTaskCountsAsASuccess() async throws {
        let result = try await Flowrun.run(["run", "-", "--output", "quiet"], in: Flowrun.fixtures, stdin: """
            stages:
              - [{name: a, if: "host.os == 'plan9'", run: "false"}]
              - [echo after]
            """)
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.contains("result: (None, 'after')"), "\(result.stdout)")
    }
}
