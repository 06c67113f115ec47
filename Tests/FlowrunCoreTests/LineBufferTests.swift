import Testing
@testable import FlowrunCore

@Suite struct LineBufferTests {
    @Test func padsByCharactersNotBytes() {
        var line = LineBuffer()
        line.pad("né", 4)
        line += "|"
        line.pad("7ms", 5, left: true)
        #expect(line.text == "né  |  7ms")
    }

    @Test func aTextWiderThanItsColumnIsNotCut() {
        var line = LineBuffer()
        line.pad("wide name", 4)
        line.spaces(-3)
        line += "|"
        #expect(line.text == "wide name|")
    }

    @Test func trimsOnlyTrailingSpacesAndClearsForTheNextLine() {
        var line = LineBuffer()
        line += "  a  b"
        line.spaces(6)
        line.trimTrailingSpaces()
        #expect(line.text == "  a  b")
        line.clear()
        line += "é\u{301} "
        line.trimTrailingSpaces()
        #expect(line.text == "é\u{301}")
    }
}
