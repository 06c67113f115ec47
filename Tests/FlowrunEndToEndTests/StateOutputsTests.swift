import Foundation
import Testing

/// Outputs of up-to-date and resumed tasks flow on like their results (issue 11.3, 11.4),
/// and the state keeps them masked: no secret value is written there.
@Suite(.enabled(if: ReportCLI.binary != nil, "needs the built flowrun")) struct StateOutputsTests {
    typealias Project = StateRunTests.Project

    static let producer = """
              - name: v
                outputs: [tag, notes, key]
                SOURCES
                run: |
                  echo ran >> runs.log
                  echo "tag=v-$(cat src.txt)" >> "$FLOWRUN_OUTPUT"
                  printf 'notes<<EOF\\nline one\\nline two\\nEOF\\n' >> "$FLOWRUN_OUTPUT"
                  echo "key=${{ vars.token }}" >> "$FLOWRUN_OUTPUT"
        """

    static func workflow(sources: Bool, consumer: String) -> String {
        """
        vars: {token: hunter2-secret}
        secrets: [token]
        stages:
          - name: a
            tasks:
        \(producer.replacingOccurrences(of: "SOURCES", with: sources ? "sources: [src.txt]" : "env: {X: '1'}"))
          - name: b
            tasks:
              - name: use
                run: |
                  \(consumer)
                  echo "got ${{ stages.a.tasks.v.outputs.tag }} [${{ stages.a.tasks.v.outputs.notes }}] ${{ stages.a.tasks.v.outputs.key }}"
        """
    }

    static func outputs(_ stdout: String, task: String) throws -> [String: String] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
        let tasks = try #require(object["tasks"] as? [[String: Any]])
        let entry = try #require(tasks.first { "\($0["stage"]!)/\($0["name"]!)" == task })
        return entry["outputs"] as? [String: String] ?? [:]
    }

    static func stateText(_ project: Project) throws -> String {
        let root = project.url.appendingPathComponent(".flowrun")
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        return files.compactMap { try? String(contentsOf: $0, encoding: .utf8) }.joined(separator: "\n")
    }

    @Test func anUpToDateTaskGivesItsStoredOutputs() throws {
        let project = try Project(Self.workflow(sources: true, consumer: "true"), files: ["src.txt": "1"])
        let (first, firstStates) = try project.runs()
        #expect(first.status == 0, "\(first.stderr)")
        #expect(firstStates["a/v"] == "succeeded")
        let expected = "got v-1 ['line one\nline two'] '***'"
        #expect(first.stdout.contains(jsonEscaped(expected)), "\(first.stdout)")

        let (second, states) = try project.runs()
        #expect(second.status == 0, "\(second.stderr)")
        #expect(states["a/v"] == "up-to-date (unchanged)", "\(states)")
        #expect(second.stdout.contains(jsonEscaped(expected)), "the stored outputs feed b/use: \(second.stdout)")
        #expect(try Self.outputs(second.stdout, task: "a/v") == ["tag": "v-1", "notes": "line one\nline two", "key": "***"])
        #expect(try String(contentsOf: project.url.appendingPathComponent("runs.log"), encoding: .utf8) == "ran\n")
        let state = try Self.stateText(project)
        #expect(state.contains("v-1"), "the outputs are stored")
        #expect(!state.contains("hunter2-secret"), "a secret value reached the state")
    }

    @Test func aResumedTaskGivesItsOutputs() throws {
        let project = try Project(Self.workflow(sources: false, consumer: "test -f ok"), files: ["src.txt": "7"])
        let (first, _) = try project.runs()
        #expect(first.status == 1, "b/use fails until ok exists: \(first.stdout)")
        try project.write("ok", "")
        let (resumed, states) = try project.runs(["--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(states["a/v"] == "up-to-date (resumed)" && states["b/use"] == "succeeded", "\(states)")
        #expect(resumed.stdout.contains(jsonEscaped("got v-7 ['line one\nline two'] '***'")), "\(resumed.stdout)")
        #expect(try Self.outputs(resumed.stdout, task: "a/v")["tag"] == "v-7")
        #expect(try String(contentsOf: project.url.appendingPathComponent("runs.log"), encoding: .utf8) == "ran\n")
        #expect(!(try Self.stateText(project)).contains("hunter2-secret"))
    }

    /// The text as it appears inside a JSON string.
    private func jsonEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\n", with: "\\n")
    }
}
