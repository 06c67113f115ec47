import FlowrunTestSupport
import Testing
@testable import FlowrunCore

/// `dotenv:` files: the contract's line format, located errors, precedence (issue 10.6).
@Suite struct DotenvTests {
    func read(_ text: String) -> ([String], [String]) {
        let (entries, diagnostics) = DotenvReader().read(SourceText(path: "x.env", bytes: Array(text.utf8)))
        return (entries.map { "\($0.name)=\($0.value)" }, diagnostics.map { "\($0.location!) \($0.message.code)" })
    }

    @Test func theContractsFormat() {
        let (entries, problems) = read("""
            # a comment

            export A=bare value  # comment
            B='lit $x \\n'
            C="esc \\n \\" \\\\ end" # after
              D = spaced
            E=
            F=a#b
            """)
        #expect(problems.isEmpty)
        #expect(entries == ["A=bare value", "B=lit $x \\n", "C=esc \n \" \\ end", "D=spaced", "E=", "F=a#b"])
    }

    @Test func malformedLinesAreLocatedAndTheRestKept() {
        let (entries, problems) = read("OK=1\nnothing\n9X=1\nQ='open\nR=\"x\"y\n")
        #expect(entries == ["OK=1"])
        #expect(problems == ["2:8 dotenvSyntax", "3:1 invalidEnvironmentName", "4:3 dotenvSyntax", "5:6 dotenvSyntax"])
    }

    @Test func flowrunsOwnEnvironmentWinsAndALaterFileWins() throws {
        let folder = try TemporaryFolder()
        _ = try folder.write("a.env", "SHARED=from-a\nONLY_A=a\nHOME=/from/dotenv\n")
        _ = try folder.write("b.env", "SHARED=from-b\n")
        let path = try folder.write("w.yaml", """
            dotenv: [a.env, b.env, {path: c.env, required: false}]
            env:
              DERIVED: ${{ env.ONLY_A }}-${{ env.SHARED }}
            stages: [[echo]]
            """)
        let outcome = WorkflowLoader(environment: ["HOME"]).load(path: path)
        #expect(outcome.diagnostics.isEmpty, "\(outcome.diagnostics.map(\.message.text))")
        #expect(outcome.included.count == 2)
        let workflow = try #require(outcome.workflow)
        let (plan, _) = try Planner().plan(workflow, sourcePath: path, options: .init(environment: ["HOME": "/home/me"])).get()
        let env = plan.stages[0].tasks[0].environment.map { "\($0.name)=\($0.value.render { _ in "" })" }
        #expect(env == ["ONLY_A=a", "SHARED=from-b", "DERIVED=a-from-b"])
    }

    @Test func aMissingRequiredFileIsAnErrorAtItsEntry() throws {
        let folder = try TemporaryFolder()
        let path = try folder.write("w.yaml", "dotenv: [nope.env]\nstages: [[echo]]\n")
        let outcome = WorkflowLoader().load(path: path)
        #expect(outcome.diagnostics.map { "\($0.location!) \($0.message.code)" } == ["1:10 dotenvFileMissing"])
        #expect(outcome.workflow == nil)
    }
}
