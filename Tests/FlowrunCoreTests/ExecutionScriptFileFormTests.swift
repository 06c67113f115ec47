import Foundation
import Testing
@testable import FlowrunCore

/// The script through fd 3 (issue 16.1): which shells take it, when it is
/// used, and a differential corpus run in the file form and the `-c` form.
@Suite("Script file form") struct ExecutionScriptFileFormTests {
    @Test func knownShellsEndingInDashCTakeTheFileForm() throws {
        let sh = try #require(ScriptFileForm.arguments(shell: NamedShell.sh.arguments, command: "echo hi"))
        #expect(sh.arguments == ["sh", "-e", "-c", ". /dev/fd/3", "sh"])
        #expect(String(decoding: sh.script, as: UTF8.self) == "exec 3<&-; echo hi")
        let bash = try #require(ScriptFileForm.arguments(shell: NamedShell.bash.arguments, command: "echo hi"))
        #expect(bash.arguments == NamedShell.bash.arguments + [ScriptFileForm.bashReader, "bash"])
        #expect(String(decoding: bash.script, as: UTF8.self) == "echo hi")
        let dash = try #require(ScriptFileForm.arguments(shell: ["/bin/dash", "-c"], command: "x"))
        #expect(dash.arguments == ["/bin/dash", "-c", ". /dev/fd/3", "/bin/dash"])
        for shell in [["python3", "-c"], ["sh", "-c", "-x"], ["bash"], ["zsh", "-c"], ["-c"], ["sh", "-e"]] {
            #expect(ScriptFileForm.arguments(shell: shell, command: "x") == nil, "\(shell)")
            #expect(!ScriptFileForm.accepts(shell), "\(shell)")
        }
    }

    @Test func usedForASecretOrALongScript() {
        let mask = SecretMask(["hunter2"])
        guard ScriptFileForm.mode == .needed else { return }
        #expect(ScriptFileForm.isUsed(for: "deploy --token hunter2", mask: mask))
        #expect(!ScriptFileForm.isUsed(for: "deploy --token \"$TOKEN\"", mask: mask))
        #expect(!ScriptFileForm.isUsed(for: "echo hi", mask: SecretMask([])))
        #expect(ScriptFileForm.isUsed(for: String(repeating: "x", count: ScriptFileForm.longScript + 1), mask: SecretMask([])))
    }

    @Test func theRunnerPutsASecretCommandOnFd3() {
        let runner = LocalTaskRunner(processes: ProcessRunner(registry: ProcessGroupRegistry()))
        var attempt = TaskAttempt(
            id: TaskID(stage: 0, task: 0), workflowName: "w", stageName: "s", taskName: "t", runID: "r",
            shell: NamedShell.defaultArguments, command: "deploy --token hunter2", mask: SecretMask(["hunter2"]))
        var request = runner.request(for: attempt)
        #expect(request.arguments == ["sh", "-e", "-c", ". /dev/fd/3", "sh"])
        #expect(request.shellFallback == nil)
        #expect(request.script.map { String(decoding: $0, as: UTF8.self) } == "exec 3<&-; deploy --token hunter2")
        attempt.shell = ["python3", "-c"]
        request = runner.request(for: attempt)
        #expect(request.arguments == ["python3", "-c", "deploy --token hunter2"], "a shell that cannot take the file keeps -c")
        #expect(request.script == nil)
    }

    /// Scripts whose stdout, stderr and status must match between the forms.
    static let corpus = [
        "echo hi", "echo one\nfoo\necho three", "echo a; false; echo b", "exit 7", "kill -TERM $$",
        "set -u\necho \"$nope\"", "echo 1\nif then\necho 2", "echo $0", "(exit 3)", "return 4", "echo 1\nreturn 4\necho 2",
        "f() { return 5; }; f", "echo 'a\nb'; foo2", "trap 'echo trapped $?' EXIT; false", "read x; echo \"read=$x\"",
        "echo err >&2; exit 1", "sleep 0.01 & wait; echo $?", "echo 'unterminated", "x=$(foo3); echo $?", "cd /nonexist",
        "set -- a b; echo $# $@", "echo \"$-\"", "exec 3>&-; echo closed", "sh -c 'kill -KILL $$'; echo after",
        "${x?unset x}", "echo 1\n\n\n)", "printf %s last-no-newline", ";;", ") echo", "#c\nfoo", "", "\n\nfoo",
        "echo \"$LINENO\"; foo", "trap 'ls /proc/self/fd' EXIT", "sh -c 'ls /proc/$$/fd'", "echo x\nsh -c 'kill -SEGV $$'; echo y",
        "cat <<EOF\nhere $0\nEOF\nfoo", "echo a; exec /bin/sh -c 'exit 9'", String(repeating: "echo x\n", count: 3000) + "bad_cmd",
    ]

    /// dash: identical but for the file's name after the line number in the
    /// shell's own messages (a builtin's messages name the builtin, as under -c).
    @Test func shCorpusMatchesTheDashCForm() async throws {
        for script in Self.corpus {
            let (viaC, viaFile) = try await bothForms(NamedShell.sh.arguments, script)
            #expect(viaFile.termination == viaC.termination, "\(script)")
            #expect(viaFile.stdout == viaC.stdout, "\(script)")
            // Each line is the -c form's, or (a message not from a builtin) that line naming the file.
            let cLines = viaC.stderr.split(separator: "\n", omittingEmptySubsequences: false)
            let fileLines = viaFile.stderr.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(fileLines.count == cLines.count, "\(script)")
            for (file, c) in zip(fileLines, cLines) {
                #expect(file == c || file == Self.namingTheFile(c), "\(script): \(file) for \(c)")
            }
            #expect(fileLines != cLines || !viaC.stderr.contains(" not found"), "a shell message names the file: \(script)")
        }
    }

    /// bash: identical but `eval` for `-c` in syntax errors; a last command
    /// killed by a signal is left out (bash's -c execs it in its own place).
    @Test func bashCorpusMatchesTheBashCForm() async throws {
        // bash's report of a killed child holds its pid, different on each run.
        for script in Self.corpus where !script.contains("kill -SEGV") && !script.contains("kill -KILL") {
            let (viaC, viaFile) = try await bothForms(NamedShell.bash.arguments, script)
            #expect(viaFile.termination == viaC.termination, "\(script)")
            #expect(viaFile.stdout == viaC.stdout, "\(script)")
            #expect(viaFile.stderr == viaC.stderr.replacingOccurrences(of: "bash: -c: line", with: "bash: eval: line"), "\(script)")
        }
    }

    @Test func theDescriptorIsSealedAndNamedNowhere() throws {
        let fd = LocalSpawn.scriptDescriptor(Array("echo hi".utf8))
        #expect(fd >= 0)
        defer { close(fd) }
        #if os(Linux)
        var byte: UInt8 = 0x41
        if ScriptFileForm.mode != .tempFile { #expect(write(fd, &byte, 1) == -1, "a sealed memfd refuses writes") }
        #endif
        #expect(fcntl(fd, F_GETFD) & FD_CLOEXEC != 0)
        var buffer = [UInt8](repeating: 0, count: 16)
        #expect(read(fd, &buffer, 16) == 7)
        #if os(Linux)
        let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(fd)")) ?? ""
        if ScriptFileForm.mode != .tempFile { #expect(target.hasPrefix("/memfd:flowrun-script"), "\(target)") }
        #endif
    }

    /// `sh: 2: foo` → `sh: 2: /dev/fd/3: foo`: what dash's `.` adds to its own messages.
    static func namingTheFile(_ line: Substring) -> String {
        let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "sh", Int(parts[1].dropFirst()) != nil else { return String(line) }
        return "sh:\(parts[1]): /dev/fd/3:\(parts[2])"
    }

    private func bothForms(_ shell: [String], _ script: String) async throws -> (ProcessOutcome, ProcessOutcome) {
        let runner = ProcessRunner(registry: ProcessGroupRegistry())
        let viaC = await runner.run(ProcessRequest(arguments: shell + [script], stdoutCaptureLimit: 1 << 20, stderrCaptureLimit: 1 << 20)) { _, _ in }
        let form = try #require(ScriptFileForm.arguments(shell: shell, command: script))
        var request = ProcessRequest(arguments: form.arguments, stdoutCaptureLimit: 1 << 20, stderrCaptureLimit: 1 << 20)
        request.script = form.script
        let viaFile = await runner.run(request) { _, _ in }
        return (viaC, viaFile)
    }
}
