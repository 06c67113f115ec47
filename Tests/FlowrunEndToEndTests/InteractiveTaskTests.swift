import Foundation
import FlowrunTestSupport
import Testing

/// `interactive: true` under a pseudo-terminal (python3's pty module): the
/// task reads a line typed into the terminal, and the tasks of its stage run
/// before and after it, never beside it.
@Suite(.enabled(if: FlowrunBinary.path != nil, "needs the built flowrun"))
struct InteractiveTaskTests {
    static let driver = #"""
        import os, pty, sys, time, select
        pid, fd = pty.fork()
        if pid == 0:
            os.execv(sys.argv[1], [sys.argv[1], "run", sys.argv[2], "--no-progress", "--color", "never"])
        out, sent, deadline = b"", False, time.time() + 30
        while time.time() < deadline:
            r, _, _ = select.select([fd], [], [], 0.1)
            if r:
                try:
                    data = os.read(fd, 4096)
                except OSError:
                    break
                if not data:
                    break
                out += data
            if not sent and b"PROMPT" in out:
                os.write(fd, b"yes\n")
                sent = True
        _, status = os.waitpid(pid, 0)
        sys.stdout.write(out.decode(errors="replace"))
        sys.exit(os.waitstatus_to_exitcode(status))
        """#

    @Test func anInteractiveTaskReadsALineTypedIntoTheTerminal() throws {
        let dir = NSTemporaryDirectory() + "flowrun-interactive-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try """
            stages:
              - name: ask
                tasks:
                  - {name: before, run: "echo before > order"}
                  - name: confirm
                    interactive: true
                    run: 'echo PROMPT; read -r answer; echo "got [$answer]"; echo confirm >> order; test "$answer" = yes'
                  - {name: after, run: "echo after >> order"}
            """.write(toFile: dir + "/w.yaml", atomically: true, encoding: .utf8)
        try Self.driver.write(toFile: dir + "/drive.py", atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", dir + "/drive.py", try #require(FlowrunBinary.path), dir + "/w.yaml"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(output)")
        #expect(output.contains("got [yes]"), "\(output)")
        // Alone in its stage: what comes before it has ended, what comes after waits.
        let order = try String(contentsOfFile: dir + "/order", encoding: .utf8)
        #expect(order == "before\nconfirm\nafter\n")
    }

    /// An interactive task gets fds 0-2 only, like every task: not a descriptor
    /// flowrun itself inherited without close-on-exec (here 7, opened by the
    /// shell that starts flowrun). Without a terminal, so stdin is /dev/null.
    @Test func anInteractiveTaskSeesNoDescriptorFlowrunInherited() async throws {
        let output = try await CLI.program("/bin/sh", ["-c", "exec 7</dev/null; exec \"$0\" run w.yaml --output quiet", try FlowrunBinary.require()])
            .file("w.yaml", """
                stages:
                  - name: s
                    tasks:
                      - name: t
                        interactive: true
                        run: 'for fd in 3 4 5 6 7 8 9; do [ -e /proc/$$/fd/$fd ] && echo "open $fd"; done; echo checked'
                """)
            .run()
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("checked"), "\(output.stdout)")
        #expect(!output.stdout.contains("open "), "\(output.stdout)")
    }
}
