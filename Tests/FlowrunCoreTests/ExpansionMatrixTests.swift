import Testing
@testable import FlowrunCore

@Suite struct ExpansionMatrixTests {
    private func names(_ result: Result<[MatrixExpansion.Instance], MatrixExpansion.Problem>) -> [String] {
        (try? result.get().map(\.name)) ?? []
    }

    @Test func theFirstKeyVariesSlowest() {
        let result = MatrixExpansion.expand(task: "test", axes: [
            .init(name: "os", values: ["linux", "macos"]), .init(name: "py", values: ["3.11", "3.12"]),
        ])
        #expect(names(result) == ["test-linux-3.11", "test-linux-3.12", "test-macos-3.11", "test-macos-3.12"])
        let first = try? result.get().first
        #expect(first?.value("os") == "linux")
        #expect(first?.value("py") == "3.11")
    }

    @Test func excludeRemovesEveryMatchAndIncludeAppends() {
        let result = MatrixExpansion.expand(
            task: "t", axes: [.init(name: "os", values: ["linux", "macos"]), .init(name: "py", values: ["1", "2"])],
            exclude: [["os": "macos"]], include: [["os": "win", "py": "9"]])
        #expect(names(result) == ["t-linux-1", "t-linux-2", "t-win-9"])
    }

    @Test func anExcludeEntryMustMatchAllItsPairs() {
        let result = MatrixExpansion.expand(
            task: "t", axes: [.init(name: "a", values: ["1", "2"]), .init(name: "b", values: ["x", "y"])],
            exclude: [["a": "1", "b": "y"]])
        #expect(names(result) == ["t-1-x", "t-2-x", "t-2-y"])
    }

    @Test(arguments: [
        ("3.11", "t-3.11"), ("a b", "t-a_b"), ("x/y:z", "t-x_y_z"), ("é", "t-_"), ("", "t-"),
    ])
    func valuesAreSanitizedInNames(_ value: String, _ expected: String) {
        #expect(MatrixExpansion.instanceName(task: "t", values: [.init(name: "k", value: value)], pattern: nil) == expected)
    }

    @Test func aNamePatternNamesEachInstance() {
        let result = MatrixExpansion.expand(
            task: "ignored", axes: [.init(name: "os", values: ["linux", "mac os"])],
            namePattern: [.text("build-on-"), .key("os")])
        #expect(names(result) == ["build-on-linux", "build-on-mac_os"])
    }

    @Test func twoInstancesWithOneNameAreAnError() {
        let sanitizedClash = MatrixExpansion.expand(task: "t", axes: [.init(name: "k", values: ["a b", "a_b"])])
        #expect(sanitizedClash == .failure(.duplicateInstance(name: "t-a_b")))
        let patternClash = MatrixExpansion.expand(
            task: "t", axes: [.init(name: "os", values: ["l", "m"]), .init(name: "v", values: ["1", "2"])],
            namePattern: [.text("x-"), .key("os")])
        #expect(patternClash == .failure(.duplicateInstance(name: "x-l")))
        let includeClash = MatrixExpansion.expand(task: "t", axes: [.init(name: "k", values: ["a"])], include: [["k": "a"]])
        #expect(includeClash == .failure(.duplicateInstance(name: "t-a")))
    }

    @Test func theCapIsTenThousandInstances() {
        let hundred = (0..<100).map(String.init)
        let atCap = MatrixExpansion.expand(task: "t", axes: [.init(name: "a", values: hundred), .init(name: "b", values: hundred)])
        #expect((try? atCap.get().count) == 10_000)
        let over = MatrixExpansion.expand(
            task: "t", axes: [.init(name: "a", values: hundred), .init(name: "b", values: hundred)], include: [["a": "x", "b": "y"]])
        #expect(over == .failure(.tooManyInstances(limit: 10_000)))
        // Excluding brings a larger product under the cap.
        let excluded = MatrixExpansion.expand(
            task: "t", axes: [.init(name: "a", values: hundred + ["z"]), .init(name: "b", values: hundred)], exclude: [["a": "z"]])
        #expect((try? excluded.get().count) == 10_000)
    }

    @Test func aHugeCrossProductIsRefusedWithoutEnumerating() {
        let thousand = (0..<1000).map(String.init)
        let result = MatrixExpansion.expand(task: "t", axes: Array(repeating: thousand, count: 7).enumerated().map {
            .init(name: "k\($0.offset)", values: $0.element)
        })
        #expect(result == .failure(.tooManyCombinations(limit: 1_000_000)))
    }

    @Test func anEmptyAxisGivesNoInstances() {
        let result = MatrixExpansion.expand(task: "t", axes: [.init(name: "a", values: []), .init(name: "b", values: ["1"])])
        #expect(names(result) == [])
    }

    @Test func dynamicValuesAreLinesWithoutEmptyOnes() {
        #expect(MatrixExpansion.lines("a\n\nb\r\n  \nc\n") == ["a", "b", "c"])
        #expect(MatrixExpansion.lines("") == [])
    }
}

@Suite struct OutputFileTests {
    private func parse(_ text: String) -> Result<[TaskOutput], OutputFile.Problem> {
        OutputFile.parse(Array(text.utf8))
    }

    @Test func nameValueLinesKeepEverythingAfterTheFirstEquals() {
        #expect(parse("tag=v1.4.0\nurl=a=b\r\nempty=\n") == .success([
            TaskOutput(name: "tag", value: "v1.4.0"), TaskOutput(name: "url", value: "a=b"), TaskOutput(name: "empty", value: ""),
        ]))
    }

    @Test func heredocsSetMultiLineValues() {
        #expect(parse("notes<<EOF\nline 1\n\nline=3\nEOF\nafter=x\n") == .success([
            TaskOutput(name: "notes", value: "line 1\n\nline=3"), TaskOutput(name: "after", value: "x"),
        ]))
        #expect(parse("e<<END\nEND") == .success([TaskOutput(name: "e", value: "")]))
    }

    @Test func anEqualsBeforeTheHeredocMarkerIsAPlainValue() {
        #expect(parse("cmd=a<<b\n") == .success([TaskOutput(name: "cmd", value: "a<<b")]))
    }

    @Test func theLastWriteWins() {
        #expect(parse("a=1\nb=2\na=3\n") == .success([TaskOutput(name: "a", value: "3"), TaskOutput(name: "b", value: "2")]))
    }

    @Test(arguments: [
        ("no equals here\n", OutputFile.Problem.malformedLine(line: 1)),
        ("a=1\n9x=2\n", .invalidName(line: 2)),
        ("=value\n", .invalidName(line: 1)),
        ("a<<EOF\nnever closed\n", .unterminated(line: 1, delimiter: "EOF")),
        ("a<<\n", .malformedLine(line: 1)),
    ])
    func malformedFilesAreProblemsWithALine(_ text: String, _ problem: OutputFile.Problem) {
        #expect(parse(text) == .failure(problem))
    }

    @Test func theCapIsOneMebibyte() {
        let line = Array("a=".utf8) + [UInt8](repeating: 0x78, count: (1 << 20) - 2)
        #expect((try? OutputFile.parse(line).get().first?.value.utf8.count) == (1 << 20) - 2)
        #expect(OutputFile.parse(line + [0x78]) == .failure(.tooLarge(limit: 1 << 20)))
    }

    @Test func invalidUTF8IsAProblem() {
        #expect(OutputFile.parse([0x61, 0x3D, 0xFF]) == .failure(.invalidUTF8))
    }
}
