import Testing
@testable import FlowrunCore

/// Reads `text` as a workflow of `format` without touching the disk.
func load(_ text: String, format: InputFormat = .yaml, path: String = "/work/test.yaml") -> WorkflowLoader.Outcome {
    WorkflowLoader().load(SourceText(path: path, bytes: Array(text.utf8)), format: format)
}

/// The errors of an outcome as `LINE:COL message`, for compact expectations.
func errors(_ outcome: WorkflowLoader.Outcome) -> [String] {
    outcome.diagnostics.filter { $0.severity == .error }.map { "\($0.location.map(\.description) ?? "-") \($0.message.text)" }
}

@Suite struct ScalarTypingTests {
    /// YAML 1.2 core schema, as the issue states it: only true/false are booleans,
    /// `010` is decimal, `0o10` octal, `1:30` a string.
    @Test(arguments: [
        ("on", Scalar.Resolved.string("on")),
        ("yes", .string("yes")),
        ("no", .string("no")),
        ("off", .string("off")),
        ("NO", .string("NO")),
        ("y", .string("y")),
        ("true", .bool(true)),
        ("False", .bool(false)),
        ("010", .int(10)),
        ("0o10", .int(8)),
        ("0x1F", .int(31)),
        ("-3", .int(-3)),
        ("+7", .int(7)),
        ("1:30", .string("1:30")),
        ("1_000", .string("1_000")),
        (".inf", .float(.infinity)),
        ("-.inf", .float(-.infinity)),
        ("1e3", .float(1000)),
        ("3.5", .float(3.5)),
        (".5", .float(0.5)),
        ("1.", .float(1)),
        ("1e", .string("1e")),
        ("~", .null),
        ("null", .null),
        ("", .null),
        ("12345678901234567890123", .int(nil)),
        // Typing decides from the first byte first: words that start like a typed value stay strings.
        ("nulls", .string("nulls")),
        ("NULL", .null),
        ("Null", .null),
        ("TRUE", .bool(true)),
        ("trueish", .string("trueish")),
        ("+.INF", .float(.infinity)),
        ("-.Inf", .float(-.infinity)),
        ("5m", .string("5m")),
        // Words are compared by their packed bytes: a prefix or a longer word is no match.
        ("nul", .string("nul")),
        ("nullx", .string("nullx")),
        ("tru", .string("tru")),
        ("falsE", .string("falsE")),
        (".na", .string(".na")),
        ("0o", .string("0o")),
        ("0o8", .string("0o8")),
        ("0x", .string("0x")),
        ("task1", .string("task1")),
        (".hidden", .string(".hidden")),
    ])
    func plainScalar(_ text: String, _ expected: Scalar.Resolved) {
        #expect(Scalar(text, style: .plain).resolved == expected)
    }

    @Test func sourceRangeIsKeptAndCleared() {
        var scalar = Scalar("x", style: .plain, sourceRange: 3..<9)
        #expect(scalar.sourceRange == 3..<9)
        scalar.sourceRange = nil
        #expect(scalar.sourceRange == nil)
        #expect(Scalar("x", style: .plain).sourceRange == nil)
    }

    @Test func nanIsAFloat() {
        guard case .float(let value) = Scalar(".nan", style: .plain).resolved else {
            Issue.record("`.nan` should be a float")
            return
        }
        #expect(value.isNaN)
    }

    @Test(arguments: [Scalar.Style.quoted, .block])
    func quotedAndBlockScalarsAreStrings(_ style: Scalar.Style) {
        #expect(Scalar("true", style: style).resolved == .string("true"))
        #expect(Scalar("010", style: style).resolved == .string("010"))
        #expect(Scalar("", style: style).resolved == .string(""))
    }

    @Test func yamlReaderTypesAsTheCoreSchema() throws {
        let (root, diagnostics) = YAMLReader().read(SourceText(path: "t", bytes: Array("a: on\nb: 010\nc: '010'\nd: 1:30\n".utf8)))
        #expect(diagnostics.isEmpty)
        guard case .mapping(let entries)? = root?.value else { throw Failure("not a mapping") }
        let values = entries.map { entry -> Scalar.Resolved? in
            if case .scalar(let s) = entry.value.value { s.resolved } else { nil }
        }
        #expect(values == [.string("on"), .int(10), .string("010"), .string("1:30")])
    }
}

/// flowrun's location; Swift Testing has a type of the same name.
typealias Location = FlowrunCore.SourceLocation

/// A line and column, for tests that check where in their file something is.
struct Position: Equatable, CustomStringConvertible {
    var line: Int
    var column: Int

    var description: String { "\(line):\(column)" }
}

extension FlowrunCore.SourceLocation {
    var position: Position { Position(line: line, column: column) }
}

struct Failure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

@Suite struct ReaderTests {
    @Test func jsonSurrogatePairIsDecoded() throws {
        let outcome = WorkflowLoader().load(path: Fixtures.path("valid/json-surrogate.json"))
        let workflow = try #require(outcome.workflow)
        guard case .run(let template) = workflow.stages[0].tasks[0].action else { throw Failure("not a run task") }
        #expect(template.parts == [.literal("echo 😀 é\n")])
        #expect(workflow.name == "emoji")
    }

    @Test func jsonLoneLowSurrogateIsAnError() {
        let outcome = load(#"{"stages": [["echo \udc00"]]}"#, format: .json)
        #expect(errors(outcome) == ["1:20 JSON syntax error: unpaired UTF-16 surrogate in \\u escape"])
    }

    @Test func bomIsSkippedAndColumnsStartAfterIt() {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("stages: 3\n".utf8)
        let outcome = WorkflowLoader().load(SourceText(path: "b.yaml", bytes: bytes), format: .yaml)
        #expect(errors(outcome) == ["1:9 `stages` must be a list, found a number"])
    }

    @Test func crlfLinesAreCountedOnce() {
        let outcome = load("stages:\r\n  - name: a\r\n    tasks: [make]\r\n  - name: a b\r\n    tasks: [make]\r\n")
        #expect(errors(outcome) == ["4:11 invalid stage name `a b`; names use only A-Z a-z 0-9 _ . -"])
    }

    @Test func anchorsAndAliasesExpand() throws {
        let workflow = try #require(WorkflowLoader().load(path: Fixtures.path("valid/anchors.yaml")).workflow)
        let commands = workflow.stages[0].tasks.map { task -> String in
            guard case .run(let template) = task.action else { return "" }
            return template.parts.map { part in
                switch part {
                case .literal(let text): text
                case .reference(let e, _): "<\(e)>"
                }
            }.joined()
        }
        #expect(commands == ["make <vars.target>", "make <vars.target>"])
        #expect(workflow.stages[1].tasks[0].result == Template(literal: "release"))
    }

    @Test func yaml11WordsAreNames() throws {
        let workflow = try #require(WorkflowLoader().load(path: Fixtures.path("valid/yaml11-words.yaml")).workflow)
        #expect(workflow.name == "on")
        #expect(workflow.stages.map(\.name) == ["yes", "NO"])
        #expect(workflow.stages[0].tasks.map(\.name) == ["no", "off"])
    }

    @Test func octalLookingNumbersAreDecimal() throws {
        let workflow = try #require(WorkflowLoader().load(path: Fixtures.path("valid/octal-like-name.yaml")).workflow)
        #expect(workflow.stages[0].name == "010")
        #expect(workflow.variables.first?.value == "1:30")
        guard case .sleep(let duration) = workflow.stages[0].tasks[1].action else { throw Failure("not a sleep") }
        #expect(duration == .seconds(10))
    }

    @Test func defaultNameAndDirectoryComeFromThePath() throws {
        let workflow = try #require(load("stages: [[make]]", path: "/srv/ci/release.yaml").workflow)
        #expect(workflow.name == "release")
        #expect(workflow.directory == "/srv/ci")
        #expect(WorkflowLoader.defaultName(of: "<stdin>") == "stdin")
        #expect(WorkflowLoader.directory(of: "plain.yaml") == ".")
    }

    @Test func shorthandsBecomeRunTasksNamedByPosition() throws {
        let workflow = try #require(WorkflowLoader().load(path: Fixtures.path("valid/shorthands.yaml")).workflow)
        #expect(workflow.stages.map(\.name) == ["1", "ship"])
        #expect(workflow.stages[0].tasks.map(\.name) == ["1", "2"])
        #expect(workflow.stages[1].tasks.map(\.name) == ["1", "2"])
    }

    @Test func everyErrorIsCollectedNotOnlyTheFirst() {
        let outcome = load("""
            version: 3
            stages:
              - name: a b
                tasks:
                  - run: make
                    retries: 500
                  - sleep: 0
            """)
        #expect(errors(outcome).map { $0.prefix(4) } == ["1:10", "3:11", "6:18", "7:16"])
    }
}

@Suite struct SourceTextTests {
    @Test func lineAndLocationAgree() {
        let text = SourceText(path: "t", bytes: Array("ab\r\ncé\rx\n\nlast".utf8))
        #expect(text.line(1) == "ab")
        #expect(text.line(2) == "cé")
        #expect(text.line(3) == "x")
        #expect(text.line(4) == "")
        #expect(text.line(5) == "last")
        #expect(text.line(6) == nil)
        #expect(text.location(ofByte: 6) == Location(file: "t", line: 2, column: 3))  // after "cé"
        #expect(text.location(ofByte: 8) == Location(file: "t", line: 3, column: 1))
    }

    /// Checkpoints every 4 KiB must give the same answers as a walk from the start.
    @Test func largeFilesUseCheckpointsCorrectly() {
        var text = ""
        for i in 0..<3000 { text += "line \(i) ü\(String(repeating: "é", count: i % 7))\n" }
        let source = SourceText(path: "t", bytes: Array(text.utf8))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for n in stride(from: 1, through: 3000, by: 97) {
            #expect(source.line(n) == String(lines[n - 1]))
        }
        let offset = Array(text.utf8).count - 5
        #expect(source.location(ofByte: offset).line == 3000)
    }
}

@Suite struct DiagnosticRendererTests {
    func render(_ text: String, at location: Location) -> String {
        DiagnosticRenderer(colored: false).text(
            .error(.fileEmpty, at: location), path: "f.yaml", source: SourceText(path: "f.yaml", bytes: Array(text.utf8)))
    }

    @Test func caretUnderTheColumnWithEscapes() {
        let out = render("a: \"x\u{1B}y\" z\n", at: Location(file: "f.yaml", line: 1, column: 9))
        // ESC is shown as \u{1B} (6 characters), so the caret moves right by 5.
        #expect(out.hasSuffix("  a: \"x\\u{1B}y\" z\n               ^\n"))
    }

    @Test func longLinesAreCutAroundTheColumn() {
        let line = String(repeating: "a", count: 500) + "X" + String(repeating: "b", count: 500)
        let out = render(line, at: Location(file: "f.yaml", line: 1, column: 501))
        let shown = out.split(separator: "\n")[1]
        let caret = out.split(separator: "\n")[2]
        #expect(shown.hasPrefix("  …"))
        #expect(shown.unicodeScalars.count == 2 + 1 + DiagnosticRenderer.maxSnippetWidth)
        let caretIndex = caret.unicodeScalars.count - 1
        #expect(Array(shown.unicodeScalars)[caretIndex] == "X")
    }

    @Test func columnNearTheEndOfALongLine() {
        let line = String(repeating: "a", count: 999) + "X"
        let out = render(line, at: Location(file: "f.yaml", line: 1, column: 1000))
        let shown = Array(out.split(separator: "\n")[1].unicodeScalars)
        let caret = out.split(separator: "\n")[2].unicodeScalars.count - 1
        #expect(shown.count == 2 + 1 + DiagnosticRenderer.maxSnippetWidth)
        #expect(shown[caret] == "X")
    }

    @Test func columnPastTheEndOfTheLine() {
        let out = render("ab\ncd\n", at: Location(file: "f.yaml", line: 1, column: 4))
        #expect(out.hasSuffix("  ab\n     ^\n"))
    }

    @Test func jsonAndGithubForms() {
        let d = Diagnostic.error(.duplicateKey("a,b"), at: Location(file: "x.yaml", line: 2, column: 3),
                                 notes: [.init(location: Location(file: "x.yaml", line: 1, column: 1), message: .firstDefinedHere)])
        let renderer = DiagnosticRenderer()
        #expect(renderer.github(d, path: "x:y.yaml") == "::error file=x%3Ay.yaml,line=2,col=3::duplicate key `a,b`\n")
        #expect(renderer.json([("x.yaml", [d])]) == """
            [
              {"file":"x.yaml","severity":"error","code":"duplicateKey","message":"duplicate key `a,b`","line":2,"column":3,"notes":[{"line":1,"column":1,"message":"first defined here"}]}
            ]

            """)
        #expect(renderer.json([]) == "[]\n")
    }
}
