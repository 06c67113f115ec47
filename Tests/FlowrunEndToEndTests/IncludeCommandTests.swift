import Foundation
import FlowrunTestSupport
import Testing

/// `include:` through the built binary (issue 10.5): the example runs, and
/// `plan`, `list`, targets and `validate` work on the prefixed stages.
@Suite struct IncludeCommandTests {
    static let lint = """
        name: lint
        vars: {dir: src}
        stages:
          - name: check
            tasks:
              - name: files
                run: echo checking ${{ vars.dir }}
                result: ${{ stdout }}
          - name: report
            tasks:
              - name: summary
                run: echo ${{ stages.check.tasks.files.result }}
        """

    static let top = """
        name: top
        stages:
          - include: ci/lint.yaml
          - include: ci/lint.yaml
            name: docs
            vars: {dir: docs}
        """

    @Test func theExampleRunsAsIs() async throws {
        let state = try TemporaryFolder()
        let output = try await CLI("workflows/include.yaml", "--state-dir", state.path).in(path: FlowrunBinary.packageRoot).expect()
        #expect(output.stdout.contains("[lib.report/summary] . holds "), "\(output.stdout)")
        #expect(output.stdout.contains("[parent.report/summary] .. holds "), "\(output.stdout)")
        #expect(output.stdout.contains("hello from lib/.env"), "the included file's dotenv: \(output.stdout)")
    }

    @Test func planSaysWhereEachStageCameFrom() async throws {
        let output = try await CLI("plan", "w.yaml").file("ci/lint.yaml", Self.lint).file("w.yaml", Self.top).expect()
        let headers = output.stdout.split(separator: "\n").filter { $0.hasPrefix("stage ") }
        #expect(headers == [
            "stage 1/4 lint.check (from ci/lint.yaml): 1 task, fail-fast",
            "stage 2/4 lint.report (from ci/lint.yaml): 1 task, fail-fast",
            "stage 3/4 docs.check (from ci/lint.yaml): 1 task, fail-fast",
            "stage 4/4 docs.report (from ci/lint.yaml): 1 task, fail-fast",
        ])
        let json = try await CLI("plan", "w.yaml", "--format", "json").file("ci/lint.yaml", Self.lint).file("w.yaml", Self.top).expect()
        #expect(json.stdout.contains(#"{"name":"docs.check","from":"ci/lint.yaml","maxParallel""#), "\(json.stdout)")
    }

    @Test func listAndTargetsUseThePrefixedNames() async throws {
        let list = try await CLI("list", "w.yaml").file("ci/lint.yaml", Self.lint).file("w.yaml", Self.top).expect()
        #expect(list.stdout.contains("docs.report (from ci/lint.yaml)\n  docs.report/summary\n"), "\(list.stdout)")
        // The target pulls in the stage whose result it uses.
        let run = try await CLI("run", "w.yaml", "docs.report/summary", "--format", "json")
            .file("ci/lint.yaml", Self.lint).file("w.yaml", Self.top).expect()
        #expect(run.stdout.contains(#""result": "checking docs""#), "\(run.stdout)")
        #expect(!run.stdout.contains(#""result": "checking src""#), "lint.* was not selected: \(run.stdout)")
    }

    @Test func anErrorInAnIncludedFileIsReportedThereWithItsInclude() async throws {
        let broken = Self.lint.replacingOccurrences(of: "run: echo checking", with: "rn: echo checking")
        try await CLI("validate", "w.yaml").file("ci/lint.yaml", broken).file("w.yaml", Self.top).expect(status: 2, stderr: """
            ci/lint.yaml:2:8: warning: variable `dir` is never used
              vars: {dir: src}
                     ^
            w.yaml:3:14: note: included from here
                - include: ci/lint.yaml
                           ^
            ci/lint.yaml:7:9: error: unknown key `rn`; did you mean `run`?
                      rn: echo checking ${{ vars.dir }}
                      ^
            w.yaml:3:14: note: included from here
                - include: ci/lint.yaml
                           ^

            """)
        let json = try await CLI("validate", "--format", "json", "w.yaml").file("ci/lint.yaml", broken).file("w.yaml", Self.top)
            .expect(status: 2)
        #expect(json.stdout.contains(#""file":"ci/lint.yaml","severity":"error""#), "\(json.stdout)")
        #expect(json.stdout.contains(#"{"file":"w.yaml","line":3,"column":14,"message":"included from here"}"#), "\(json.stdout)")
    }
}
