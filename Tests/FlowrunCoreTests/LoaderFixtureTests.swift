#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import FlowrunCore

/// The fixture corpus: every workflow under `Fixtures/valid` and `Fixtures/invalid`
/// is loaded and its diagnostics, rendered as `flowrun validate` prints them
/// (uncolored, path relative to `Fixtures/`), are compared with the golden
/// file `NAME.expected` next to it.
///
/// A missing or different golden fails the test. The would-be golden is then
/// written next to the fixture as `NAME.actual` for a human to review and
/// rename; nothing is ever recorded silently.
@Suite struct LoaderFixtureTests {
    @Test(arguments: Fixtures.workflows())
    func diagnosticsMatchGolden(_ fixture: String) throws {
        let actual = Fixtures.render(fixture)
        let goldenPath = Fixtures.path(fixture) + ".expected"
        let actualPath = Fixtures.path(fixture) + ".actual"
        guard let expected = Fixtures.readText(goldenPath) else {
            Fixtures.writeText(actualPath, actual)
            Issue.record("no golden file \(fixture).expected; wrote \(fixture).actual to review and rename")
            return
        }
        if actual == expected {
            unlink(actualPath)
        } else {
            Fixtures.writeText(actualPath, actual)
            Issue.record("""
                \(fixture): diagnostics differ from \(fixture).expected (actual written to \(fixture).actual)
                --- expected
                \(expected)--- actual
                \(actual)
                """)
        }
    }

    @Test(arguments: Fixtures.workflows().filter { $0.hasPrefix("valid/") })
    func validFixtureLoadsWithoutErrors(_ fixture: String) {
        let outcome = WorkflowLoader().load(path: Fixtures.path(fixture))
        #expect(!outcome.hasErrors, "\(fixture) should be valid")
        #expect(outcome.workflow != nil, "\(fixture) should give a workflow")
    }

    @Test(arguments: Fixtures.workflows().filter { $0.hasPrefix("invalid/") })
    func invalidFixtureIsRejectedWithLocatedErrors(_ fixture: String) {
        let outcome = WorkflowLoader().load(path: Fixtures.path(fixture))
        #expect(outcome.hasErrors, "\(fixture) should be invalid")
        #expect(outcome.workflow == nil, "\(fixture) should give no workflow")
        let errors = outcome.diagnostics.filter { $0.severity == .error }
        #expect(errors.allSatisfy { $0.location != nil }, "\(fixture): every error names line:column")
    }

    @Test func corpusIsLargeEnough() {
        let all = Fixtures.workflows()
        let invalid = all.filter { $0.hasPrefix("invalid/") }
        #expect(invalid.count >= 45, "invalid fixtures: \(invalid.count)")
        #expect(invalid.filter { $0.hasSuffix(".json") }.count >= 10)
        #expect(all.filter { $0.hasPrefix("valid/") }.count >= 8)
    }

    /// A golden without its fixture is a leftover from a rename; it would silently test nothing.
    @Test func everyGoldenHasAFixture() {
        let workflows = Set(Fixtures.workflows())
        for folder in ["valid", "invalid"] {
            for file in Fixtures.list(folder) where file.hasSuffix(".expected") {
                let fixture = "\(folder)/\(file.dropLast(".expected".count))"
                #expect(workflows.contains(fixture), "\(folder)/\(file) has no fixture")
            }
        }
    }
}

/// Finds and renders the fixture files; located from this source file so that
/// `.actual` files land in the source tree, where a human can see them.
enum Fixtures {
    static let root: String = {
        let file = #filePath
        return String(file[..<file.lastIndex(of: "/")!]) + "/Fixtures"
    }()

    static func path(_ fixture: String) -> String { root + "/" + fixture }

    /// `valid/NAME` and `invalid/NAME` of every `.yaml`, `.yml` and `.json` file, sorted.
    static func workflows() -> [String] {
        ["valid", "invalid"].flatMap { folder in
            list(folder)
                .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") || $0.hasSuffix(".json") }
                .map { "\(folder)/\($0)" }
        }
    }

    /// What the golden holds: validity, then the text diagnostics as `flowrun validate` prints them.
    static func render(_ fixture: String) -> String {
        let outcome = WorkflowLoader().load(path: path(fixture))
        var out = "status: \(outcome.hasErrors ? "invalid" : "valid")\n---\n"
        let renderer = DiagnosticRenderer(colored: false)
        for diagnostic in outcome.diagnostics {
            out += renderer.text(diagnostic, path: fixture, source: outcome.source, included: outcome.included)
        }
        return out
    }

    static func list(_ folder: String) -> [String] {
        guard let dir = opendir(path(folder)) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if !name.hasPrefix(".") { names.append(name) }
        }
        return names.sorted()
    }

    static func readText(_ path: String) -> String? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&buffer, 1, buffer.count, file)
            if n <= 0 { break }
            bytes += buffer[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func writeText(_ path: String, _ text: String) {
        guard let file = fopen(path, "wb") else { return }
        defer { fclose(file) }
        let bytes = Array(text.utf8)
        _ = fwrite(bytes, 1, bytes.count, file)
    }
}
