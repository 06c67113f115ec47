import Foundation
import Testing

/// Shells stop at the first failing line (issue 9.1), run through the built binary.
@Suite struct ShellTests {
    /// A two-stage workflow whose first task runs `script` with `shell`.
    static func workflow(_ script: String, shell: String? = nil) -> String {
        let indented = script.split(separator: "\n", omittingEmptySubsequences: false).map { "          " + $0 }
        return """
            name: shells
            stages:
              - name: one
                tasks:
                  - name: first
            \(shell.map { "        shell: \($0)\n" } ?? "")\
                    run: |
            \(indented.joined(separator: "\n"))
              - name: two
                tasks:
                  - name: next
                    run: echo next stage ran
            """
    }

    @Test(arguments: [
        ("false\necho still ran", nil),
        ("false\necho still ran", "sh"),
        ("false\necho still ran", "bash"),
        ("false | tee /dev/null\necho still ran", "bash"),
    ] as [(String, String?)])
    func aFailingLineFailsTheTask(script: String, shell: String?) async throws {
        let result = try await Flowrun.run(["run", "-", "--output", "quiet"], in: Flowrun.fixtures,
                                           stdin: Self.workflow(script, shell: shell))
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(!result.stdout.contains("still ran"))
        #expect(!result.stdout.contains("next stage ran"))
        #expect(result.stdout.contains("first  failed"))
    }

    @Test func aListShellIsUsedAsWritten() async throws {
        let result = try await Flowrun.run(["run", "-", "--output", "quiet"], in: Flowrun.fixtures,
                                           stdin: Self.workflow("false\necho still ran", shell: "[sh, -c]"))
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("result: ('still ran', 'next stage ran')"))
    }

    @Test func namedShellsExpandToTheirArgv() async throws {
        let result = try await Flowrun.run(["plan", "--format", "json", "-"], in: Flowrun.fixtures,
                                           stdin: Self.workflow("true", shell: "bash"))
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let stages = try #require(object["stages"] as? [[String: Any]])
        let tasks = stages.compactMap { $0["tasks"] as? [[String: Any]] }.flatMap { $0 }
        #expect(tasks.map { $0["shell"] as? [String] } == [
            ["bash", "--noprofile", "--norc", "-e", "-o", "pipefail", "-c"],
            ["sh", "-e", "-c"],
        ])
    }
}
