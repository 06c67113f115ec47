import Foundation
import Testing
@testable import FlowrunCore

/// Direct exec of plain commands (issue 12.3): which commands qualify, and a
/// differential corpus run both ways with the same stdout, stderr and status.
@Suite("Direct exec") struct ExecutionDirectExecTests {
    @Test(arguments: [
        ("/bin/true", ["/bin/true"]),
        ("ls  -l\t/tmp", ["ls", "-l", "/tmp"]),
        ("make -j4 CC=clang all", ["make", "-j4", "CC=clang", "all"]),
        ("git log --format=%H -n1", ["git", "log", "--format=%H", "-n1"]),
    ])
    func plainCommandsAreWords(command: String, words: [String]) {
        #expect(DirectExec.words(of: command) == words)
    }

    @Test(arguments: [
        "echo hi", "true", "cd /tmp", "if", "exec ls", ". ./x", "[ -f x ]", "A=1 env", "ls $HOME", "ls ~",
        "ls *.c", "ls a?", "ls [ab]", "a | b", "a; b", "a && b", "a &", "a > f", "a < f", "`a`", "ls 'x'",
        "ls \"x\"", "ls a\\ b", "ls # c", "(ls)", "{ ls; }", "ls\nls", "", "   ", "ls !x",
    ])
    func shellSyntaxNeedsTheShell(command: String) {
        #expect(DirectExec.words(of: command) == nil, "\(command)")
    }

    @Test func neverForAnExplicitShellAnotherShellOrASecret() {
        let mask = SecretMask(["hunter2"])
        let sh = NamedShell.defaultArguments
        #expect(DirectExec.arguments(command: "ls /tmp", shell: sh, shellIsExplicit: false, mask: mask) == ["ls", "/tmp"])
        #expect(DirectExec.arguments(command: "ls /tmp", shell: sh, shellIsExplicit: true, mask: mask) == nil)
        #expect(DirectExec.arguments(command: "ls /tmp", shell: NamedShell.bash.arguments, shellIsExplicit: false, mask: mask) == nil)
        #expect(DirectExec.arguments(command: "deploy --token hunter2", shell: sh, shellIsExplicit: false, mask: mask) == nil)
    }

    /// Each command of the corpus, through `sh -e -c` and directly.
    @Test func differentialCorpus() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("flowrun-direct-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // Executable without `#!`: execve refuses it (ENOEXEC) and the shell runs it as a script.
        let noShebang = folder.appendingPathComponent("no-shebang").path
        try "echo from-script $#\n".write(toFile: noShebang, atomically: true, encoding: .utf8)
        chmod(noShebang, 0o755)
        let notExecutable = folder.appendingPathComponent("plain-file").path
        try "data\n".write(toFile: notExecutable, atomically: true, encoding: .utf8)
        let corpus = [
            "/bin/true", "/bin/false", "ls /nonexistent-flowrun-dir", "env", "/bin/pwd", "seq 3",
            "flowrun-no-such-command a b", "/nonexistent/flowrun-prog", notExecutable, "\(noShebang) a b",
            "expr 1 + 2", "expr 1 / 0", "cat /dev/null", "/usr/bin/printf %s-%s a b", "head -c 5 /etc/passwd",
            "sleep 0", "perl -MPOSIX -eabort", "sh -c exit", "ls -d .",
        ]
        for command in corpus {
            let direct = try await outcome(of: command, directExec: true, in: folder.path)
            let viaShell = try await outcome(of: command, directExec: false, in: folder.path)
            #expect(direct.termination == viaShell.termination, "\(command)")
            if command == "env" {
                // dash rebuilds the environment in its own hash order: same set, other order.
                #expect(direct.stdout.split(separator: "\n").sorted() == viaShell.stdout.split(separator: "\n").sorted())
            } else {
                #expect(direct.stdout == viaShell.stdout, "\(command)")
            }
            #expect(direct.stderr == viaShell.stderr, "\(command)")
        }
    }

    private func outcome(of command: String, directExec: Bool, in directory: String) async throws -> ProcessOutcome {
        let runner = LocalTaskRunner(processes: ProcessRunner(registry: ProcessGroupRegistry()), directExec: directExec)
        var attempt = TaskAttempt(
            id: TaskID(stage: 0, task: 0), workflowName: "w", stageName: "s", taskName: "t", runID: "direct-exec-test",
            shell: NamedShell.defaultArguments, command: command, workingDirectory: directory, keepsStderr: true)
        attempt.shellIsExplicit = false
        let request = runner.request(for: attempt)
        if directExec, let words = DirectExec.words(of: command) {
            #expect(request.arguments == words)
        } else {
            #expect(request.arguments == NamedShell.defaultArguments + [command])
        }
        return await runner.run(attempt, onLines: { _, _ in })
    }
}
