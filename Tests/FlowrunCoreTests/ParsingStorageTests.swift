import Foundation
import Testing
@testable import FlowrunCore

/// The compact forms a large file is read into: interned location files,
/// text-only templates, the tree builder's stack, the one-read source.
@Suite struct ParsingStorageTests {
    @Test func locationsCompareByFileNameAndPosition() {
        let a = SourceLocation(file: "/w/b.yaml", line: 3, column: 4)
        #expect(a == SourceLocation(file: "/w/b.yaml", line: 3, column: 4))
        #expect(a.hashValue == SourceLocation(file: "/w/b.yaml", line: 3, column: 4).hashValue)
        #expect(a != SourceLocation(file: "/w/c.yaml", line: 3, column: 4))
        // Across files by name, whatever order the names were first seen in.
        #expect(SourceLocation(file: "/w/z-first.yaml", line: 1, column: 1) > SourceLocation(file: "/w/a-later.yaml", line: 9, column: 9))
        #expect(a < a.moved(line: 3, column: 5))
        var moved = a.moved(line: 7, column: 1)
        #expect(moved.file == "/w/b.yaml" && moved.line == 7 && moved.column == 1)
        moved.file = "other.json"
        #expect(moved.file == "other.json" && moved.line == 7)
    }

    @Test func aTextOnlyTemplateEqualsItsOnePart() {
        let text = Template(literal: "echo hi")
        #expect(text == Template(parts: [.literal("echo hi")]))
        #expect(text.parts == [.literal("echo hi")])
        #expect(text.partCount == 1 && !text.hasReferences && text.references.isEmpty)
        #expect(Template(literal: "").parts.isEmpty)
        let location = SourceLocation(file: "t.yaml", line: 1, column: 6)
        var mixed = Template(parts: [.literal("echo "), .reference(.variable("x"), location)])
        #expect(mixed.partCount == 2 && mixed.hasReferences && mixed.references == [.variable("x")])
        mixed.parts = [.literal("plain")]
        #expect(mixed == Template(literal: "plain") && mixed.partCount == 1)
    }

    @Test func theOpenStackMovesItsTailOutInOrder() {
        let stack = OpenStack<String>()
        for i in 0..<200 { stack.append("item \(i) with a heap-allocated text") }
        #expect(stack.count == 200 && stack[199] == "item 199 with a heap-allocated text")
        let tail = stack.take(from: 150)
        #expect(tail.count == 50 && tail.first == "item 150 with a heap-allocated text" && tail.last == "item 199 with a heap-allocated text")
        #expect(stack.count == 150 && stack[149] == "item 149 with a heap-allocated text")
        stack.append("again")
        #expect(stack.take(from: 0).count == 151)
        #expect(stack.count == 0 && stack.take(from: 0).isEmpty)
    }

    @Test func aFileLargerThanOneChunkIsReadWhole() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("flowrun-read-\(UUID().uuidString).yaml").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var text = "stages:\n  - name: s\n    tasks:\n"
        while text.utf8.count < 300_000 { text += "      - echo \(text.utf8.count)\n" }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let source = try SourceReader().read(path: path).get()
        #expect(source.bytes == Array(text.utf8))
        #expect(source.line(3) == "    tasks:")
    }

    @Test func yamlLineBreaksAreCountedWhenTheIndexIsFirstAsked() {
        // U+2028 ends a line for YAML only; the index is made per counting, on first use.
        let source = SourceText(path: "u.yaml", bytes: Array("a: 1\u{2028}b: 2\n".utf8))
        let yaml = source.counting(.yaml)
        #expect(yaml.location(ofByte: 7).line == 2)
        #expect(source.location(ofByte: 7).line == 1)
        #expect(yaml.line(2) == "b: 2")
    }
}
