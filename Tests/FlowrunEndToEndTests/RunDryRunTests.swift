import FlowrunTestSupport
import Testing

/// `flowrun run --dry-run` prints the plan and runs nothing (issue 9.5).
@Suite struct RunDryRunTests {
    static let workflow = """
        version: 1
        name: demo
        vars: {who: world}
        stages:
          - name: build
            tasks:
              - {name: a, run: 'echo hello ${{ vars.who }} > ran-a'}
              - {name: b, sleep: 0.1}
          - name: ship
            tasks:
              - {name: c, run: touch ran-c, retries: 1}
        """

    @Test func dryRunFormatJSONPrintsThePlanDocument() async throws {
        let folder = try TemporaryFolder()
        let plan = try await CLI("plan", "w.yaml", "--format", "json").in(folder).file("w.yaml", Self.workflow).expect()
        try await CLI("run", "w.yaml", "--dry-run", "--format", "json").in(folder).expect(stdout: plan.stdout, stderr: "")
        #expect(plan.stdout.hasPrefix("{"))
        #expect(!folder.exists("ran-a") && !folder.exists("ran-c"))
    }

    @Test func dryRunTextPrintsTheTextPlan() async throws {
        let folder = try TemporaryFolder()
        let plan = try await CLI("plan", "w.yaml").in(folder).file("w.yaml", Self.workflow).expect()
        try await CLI("w.yaml", "--dry-run").in(folder).expect(stdout: plan.stdout, stderr: "")
        #expect(!folder.exists("ran-a"))
    }
}
