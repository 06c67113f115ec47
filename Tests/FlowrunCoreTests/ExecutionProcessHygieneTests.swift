#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@testable import FlowrunCore
import FlowrunTestSupport
import Testing

@Suite struct ExecutionProcessHygieneTests {
    #if os(Linux)
    // F_SETPIPE_SZ and F_GETPIPE_SZ (<linux/fcntl.h>), which Glibc does not export to Swift.
    static let setPipeSize: CInt = 1031
    static let getPipeSize: CInt = 1032

    @Test func onlyPipesBelowTheSizeAreRaised() throws {
        let scratch = try TemporaryFolder()
        let file = open(try scratch.write("plain", ""), O_WRONLY | O_CLOEXEC)
        defer { close(file) }
        var small: [CInt] = [-1, -1]
        var large: [CInt] = [-1, -1]
        try #require(pipe(&small) == 0 && pipe(&large) == 0)
        defer { for fd in small + large { close(fd) } }
        // A pipe already larger than asked stays as it is, never lowered.
        try #require(fcntl(large[1], Self.setPipeSize, 1 << 20) == 1 << 20)
        let raised = ProcessHygiene.widenOutputPipes([file, small[1], large[1]], to: 1 << 18)
        #expect(raised == [small[1]])
        #expect(fcntl(small[0], Self.getPipeSize) == 1 << 18)
        #expect(fcntl(large[0], Self.getPipeSize) == 1 << 20)
    }
    #endif
}
