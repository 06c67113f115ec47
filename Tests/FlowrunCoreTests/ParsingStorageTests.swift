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

    @Test func scalarsWrittenAsTheyAreAreRangesOfTheSourceAndKeepTheirRanges() throws {
        let text = "a: plain words\nb: 'quoted'\nc: \"esc\\tx\"\nd: |\n  block\n"
        let (root, diagnostics) = YAMLReader().read(SourceText(path: "t.yaml", bytes: Array(text.utf8)))
        #expect(diagnostics.isEmpty)
        guard case .mapping(let entries)? = root?.value else { throw Failure("not a mapping") }
        let scalars = entries.map { entry -> (String, Range<Int>?) in
            guard case .scalar(let s) = entry.value.value else { return ("", nil) }
            return (s.text, s.sourceRange)
        }
        #expect(scalars.map(\.0) == ["plain words", "quoted", "esc\tx", "block\n"])
        let bytes = Array(text.utf8)
        let written = scalars.map { $0.1.map { String(decoding: bytes[$0], as: UTF8.self) } }
        #expect(written == ["plain words", "'quoted'", "\"esc\\tx\"", "|\n  block\n"])
        // Text as written is read from the source; only the escaped and the block scalar keep their own.
        let arena = try #require(root?.arena)
        let owned = (0..<arena.count).filter { arena[$0].kind & NodeArena.ownedText != 0 }
        #expect(owned.count == 2)
    }

    @Test func keysAreTypedFromTheirBytesAsTheCoreSchemaTypesThem() {
        let words = ["name", "timeout", "null", "Null", "NULL", "nulls", "true", "True", "TRUE", "tru", "false", "False",
                     "FALSE", "falsey", "~", "~x", "n", "t", "f", "N", "nan", ".nan", ".inf", "-.inf", "+.Inf", "1", "-1",
                     "0x1F", "0o17", "0x", "1.5", "1e3", "1:30", "on", "yes", "", "Falsee", "tRUE"]
        for word in words {
            let isString = Array(word.utf8).withUnsafeBufferPointer { Scalar.typesAsString($0) }
            if case .string = Scalar(word, style: .plain).resolved { #expect(isString, "\(word)") } else { #expect(!isString, "\(word)") }
        }
    }

    @Test func jsonStringsWithoutEscapesAndNumbersAreRangesOfTheSource() throws {
        let text = #"{"a": "x y", "b": "e\u0041", "c": -1.5e3, "d": true}"#
        let (root, diagnostics) = JSONReader().read(SourceText(path: "t.json", bytes: Array(text.utf8)))
        #expect(diagnostics.isEmpty)
        guard case .mapping(let entries)? = root?.value else { throw Failure("not a mapping") }
        #expect(entries.map(\.key) == ["a", "b", "c", "d"])
        let values = entries.map { entry -> Scalar.Resolved? in
            if case .scalar(let s) = entry.value.value { s.resolved } else { nil }
        }
        #expect(values == [.string("x y"), .string("eA"), .float(-1500), .bool(true)])
        let ranges = entries.map { entry -> Range<Int>? in
            if case .scalar(let s) = entry.value.value { s.sourceRange } else { nil }
        }
        #expect(ranges == [6..<11, 18..<27, nil, nil])
    }

    @Test func duplicateAndMergeKeysAreLeftOutOfTheirMapping() throws {
        let text = "base: &b {x: 1}\nm:\n  k: 1\n  k: 2\n  <<: *b\n  j: [1, 2]\n  j: {z: 3}\n  l: last\n"
        let (root, diagnostics) = YAMLReader().read(SourceText(path: "t.yaml", bytes: Array(text.utf8)))
        #expect(diagnostics.count == 3)
        guard case .mapping(let entries)? = root?.value, let m = entries.first(where: { $0.key == "m" }),
              case .mapping(let inner) = m.value.value else { throw Failure("not a mapping") }
        #expect(inner.count == 3 && inner.map(\.key) == ["k", "j", "l"])
        let kinds = inner.map(\.value.kind)
        #expect(kinds == [.number, .list, .string])
        #expect(inner.map(\.keyLocation.line) == [3, 6, 8])
    }

    @Test func theArenaLetsGoOnlyOfWholeChunksAndNeverOnceAliased() {
        func filled(aliased: Bool) -> NodeArena {
            let arena = NodeArena(source: [], origin: SourceLocation(file: "t", line: 1, column: 1))
            for i in 0..<(3 * NodeArena.chunkSize) {
                let kind = aliased && i == 5 ? NodeArena.Kind.alias : .plain
                _ = arena.append(NodeArena.Record(line: Int32(i + 1), column: 1, a: 0, b: 0, kind: kind.rawValue))
            }
            return arena
        }
        let arena = filled(aliased: false)
        arena.release(10..<(2 * NodeArena.chunkSize + 10))
        // Only the second chunk lay wholly inside.
        #expect(arena.isLive(NodeArena.chunkSize - 1) && !arena.isLive(NodeArena.chunkSize))
        #expect(!arena.isLive(2 * NodeArena.chunkSize - 1) && arena.isLive(2 * NodeArena.chunkSize))
        #expect(arena.location(2 * NodeArena.chunkSize).line == 2 * NodeArena.chunkSize + 1)
        let aliased = filled(aliased: true)
        aliased.release(0..<aliased.count)
        #expect(aliased.isLive(NodeArena.chunkSize))
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
