import Testing
@testable import FlowrunCore

/// Messages with no place in a file go through the one renderer as
/// `flowrun: SEVERITY: MESSAGE` (issue 15.6), escaped like every other message.
@Suite("Diagnostic command line") struct DiagnosticCommandLineTests {
    private let renderer = DiagnosticRenderer()

    @Test func theFingerprintingNoteIsANote() {
        let note = DiagnosticMessage.fingerprintingTook(milliseconds: 150, files: 3, hashed: 2, bytes: 10)
        #expect(renderer.commandLine(.note, note) == "flowrun: note: fingerprinting took 150ms (3 files, 2 read, 10 bytes)\n")
        #expect(note.code == "fingerprintingTook")
        #expect(StateSession.fingerprintingNote(elapsed: .milliseconds(150), files: 3, hashed: 2, bytes: 10) == note)
        // Slow, but no source file: nothing the user could change.
        #expect(StateSession.fingerprintingNote(elapsed: .milliseconds(150), files: 0, hashed: 0, bytes: 0) == nil)
        #expect(StateSession.fingerprintingNote(elapsed: .milliseconds(90), files: 3, hashed: 2, bytes: 10) == nil)
    }

    @Test func aRunThatIsNotKept() {
        let message = DiagnosticMessage.runNotKept(runID: "0123456789abcdef", directory: "/tmp/x/.flowrun")
        #expect(renderer.commandLine(.error, message) == "flowrun: error: no run 0123456789abcdef is kept in /tmp/x/.flowrun\n")
        #expect(message.code == "runNotKept")
    }

    @Test func controlCharactersInAPathAreEscaped() {
        let message = DiagnosticMessage.runNotKept(runID: "0123456789abcdef", directory: "/tmp/\u{1B}[31mred")
        let line = renderer.commandLine(.error, message)
        #expect(!line.contains("\u{1B}"), "\(line)")
        #expect(line.hasPrefix("flowrun: error: no run 0123456789abcdef is kept in /tmp/"))
    }
}
