import Foundation
import Testing

/// Checks the example workflows in `workflows/` beyond the schema: the seed is
/// the seed recipe, seed.json is seed.yaml, and every `run` is valid `sh`.
///
/// Documents come loaded from `SchemaTests.report` (Python, YAML 1.2 rules).
@Suite struct ExamplesTests {
    /// A loaded example, as Foundation objects.
    private static func document(_ name: String) throws -> [String: Any] {
        let report = try SchemaTests.report.get()
        let text = try #require(report.documents["workflows/\(name)"], "workflows/\(name) did not load")
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try #require(object as? [String: Any])
    }

    @Test func seedJSONIsSeedYAML() throws {
        let report = try SchemaTests.report.get()
        let yaml = try #require(report.documents["workflows/seed.yaml"])
        let json = try #require(report.documents["workflows/seed.json"])
        #expect(yaml == json)
    }

    /// Three stages named for the recipe's coroutines, each two concurrent
    /// sleeps of 3.0 s and 3.5 s with results `task (N) result`: 10.5 s in all.
    @Test func seedIsTheAsyncioRecipe() throws {
        let seed = try Self.document("seed.yaml")
        let stages = try #require(seed["stages"] as? [[String: Any]])
        #expect(stages.map { $0["name"] as? String } == [
            "concurrent_task", "concurrent_task_result", "coroutine_gather",
        ])

        var criticalPath = 0.0
        var results: [String] = []
        for stage in stages {
            let tasks = try #require(stage["tasks"] as? [[String: Any]])
            let sleeps = tasks.compactMap { $0["sleep"] as? Double }
            #expect(sleeps == [3.0, 3.5])
            #expect(tasks.allSatisfy { $0["run"] == nil })
            criticalPath += sleeps.max() ?? 0
            results += tasks.compactMap { $0["result"] as? String }
            #expect(stage["fail-fast"] == nil, "the seed uses the default, like asyncio.TaskGroup")
        }
        #expect(criticalPath == 10.5)
        #expect(results == (1...6).map { "task (\($0)) result" })
    }

    /// The README and flowrun-workflow.5 quote five workflows (the seed, the
    /// format tour, short forms, ...); each must conform to the schema.
    @Test func documentationQuotesWorkflows() {
        #expect(Checkout.documentedWorkflows.count >= 4, "\(Checkout.documentedWorkflows.map(\.key))")
    }

    @Test(arguments: Checkout.documentedWorkflows.map(\.key))
    func documentedWorkflowConforms(_ key: String) throws {
        let errors = try #require(try SchemaTests.report.get().files["doc:\(key)"])
        #expect(errors.isEmpty, "\(key):\n\(errors.joined(separator: "\n"))")
    }

    /// Every `run` command parses as `sh`, with each `${{ … }}` read as one word.
    @Test(arguments: Checkout.workflowFiles.map(\.lastPathComponent))
    func runCommandsAreShellSyntax(_ name: String) throws {
        let sh = ExternalTool(url: URL(fileURLWithPath: "/bin/sh"))
        for command in try Self.runCommands(in: Self.document(name)) {
            let word = command.replacingOccurrences(
                of: #"\$\{\{[^}]*\}\}"#, with: "WORD", options: .regularExpression)
            let output = try sh.run(["-n", "-c", word])
            #expect(output.status == 0, "workflows/\(name): sh -n rejects:\n\(command)\n\(output.stderr)")
        }
    }

    /// The `run` strings of a loaded workflow, long and short forms alike.
    private static func runCommands(in workflow: [String: Any]) -> [String] {
        let stages = workflow["stages"] as? [Any] ?? []
        return stages.flatMap { stage -> [String] in
            let tasks = (stage as? [Any]) ?? ((stage as? [String: Any])?["tasks"] as? [Any]) ?? []
            return tasks.compactMap { task in
                (task as? String) ?? ((task as? [String: Any])?["run"] as? String)
            }
        }
    }
}
