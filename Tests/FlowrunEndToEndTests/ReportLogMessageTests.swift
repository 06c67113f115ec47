import Foundation
import Testing

/// `flowrun log RUNID` for a run the state folder does not keep: the one
/// renderer's `flowrun: error:` line, and the usage status.
@Suite("Report log message") struct ReportLogMessageTests {
    @Test(.enabled(if: ReportCLI.binary != nil, "needs the built flowrun"))
    func anUnknownRunIDIsAUsageError() throws {
        let directory = try ReportCLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let state = directory.appendingPathComponent("state").path
        let output = try ReportCLI.run(["log", "0123456789abcdef", "--state-dir", state], in: directory)
        #expect(output.status == 64)
        #expect(output.stderr == "flowrun: error: no run 0123456789abcdef is kept in \(state)\n")
        #expect(output.stdout.isEmpty)
    }
}
