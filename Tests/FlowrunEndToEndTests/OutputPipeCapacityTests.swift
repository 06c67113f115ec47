#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FlowrunTestSupport
import Testing

/// flowrun's own stdout, when it is a pipe (`flowrun run … | tee log`), is
/// raised to 1 MiB like the tasks' pipes, so that flowrun and the reader do
/// not take turns on every 64 KiB of task output (issue 12, B7).
@Suite struct OutputPipeCapacityTests {
    #if os(Linux)
    // F_SETPIPE_SZ and F_GETPIPE_SZ (<linux/fcntl.h>), which Glibc does not export to Swift.
    static let setPipeSize: CInt = 1031
    static let getPipeSize: CInt = 1032

    @Test func aRunRaisesItsStdoutPipeAndStillDeliversEveryLine() async throws {
        let scratch = try TemporaryFolder()
        let file = try scratch.write("w.yaml", """
            stages:
              - name: s
                tasks:
                  - name: t
                    run: seq 1 3
            """)
        var fds: [CInt] = [-1, -1]
        try #require(pipe(&fds) == 0)
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        defer { close(fds[0]) }
        let before = fcntl(fds[0], Self.getPipeSize)
        try #require(before < 1 << 20, "the system's default pipe is already 1 MiB: nothing to test")
        let run = try Launched(["run", file, "--output", "prefixed"], in: scratch, stdout: .descriptor(fds[1]))
        close(fds[1])
        var text: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(fds[0], &buffer, buffer.count)
            if count <= 0 { break }
            text += buffer[..<count]
        }
        let ending = try #require(await run.wait())
        #expect(ending.status == 0, "\(ending)")
        #expect(fcntl(fds[0], Self.getPipeSize) == 1 << 20)
        let lines = String(decoding: text, as: UTF8.self).split(separator: "\n")
        #expect(Array(lines.prefix(3)) == ["[s/t] 1", "[s/t] 2", "[s/t] 3"], "\(lines)")
    }
    #endif
}
