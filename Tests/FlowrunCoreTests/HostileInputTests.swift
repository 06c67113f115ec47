#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FlowrunTestSupport
import Testing
@testable import FlowrunCore

/// Inputs meant to hurt: each must give a located error, promptly and
/// without a hang. Files are generated into a temporary folder at test time.
/// Time and memory of the release binary are measured by
/// `scripts/hostile/measure.sh`; here only what is cheap to assert.
@Suite(.timeLimit(.minutes(1))) struct HostileInputTests {
    /// Generous for a debug build on a shared machine; the release target is 200 ms.
    static let budget: Duration = .seconds(2)

    /// Loads `path`, expects an error at a location, and that it came back in time.
    @discardableResult
    func expectPromptError(
        _ path: String, format: InputFormat? = nil, _ expected: DiagnosticMessage? = nil,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) -> WorkflowLoader.Outcome {
        let clock = ContinuousClock()
        let start = clock.now
        let outcome = WorkflowLoader().load(path: path, format: format)
        let elapsed = clock.now - start
        #expect(elapsed < Self.budget, "\(path) took \(elapsed)", sourceLocation: sourceLocation)
        let error = outcome.diagnostics.first { $0.severity == .error }
        #expect(error != nil, "\(path): expected an error", sourceLocation: sourceLocation)
        #expect(error?.location != nil, "\(path): the error must name line:column", sourceLocation: sourceLocation)
        #expect(outcome.workflow == nil, sourceLocation: sourceLocation)
        if let expected {
            #expect(error?.message == expected, sourceLocation: sourceLocation)
        }
        return outcome
    }

    @Test func aliasBombNineLevelsOfTen() throws {
        let dir = try TemporaryFolder()
        var text = "a: &a [\(Array(repeating: "\"lol\"", count: 10).joined(separator: ","))]\n"
        let names = Array("abcdefghi")
        for level in 1..<9 {
            let previous = names[level - 1]
            text += "\(names[level]): &\(names[level]) [\(Array(repeating: "*\(previous)", count: 10).joined(separator: ","))]\n"
        }
        text += "stages: *i\n"
        let outcome = expectPromptError(try dir.write("bomb.yaml", text), .aliasExpansionTooLarge(limit: ReaderLimits().maxAliasExpansion))
        #expect(outcome.diagnostics.count == 1)
    }

    @Test func aliasAsADuplicateKey() throws {
        let dir = try TemporaryFolder()
        let outcome = expectPromptError(try dir.write("dup.yaml", "description: &k name\nname: x\n*k : y\nstages: [[make]]\n"), .duplicateKey("name"))
        #expect(outcome.diagnostics.count == 1)
        #expect(outcome.diagnostics.first?.location?.position == Position(line: 3, column: 1))
        #expect(outcome.diagnostics.first?.notes.first?.location.position == Position(line: 2, column: 1))
    }

    /// An anchored collection used as a key: Yams expanded it for over 20 s.
    @Test func largeAliasAsAKey() throws {
        let dir = try TemporaryFolder()
        var text = "a: &a [\(Array(repeating: "x", count: 10).joined(separator: ","))]\n"
        text += "b: &b [\(Array(repeating: "*a", count: 10).joined(separator: ","))]\n"
        text += "c: &c [\(Array(repeating: "*b", count: 10).joined(separator: ","))]\n"
        text += "? *c\n: value\n"
        expectPromptError(try dir.write("key.yaml", text), .nonStringKey(found: .list))
    }

    @Test func tooManyAliasUses() throws {
        let dir = try TemporaryFolder()
        let text = "v: &v x\nlist: [\(Array(repeating: "*v", count: 101).joined(separator: ", "))]\n"
        expectPromptError(try dir.write("aliases.yaml", text), .tooManyAliases(limit: 100))
    }

    @Test(arguments: [InputFormat.yaml, .json])
    func hundredThousandNestedBrackets(_ format: InputFormat) throws {
        let dir = try TemporaryFolder()
        let text = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let outcome = expectPromptError(try dir.write("deep.\(format.rawValue)", text), format: format, .nestingTooDeep(limit: 64))
        #expect(outcome.diagnostics.first?.location?.position == Position(line: 1, column: 65))
    }

    @Test func twentyMegabyteFile() throws {
        let dir = try TemporaryFolder()
        var text = "stages:\n  - name: s\n    tasks:\n"
        let line = "      - run: echo \(String(repeating: "x", count: 80))\n"
        while text.utf8.count < 20 << 20 { text += String(repeating: line, count: 1000) }
        expectPromptError(try dir.write("big.yaml", text), .fileTooLarge(limit: 16 << 20))
    }

    @Test func hundredThousandTasksWithMegabyteNamesAreCappedBySize() throws {
        // 100,000 × 1 MB would be 100 GB: what is written is enough to pass
        // the 16 MiB cap, which must stop reading before any parsing.
        let dir = try TemporaryFolder()
        let name = String(repeating: "n", count: 1 << 20)
        var text = "stages:\n  - name: s\n    tasks:\n"
        for _ in 0..<17 { text += "      - name: \(name)\n        run: x\n" }
        expectPromptError(try dir.write("names.yaml", text), .fileTooLarge(limit: 16 << 20))
    }

    @Test func megabyteNamesUnderTheSizeCapAreRejectedOneByOne() throws {
        let dir = try TemporaryFolder()
        let name = String(repeating: "n", count: 1_000_000)
        var text = "stages:\n  - name: s\n    tasks:\n"
        for _ in 0..<8 { text += "      - name: \(name)\n        run: x\n" }
        let outcome = expectPromptError(try dir.write("names.yaml", text), .nameTooLong(kind: .task, limit: Validator.maxNameLength))
        #expect(outcome.diagnostics.count == 8)
        // The snippet of a 1 MB line is cut, and rendering it is quick too.
        let clock = ContinuousClock()
        let start = clock.now
        let rendered = outcome.diagnostics.map {
            DiagnosticRenderer().text($0, path: "names.yaml", source: outcome.source)
        }.joined()
        #expect(clock.now - start < Self.budget)
        #expect(rendered.utf8.count < 8 * 1000)
    }

    @Test func scalarOverOneMebibyte() throws {
        let dir = try TemporaryFolder()
        let text = "stages:\n  - name: s\n    tasks:\n      - run: \(String(repeating: "y", count: (1 << 20) + 1))\n"
        let outcome = expectPromptError(try dir.write("scalar.yaml", text), .scalarTooLarge(limit: 1 << 20))
        #expect(outcome.diagnostics.first?.location?.position == Position(line: 4, column: 14))
    }

    @Test func nulBytes() throws {
        let dir = try TemporaryFolder()
        let outcome = expectPromptError(try dir.write("nul.yaml", bytes: Array("stages:\n  - [ma".utf8) + [0] + Array("ke]\n".utf8)), .nulByte)
        #expect(outcome.diagnostics.first?.location?.position == Position(line: 2, column: 8))
    }

    @Test func invalidUTF8() throws {
        let dir = try TemporaryFolder()
        let outcome = expectPromptError(try dir.write("bad.yaml", bytes: Array("name: caf".utf8) + [0xE9] + Array("\nstages: [[make]]\n".utf8)), .invalidUTF8)
        #expect(outcome.diagnostics.first?.location?.position == Position(line: 1, column: 10))
        // An overlong encoding and a surrogate encoded in UTF-8 are invalid too.
        expectPromptError(try dir.write("overlong.yaml", bytes: [0xC0, 0xAF]), .invalidUTF8)
        expectPromptError(try dir.write("surrogate.yaml", bytes: [0xED, 0xA0, 0x80]), .invalidUTF8)
    }

    @Test(arguments: [[UInt8]([0xFF, 0xFE]), [0xFE, 0xFF]])
    func utf16WithBOM(_ bom: [UInt8]) throws {
        let dir = try TemporaryFolder()
        var bytes = bom
        for unit in "stages: [[make]]\n".utf16 {
            bytes += bom[0] == 0xFF ? [UInt8(unit & 0xFF), UInt8(unit >> 8)] : [UInt8(unit >> 8), UInt8(unit & 0xFF)]
        }
        expectPromptError(try dir.write("utf16.yaml", bytes: bytes), .utf16Encoding)
    }

    /// Without O_NONBLOCK, opening a FIFO with no writer blocks forever.
    @Test func fifoDoesNotHang() throws {
        let dir = try TemporaryFolder()
        let path = dir.path + "/pipe.yaml"
        try #require(mkfifo(path, 0o600) == 0)
        expectPromptError(path, .notRegularFile)
    }

    @Test func directory() throws {
        let dir = try TemporaryFolder()
        expectPromptError(dir.path, .isDirectory)
    }

    @Test(arguments: ["/dev/null", "/dev/zero"])
    func devices(_ path: String) {
        expectPromptError(path, .notRegularFile)
    }

    @Test func emptyFile() throws {
        let dir = try TemporaryFolder()
        expectPromptError(try dir.write("empty.yaml", ""), .fileEmpty)
        expectPromptError(try dir.write("empty.json", "  \n"), .fileEmpty)
        expectPromptError(try dir.write("comment.yaml", "# nothing\n"), .fileEmpty)
    }

    @Test func multiDocument() throws {
        let dir = try TemporaryFolder()
        let outcome = expectPromptError(try dir.write("multi.yaml", "stages: [[a]]\n---\nstages: [[b]]\n...\n---\nx\n"), .multipleDocuments)
        #expect(outcome.diagnostics.first?.location?.position == Position(line: 2, column: 1))
    }

    @Test(arguments: ["-1", "0", "1e309", ".nan", "123456789012345678901", "-.inf", "1e-9"])
    func hostileTimeouts(_ value: String) throws {
        let dir = try TemporaryFolder()
        let outcome = expectPromptError(try dir.write("t.yaml", "stages:\n  - name: s\n    tasks:\n      - run: make\n        timeout: \(value)\n"))
        #expect(outcome.diagnostics.first?.location?.position == Position(line: 5, column: 18))
    }

    @Test func controlCharactersInNamesAreRejectedAndEscaped() throws {
        let dir = try TemporaryFolder()
        let outcome = expectPromptError(try dir.write("ansi.yaml", "stages:\n  - name: \"x\\e]0;pwned\\a\\u2066y\"\n    tasks: [make]\n"))
        let text = DiagnosticRenderer().text(outcome.diagnostics[0], path: "ansi.yaml", source: outcome.source)
        #expect(!text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x2066 })
        #expect(text.contains("x\\u{1B}]0;pwned\\u{7}\\u{2066}y"))
    }

    /// Raw control characters in a YAML file are refused by libyaml itself, located.
    @Test func rawEscapeByteInTheFile() throws {
        let dir = try TemporaryFolder()
        let outcome = expectPromptError(try dir.write("raw.yaml", bytes: Array("stages:\n  - [ma".utf8) + [0x1B] + Array("ke]\n".utf8)))
        #expect(outcome.diagnostics.first?.location?.position == Position(line: 2, column: 8))
        #expect(outcome.diagnostics.first?.message == .controlCharacter(code: 0x1B))
    }
}

