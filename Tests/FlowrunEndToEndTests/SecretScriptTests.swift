import Foundation
import FlowrunTestSupport
import Testing

/// Issue 16.1 as a user sees it: a secret in a command is on no process's
/// command line while the task runs, the task's children see only fds 0–2,
/// and no file is left behind by a run, a timeout, or a SIGKILL of flowrun.
@Suite(.enabled(if: Descendants.canInspect, "needs /proc"))
struct SecretScriptTests {
    static let commandSecret = "cmdline-secret-5150"
    static let environmentSecret = "env-secret-8086"

    /// Tasks that say they started by creating `READY/NAME`, then sleep.
    static func workflow(ready: String, sleep: String = "3") -> String {
        """
        vars: {token: \(commandSecret)}
        env: {API_KEY: \(environmentSecret)}
        secrets: [token, API_KEY]
        stages:
          - name: s
            tasks:
              - name: cmd
                run: |
                  echo token=${{ vars.token }}
                  touch \(ready)/cmd; sleep \(sleep)
              - name: env
                run: sh -c 'echo "key=$API_KEY"; touch \(ready)/env; sleep \(sleep)'
              - name: bash
                shell: bash
                run: echo bash=${{ vars.token }}; touch \(ready)/bash; sleep \(sleep)
        """
    }

    @Test func noSecretOnAnyCommandLineWhileTheTasksSleep() async throws {
        let scratch = try TemporaryFolder()
        let ready = scratch.file("ready")
        try FileManager.default.createDirectory(atPath: ready, withIntermediateDirectories: true)
        let file = try scratch.write("w.yaml", Self.workflow(ready: ready))
        let run = try Launched(["run", file, "--jobs", "4", "--output", "prefixed"], in: scratch)
        let started = await eventually(within: .seconds(20)) {
            ["cmd", "env", "bash"].allSatisfy { FileManager.default.fileExists(atPath: ready + "/" + $0) }
        }
        #expect(started, "the three tasks run: \(run.stderr)")
        for secret in [Self.commandSecret, Self.environmentSecret] {
            let holders = Descendants.find(commandLine: secret)
            #expect(holders.isEmpty, "on a command line: \(holders)")
        }
        let ending = try #require(await run.wait(atMost: .seconds(30)))
        #expect(ending.status == 0, "\(ending)\n\(run.stderr)")
        for line in ["[s/cmd] token=***", "[s/env] key=***", "[s/bash] bash=***"] {
            #expect(run.stdout.contains(line), "\(run.stdout)")
        }
    }

    @Test(arguments: ["sh", "bash"])
    func theTasksChildrenSeeOnlyStdio(shell: String) async throws {
        let output = try await CLI("run", "w.yaml", "--output", "prefixed")
            .file("w.yaml", """
                vars: {token: \(Self.commandSecret)}
                secrets: [token]
                stages:
                  - name: s
                    tasks:
                      - name: fds
                        shell: \(shell)
                        run: |
                          : ${{ vars.token }}
                          sh -c 'ls /proc/$$/fd' | tr '\\n' ' '; ls /proc/self/fd | tr '\\n' ' '; echo "$0"
                """)
            .run()
        #expect(output.status == 0, "\(output.stderr)")
        // A child shell's table, then ls's own (3 is the directory it reads), then $0.
        #expect(output.stdout.contains("[s/fds] 0 1 2 0 1 2 3 \(shell)\n"), "\(output.stdout)")
    }

    /// With the temporary-file fallback forced: the file is unlinked before
    /// the task starts, so neither the end of a run, a timeout nor a SIGKILL
    /// of flowrun can leave it in `TMPDIR`.
    @Test(arguments: ["run", "timeout", "SIGKILL"])
    func noTemporaryFileRemains(ending how: String) async throws {
        let scratch = try TemporaryFolder()
        let ready = scratch.file("ready")
        let temporary = scratch.file("tmp")
        for folder in [ready, temporary] { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        var text = Self.workflow(ready: ready, sleep: how == "run" ? "2" : "30")
        if how == "timeout" { text = text.replacingOccurrences(of: "secrets: [token, API_KEY]\n", with: "secrets: [token, API_KEY]\ndefaults: {timeout: 2s}\n") }
        let file = try scratch.write("w.yaml", text)
        let run = try Launched(
            ["run", file, "--jobs", "4", "--output", "quiet"], in: scratch,
            extraEnvironment: ["FLOWRUN_SCRIPT_FD": "tempfile", "TMPDIR": temporary])
        let started = await eventually(within: .seconds(20)) {
            ["cmd", "bash"].allSatisfy { FileManager.default.fileExists(atPath: ready + "/" + $0) }
        }
        #expect(started, "\(run.stderr)")
        // Neither the script files nor the tasks' output files have a name there.
        #expect(try Self.files(in: temporary).isEmpty, "nothing named while the tasks run")
        // The sh task's shell reads its script from such a file, already deleted.
        let shells = run.descendants.filter { $0.commandLine.contains(". /dev/fd/3") }
        let targets = shells.flatMap { shell in
            ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(shell.pid)/fd")) ?? []).compactMap {
                try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(shell.pid)/fd/\($0)")
            }
        }
        #expect(targets.contains { $0.hasPrefix(temporary + "/flowrun-script-") && $0.hasSuffix("(deleted)") }, "\(shells) \(targets)")
        if how == "SIGKILL" {
            let orphans = run.descendants
            run.signal(SIGKILL)
            _ = await run.wait()
            for process in orphans { kill(process.pid, SIGKILL) }
        } else {
            let ending = try #require(await run.wait(atMost: .seconds(30)))
            #expect(ending.status == (how == "run" ? 0 : 1), "\(ending)\n\(run.stderr)")
        }
        #expect(try Self.files(in: temporary).isEmpty)
    }

    /// What `TMPDIR` holds by name: the script files of `flowrun_script_descriptor`
    /// and each attempt's `FLOWRUN_OUTPUT` file are unlinked while still in use.
    static func files(in folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder)
    }
}
