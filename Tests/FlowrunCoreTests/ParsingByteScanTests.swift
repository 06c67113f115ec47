@testable import FlowrunCore
import Testing

@Suite struct ParsingByteScanTests {
    @Test(arguments: [
        ("${{ x }}", true), ("a ${{", true), ("$${{", true), ("$ {{", false), ("${", false), ("${ {", false),
        ("", false), ("$$$", false), ("ü ${{ ü }}", true), ("{{$", false),
    ])
    func findsTheMarkerAnywhereAndOnlyWhole(text: String, holds: Bool) {
        #expect(ByteScan.holds(text, "${{") == holds)
        #expect(ByteScan.holds(text, "${{") == text.contains("${{"))
    }

    @Test func anEmptyNeedleIsInEveryText() {
        #expect(ByteScan.holds("", ""))
        #expect(ByteScan.holds("abc", ""))
    }
}
