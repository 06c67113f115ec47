import Testing
@testable import FlowrunCore

@Suite("LineSplitter") struct ExecutionLineSplitterTests {
    private func split(_ chunks: [String], max: Int = 64) -> [String] {
        var splitter = LineSplitter(maxLineBytes: max)
        var lines = OutputLines()
        for chunk in chunks {
            Array(chunk.utf8).withUnsafeBytes { splitter.append($0, into: &lines) }
        }
        splitter.finish(into: &lines)
        return Array(lines)
    }

    @Test(arguments: [
        (["a\nb\n"], ["a", "b"]),
        (["a\nb"], ["a", "b"]),
        (["a", "b\n", "c"], ["ab", "c"]),
        (["\n\n"], ["", ""]),
        ([""], []),
        (["x\r\n"], ["x\r"]),
    ])
    func splits(chunks: [String], expected: [String]) {
        #expect(split(chunks) == expected)
    }

    @Test func longLineComesInBoundedPieces() {
        let lines = split([String(repeating: "x", count: 100), "yy\nz"], max: 40)
        #expect(lines == [String(repeating: "x", count: 40), String(repeating: "x", count: 40),
                          String(repeating: "x", count: 20) + "yy", "z"])
    }

    @Test func pieceDoesNotCutACharacter() {
        let lines = split([String(repeating: "é", count: 30)], max: 9)
        #expect(lines.allSatisfy { !$0.contains("\u{FFFD}") })
        #expect(lines.joined() == String(repeating: "é", count: 30))
    }

    @Test func secretsMaskedLongestFirstAndPerLine() {
        let mask = SecretMask(["abc", "abcdef", "line1\nline2"])
        #expect(mask.apply("xabcdefx abc line2") == "x***x *** ***")
    }
}

@Suite("OutputLines") struct OutputLinesTests {
    @Test func linesKeepTheirBytesAndDecodeOnRead() {
        var lines: OutputLines = ["a", "", "héllo"]
        let invalid: [UInt8] = [0x66, 0xFF, 0x6F]
        invalid.withUnsafeBytes { lines.append($0) }
        #expect(lines.count == 4)
        #expect(Array(lines) == ["a", "", "héllo", "f\u{FFFD}o"])
        // Bytes pass through untouched, invalid UTF-8 included.
        #expect(lines.prefixed(by: Array("> ".utf8)) == Array("> a\n> \n> héllo\n> ".utf8) + invalid + [0x0A])
    }
}
