import Foundation
import FlowrunTestSupport
import Testing

/// `flowrun validate` as a user runs it: the built binary, its streams and exit status.
@Suite struct ValidateCommandTests {
    @Test func validFileExitsZeroAndSaysOK() async throws {
        // The fixtures use `env.DEPLOY_TOKEN`; set, it draws no warning.
        let result = try await Flowrun.run(["validate", "valid/full.yaml", "valid/json-full.json"], in: Flowrun.fixtures,
                                           environment: ["DEPLOY_TOKEN": "t"])
        #expect(result.status == 0)
        #expect(result.stdout == "valid/full.yaml: ok (2 stages, 3 tasks)\nvalid/json-full.json: ok (2 stages, 3 tasks)\n")
        #expect(result.stderr == "")
    }

    /// Every fixture through the binary: stderr is exactly its golden, the status follows its validity.
    @Test(arguments: Flowrun.fixtureList())
    func fixtureMatchesItsGoldenThroughTheBinary(_ fixture: String) async throws {
        let golden = try String(contentsOfFile: Flowrun.fixtures + "/" + fixture + ".expected", encoding: .utf8)
        let (header, expected) = try #require(golden.splitGolden(), "\(fixture).expected has no header")
        // Goldens are written without flowrun's environment: set what they use.
        let result = try await CLI("validate", fixture).in(path: Flowrun.fixtures).environment("DEPLOY_TOKEN", "t").run()
        #expect(result.stderr == expected, "\(fixture)")
        #expect(result.status == (header == "status: valid" ? 0 : 2), "\(fixture)")
        #expect(result.stdout.isEmpty == (header != "status: valid"), "\(fixture)")
    }

    @Test func theFixtureCorpusIsThere() {
        #expect(Flowrun.fixtureList().count >= 50)
    }

    /// `validate` warns of an unset `env.NAME` as `plan` does, located; `--strict` fails (issue 9.3).
    @Test func unsetEnvironmentVariableWarnsAndStrictFails() async throws {
        let changes: [String: String?] = ["DEPLOY_TOKEN": nil]
        let plain = try await Flowrun.run(["validate", "valid/full.yaml"], in: Flowrun.fixtures, environment: changes)
        let warning = """
            valid/full.yaml:8:10: warning: environment variable `DEPLOY_TOKEN` is not set; `env.DEPLOY_TOKEN` expands to the empty string
                TOKEN: ${{ env.DEPLOY_TOKEN }}
                       ^

            """
        #expect(plain.status == 0)
        #expect(plain.stderr == warning)
        let plan = try await Flowrun.run(["plan", "valid/full.yaml"], in: Flowrun.fixtures, environment: changes)
        #expect(plan.stderr == warning)
        let strict = try await Flowrun.run(["validate", "--strict", "valid/full.yaml"], in: Flowrun.fixtures, environment: changes)
        #expect(strict.status == 2)
        #expect(strict.stderr == warning.replacing("warning:", with: "error:"))
        #expect(strict.stdout == "")
    }

    @Test func invalidFileExitsTwoWithLocatedErrorsOnStderr() async throws {
        let result = try await Flowrun.run(["validate", "invalid/version-2.yaml"], in: Flowrun.fixtures)
        #expect(result.status == 2)
        #expect(result.stdout == "")
        #expect(result.stderr == """
            invalid/version-2.yaml:1:10: error: unsupported version `2`; this flowrun reads version 1
              version: 2
                       ^

            """)
    }

    @Test func oneInvalidFileAmongSeveralFailsTheRun() async throws {
        let result = try await Flowrun.run(["validate", "valid/minimal.yaml", "invalid/empty-stages.yaml"], in: Flowrun.fixtures)
        #expect(result.status == 2)
        #expect(result.stdout == "valid/minimal.yaml: ok (1 stage, 1 task)\n")
        #expect(result.stderr.hasPrefix("invalid/empty-stages.yaml:1:9: error: "))
    }

    @Test func jsonFormatIsOneArrayOnStdoutAndNothingElse() async throws {
        let result = try await Flowrun.run(
            ["validate", "--format", "json", "invalid/duplicate-key.yaml", "valid/minimal.yaml", "invalid/json-comment.json"],
            in: Flowrun.fixtures)
        #expect(result.status == 2)
        #expect(result.stderr == "")
        let parsed = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        let items = try #require(parsed as? [[String: Any]])
        #expect(items.count == 2)
        #expect(items[0]["file"] as? String == "invalid/duplicate-key.yaml")
        #expect(items[0]["severity"] as? String == "error")
        #expect(items[0]["code"] as? String == "duplicateKey")
        #expect(items[0]["line"] as? Int == 6)
        #expect(items[0]["column"] as? Int == 9)
        let notes = try #require(items[0]["notes"] as? [[String: Any]])
        #expect(notes.first?["line"] as? Int == 5)
        #expect(items[1]["file"] as? String == "invalid/json-comment.json")
        #expect(items[1]["message"] as? String == "JSON syntax error: comments are not allowed")
    }

    @Test func jsonFormatOfValidFilesIsAnEmptyArray() async throws {
        let result = try await Flowrun.run(["validate", "--format", "json", "valid/minimal.yaml"], in: Flowrun.fixtures)
        #expect(result.status == 0)
        #expect(result.stdout == "[]\n")
        #expect(result.stderr == "")
    }

    @Test func githubFormatPrintsAnnotations() async throws {
        let result = try await Flowrun.run(["validate", "--format", "github", "invalid/bad-env-name.yaml"], in: Flowrun.fixtures)
        #expect(result.status == 2)
        #expect(result.stderr == "")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines.allSatisfy { $0.hasPrefix("::error file=invalid/bad-env-name.yaml,line=") })
        #expect(lines[0] == "::error file=invalid/bad-env-name.yaml,line=2,col=3::invalid environment variable name `1ST`; use letters, digits and _ and do not start with a digit")
    }

    @Test func warningsPassUnlessStrict() async throws {
        let relaxed = try await Flowrun.run(["validate", "valid/unused-variable.yaml"], in: Flowrun.fixtures)
        #expect(relaxed.status == 0)
        #expect(relaxed.stderr.hasPrefix("valid/unused-variable.yaml:3:3: warning: variable `unused` is never used\n"))
        let strict = try await Flowrun.run(["validate", "--strict", "valid/unused-variable.yaml"], in: Flowrun.fixtures)
        #expect(strict.status == 2)
        #expect(strict.stdout == "")
        #expect(strict.stderr.hasPrefix("valid/unused-variable.yaml:3:3: error: variable `unused` is never used\n"))
    }

    @Test(arguments: [
        ["validate"],
        ["validate", "--format", "xml", "valid/minimal.yaml"],
        ["validate", "--bogus", "valid/minimal.yaml"],
        ["validate", "--format-in", "toml", "-"],
    ])
    func usageErrorsExit64(_ arguments: [String]) async throws {
        let result = try await Flowrun.run(arguments, in: Flowrun.fixtures)
        #expect(result.status == 64)
        #expect(result.stdout == "")
        #expect(result.stderr.contains("Usage: flowrun validate") || result.stderr.contains("Error:"))
    }

    @Test func standardInputWithDash() async throws {
        let yaml = try await Flowrun.run(["validate", "-"], in: Flowrun.fixtures, stdin: "stages:\n  - [make]\n")
        #expect(yaml.status == 0)
        #expect(yaml.stdout == "<stdin>: ok (1 stage, 1 task)\n")
        let bad = try await Flowrun.run(["validate", "-"], in: Flowrun.fixtures, stdin: "stages:\n  - name: a b\n    tasks: [x]\n")
        #expect(bad.status == 2)
        #expect(bad.stderr.hasPrefix("<stdin>:2:11: error: invalid stage name `a b`"))
    }

    @Test func standardInputAsJSON() async throws {
        let json = #"{"stages": [{"name": "s", "tasks": ["echo \ud83d\ude00"]}]}"#
        let asJSON = try await Flowrun.run(["validate", "--format-in", "json", "-"], in: Flowrun.fixtures, stdin: json)
        #expect(asJSON.status == 0)
        #expect(asJSON.stderr == "")
        let trailing = try await Flowrun.run(["validate", "--format-in", "json", "-"], in: Flowrun.fixtures, stdin: #"{"stages": [],}"#)
        #expect(trailing.status == 2)
        #expect(trailing.stderr.hasPrefix("<stdin>:1:14: error: JSON syntax error: trailing comma"))
    }

    @Test func unreadableInputsExitTwo() async throws {
        let missing = try await Flowrun.run(["validate", "no/such/file.yaml"], in: Flowrun.fixtures)
        #expect(missing.status == 2)
        #expect(missing.stderr == "no/such/file.yaml: error: no such file\n")
        let directory = try await Flowrun.run(["validate", "valid"], in: Flowrun.fixtures)
        #expect(directory.status == 2)
        #expect(directory.stderr.hasPrefix("valid:1:1: error: is a directory"))
        let device = try await Flowrun.run(["validate", "/dev/zero"], in: Flowrun.fixtures)
        #expect(device.status == 2)
        #expect(device.stderr.hasPrefix("/dev/zero:1:1: error: is not a regular file"))
    }

    @Test func controlCharactersAreNeverEchoedRaw() async throws {
        let result = try await Flowrun.run(["validate", "invalid/control-chars-in-stage-name.yaml", "invalid/raw-control-character.yaml"],
                                     in: Flowrun.fixtures)
        #expect(result.status == 2)
        #expect(!result.stderr.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x202E })
    }
}

extension String {
    /// A golden file's `status: …` header and the diagnostics after its `---` line.
    func splitGolden() -> (header: String, body: String)? {
        guard let newline = firstIndex(of: "\n") else { return nil }
        let header = String(self[..<newline])
        let rest = self[index(after: newline)...]
        guard rest.hasPrefix("---\n") else { return nil }
        return (header, String(rest.dropFirst(4)))
    }
}

/// The fixtures and the binary for the Validate and Plan end-to-end tests;
/// runs go through `CLI` (FlowrunTestSupport).
enum Flowrun {
    typealias Result = ProgramOutput

    static let packageRoot = FlowrunBinary.packageRoot

    static let fixtures = packageRoot + "/Tests/FlowrunCoreTests/Fixtures"

    static let binary = FlowrunBinary.path

    /// Workflow fixtures (`valid/…`, `invalid/…`) that have a golden.
    static func fixtureList() -> [String] {
        ["valid", "invalid"].flatMap { folder in
            ((try? FileManager.default.contentsOfDirectory(atPath: fixtures + "/" + folder)) ?? [])
                .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".json") }
                .sorted()
                .map { "\(folder)/\($0)" }
        }
    }

    /// Runs `flowrun arguments` in `directory`; stdin is `stdin` or /dev/null. Ended after `timeout` seconds.
    /// - Parameter environment: changes to this process's environment; nil removes a variable.
    static func run(
        _ arguments: [String], in directory: String, stdin: String? = nil,
        environment changes: [String: String?] = [:], timeout: Double = 20
    ) async throws -> Result {
        var cli = CLI(arguments: arguments).in(path: directory).timeout(.milliseconds(Int64(timeout * 1000)))
        if let stdin { cli = cli.stdin(stdin) }
        for (name, value) in changes.sorted(by: { $0.key < $1.key }) { cli = cli.environment(name, value) }
        return try await cli.run()
    }
}
