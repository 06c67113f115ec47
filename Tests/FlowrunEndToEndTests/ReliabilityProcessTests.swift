import Foundation
import FlowrunTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Reliability {
    /// Issue 6, process and signal cases 1–18, against the built binary.
    ///
    /// Every case checks that no process carrying the run's marker variable is
    /// left (scanned in `/proc/*/environ`, so Linux only). Grace periods are
    /// short (`--kill-grace 300ms`); waits poll for a condition with a deadline.
    /// The long versions (100 MB streams, 200 interrupts, 500 tasks) are in
    /// `scripts/reliability/run.sh`.
    @Suite(.enabled(if: Descendants.canInspect, "needs /proc to find leftover processes"))
    struct ProcessTests {
        static let grace = "300ms"
        static let sleepers = "sh -c 'sleep 100 & sleep 100 & wait'"

        /// A finished task, then 8 tasks that each leave two background sleeps.
        static func interruptible(taskCount: Int = 8) -> String {
            var text = """
                stages:
                  - name: first
                    tasks:
                      - name: quick
                        run: echo quick
                  - name: work
                    tasks:

                """
            for index in 1...taskCount {
                text += "      - name: t\(index)\n"
                text += "        run: sh -c 'sleep 100 & sleep 100 & touch ready.\(index); wait'\n"
            }
            return text
        }

        private func expectNoLeftovers(_ run: Launched, sourceLocation: SourceLocation = #_sourceLocation) async {
            let left = await Descendants.awaitNone(marker: run.marker)
            #expect(left.isEmpty, "processes outlived flowrun: \(left)", sourceLocation: sourceLocation)
        }

        /// Waits until the 8 tasks of `interruptible` run and their 16 sleeps exist.
        private func awaitSleepers(_ run: Launched, _ scratch: TemporaryFolder, count: Int = 8) async -> Bool {
            await eventually {
                scratch.count(prefix: "ready.") == count
                    && run.descendants.filter { $0.commandLine.hasPrefix("sleep 100") }.count == 2 * count
            }
        }

        // MARK: 1–3

        struct Interrupt: CustomTestStringConvertible, Sendable {
            var signal: CInt
            var toGroup: Bool
            var status: Int32
            var testDescription: String { "signal \(signal) to \(toGroup ? "group" : "pid") → \(status)" }
        }

        @Test("1–3: SIGINT to the group or the pid, SIGTERM to the pid: exit 130/143 within grace + 1 s, partial report",
              arguments: [
                  Interrupt(signal: SIGINT, toGroup: true, status: 130),
                  Interrupt(signal: SIGINT, toGroup: false, status: 130),
                  Interrupt(signal: SIGTERM, toGroup: false, status: 143),
              ])
        func interrupt(_ interrupt: Interrupt) async throws {
            let scratch = try TemporaryFolder()
            let file = try scratch.write("w.yaml", Self.interruptible())
            let run = try Launched(["run", file, "--kill-grace", Self.grace], in: scratch)
            #expect(await awaitSleepers(run, scratch), "tasks did not start: \(run.stderr)")
            let sent = ContinuousClock.now
            if interrupt.toGroup { run.signalGroup(interrupt.signal) } else { run.signal(interrupt.signal) }
            let ending = try #require(await run.wait())
            #expect(ending.status == interrupt.status, "\(ending)\n\(run.stderr)")
            #expect(ContinuousClock.now - sent < .milliseconds(1300), "\(ending)")
            let report = run.stdout
            #expect(report.split(separator: "\n").contains { $0.contains("quick") && $0.contains("succeeded") }, "\(report)")
            #expect(report.split(separator: "\n").filter { $0.hasPrefix("  t") && $0.contains("cancelled") }.count == 8,
                    "\(report)")
            #expect(report.contains("interrupted"), "\(report)")
            await expectNoLeftovers(run)
        }

        // MARK: 4

        @Test("4: SIGHUP with the terminal closed → 129, no error about writing")
        func hangupWithClosedTerminal() async throws {
            let (master, terminal) = try #require(PseudoTerminal.open())
            let scratch = try TemporaryFolder()
            let file = try scratch.write("w.yaml", Self.interruptible(taskCount: 4))
            let run = try Launched(["run", file, "--kill-grace", Self.grace], in: scratch, stdout: .descriptor(terminal))
            close(terminal)
            // Keep the terminal drained while the tasks start, as a terminal emulator would.
            let drained = await eventually {
                var buffer = [UInt8](repeating: 0, count: 4096)
                var poller = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
                while poll(&poller, 1, 0) > 0, read(master, &buffer, buffer.count) > 0 {}
                return scratch.count(prefix: "ready.") == 4
            }
            #expect(drained)
            close(master)  // the terminal is gone: writes to it now fail with EIO
            run.signal(SIGHUP)
            let ending = try #require(await run.wait())
            #expect(ending.status == 129, "\(ending)\n\(run.stderr)")
            #expect(ending.elapsed < .seconds(5))
            let errors = run.stderr
            #expect(!errors.lowercased().contains("error"), "\(errors)")
            await expectNoLeftovers(run)
        }

        // MARK: 5

        @Test("5: a second SIGINT during the grace period kills everything within 0.5 s")
        func secondInterrupt() async throws {
            let scratch = try TemporaryFolder()
            // Each task survives SIGTERM (the trap notes it), so only SIGKILL ends it.
            let file = try scratch.write("w.yaml", WorkflowText.stage("stubborn", runs: (1...4).map {
                "trap 'touch term.\($0)' TERM; touch ready.\($0); while :; do sleep 0.05; done"
            }))
            let run = try Launched(["run", file, "--kill-grace", "30s"], in: scratch)
            #expect(await eventually { scratch.count(prefix: "ready.") == 4 })
            run.signal(SIGINT)
            #expect(await eventually { scratch.count(prefix: "term.") == 4 }, "SIGTERM did not reach the tasks")
            let second = ContinuousClock.now
            run.signal(SIGINT)
            let ending = try #require(await run.wait())
            #expect(ending.status == 130, "\(ending)")
            #expect(ContinuousClock.now - second < .milliseconds(500), "\(ContinuousClock.now - second)")
            await expectNoLeftovers(run)
        }

        // MARK: 6

        @Test("6: timeout on a task that ignores TERM and INT: dead at 1 s + grace (±0.5 s), timed out")
        func timeoutOfAStubbornTask() async throws {
            let scratch = try TemporaryFolder()
            let file = try scratch.write("w.yaml", WorkflowText.stage("s", tasks: """
                - name: stubborn
                  timeout: 1s
                  run: trap '' TERM INT; sleep 100 & sleep 100
                """))
            let run = try Launched(["run", file, "--kill-grace", Self.grace, "--format", "json"], in: scratch)
            let ending = try #require(await run.wait())
            #expect(ending.status == 1, "\(ending)")
            let report = try #require(JSONRun(run.stdout), "\(run.stdout)")
            let task = try #require(report.task("stubborn"))
            #expect(task["state"] as? String == "timed-out")
            let duration = try #require(task["duration"] as? Double)
            #expect(abs(duration - 1.3) <= 0.5, "took \(duration) s")
            #expect(abs(ending.elapsed.inSeconds - 1.3) <= 0.5, "\(ending)")
            await expectNoLeftovers(run)
        }

        // MARK: 7

        @Test("7: `setsid sleep 100 &` is ended (subreaper), reported as escaped, and nothing hangs")
        func escapeWithSetsid() async throws {
            let scratch = try TemporaryFolder()
            // A process that also scrubs its environment cannot be found by the
            // marker; its unique argument finds it instead.
            let unique = "977.\(Int.random(in: 100...999))"
            let file = try scratch.write("w.yaml", """
                stages:
                  - name: s
                    tasks:
                      - name: escaper
                        run: setsid sleep 100 & sleep 0.2; echo started
                      - name: scrubbed
                        run: env -i setsid sleep \(unique) > /dev/null 2>&1 & sleep 0.2
                      - name: double-fork
                        run: (setsid sh -c 'sleep 100 & sleep 100' &) ; sleep 0.2

                """)
            let run = try Launched(["run", file, "--kill-grace", Self.grace, "--format", "json"], in: scratch)
            let ending = try #require(await run.wait(atMost: .seconds(10)))
            #expect(ending.status == 0, "\(ending)\n\(run.stderr)")
            #expect(ending.elapsed < .seconds(2), "\(ending)")
            let report = try #require(JSONRun(run.stdout), "\(run.stdout)")
            #expect(report.task("escaper")?["result"] as? String == "started")
            #expect(report.task("escaper")?["escapedDescendant"] as? Bool == true)
            await expectNoLeftovers(run)
            let scrubbed = await Descendants.awaitNone(commandLine: "sleep \(unique)")
            #expect(scrubbed.isEmpty, "\(scrubbed)")
        }

        @Test("7: escapees are ended at their task's end also while other tasks are being spawned")
        func escapeAmidSpawns() async throws {
            let scratch = try TemporaryFolder()
            var text = "stages:\n  - name: s\n    tasks:\n"
            for index in 0..<40 {
                text += "      - \"true\"\n"
                if index % 8 == 0 {
                    text += "      - name: escaper\(index)\n        run: setsid sleep 100 & sleep 0.1; echo started\n"
                }
            }
            let file = try scratch.write("w.yaml", text)
            let run = try Launched(["run", file, "--jobs", "8", "--output", "quiet", "--format", "json"], in: scratch)
            let ending = try #require(await run.wait())
            #expect(ending.status == 0, "\(ending)")
            let report = try #require(JSONRun(run.stdout))
            let escapers = report.tasks.filter { ($0["name"] as? String)?.hasPrefix("escaper") == true }
            #expect(escapers.count == 5)
            for task in escapers {
                #expect(task["escapedDescendant"] as? Bool == true, "\(task)")
                // Ended with the task, not after the 1 s limit on draining its pipes.
                #expect((task["duration"] as? Double ?? 9) < 0.8, "\(task)")
            }
            await expectNoLeftovers(run)
        }

        // MARK: 8

        @Test("8: tasks start with an empty signal mask and no ignored signals")
        func cleanSignalState() async throws {
            let scratch = try TemporaryFolder()
            // exec: the task's own process reports (a shell's mask changes while it waits for a child).
            let command = "exec grep -E '^Sig(Blk|Ign)' /proc/self/status"
            let file = try scratch.write("w.yaml", WorkflowText.stage("s", runs: Array(repeating: command, count: 8)))
            let run = try Launched(["run", file], in: scratch)
            let ending = try #require(await run.wait())
            #expect(ending.status == 0, "\(ending)")
            let lines = run.stdout.split(separator: "\n").filter { $0.hasPrefix("[s/") }
            #expect(lines.count == 16, "\(run.stdout)")
            for line in lines { #expect(line.hasSuffix("\t0000000000000000"), "\(line)") }
        }

        // MARK: 9

        @Test("9: `sh -c 'sleep 100 & exit 0'` ends at once, its group is killed, no hang on the open pipe")
        func lingeringBackgroundProcess() async throws {
            let scratch = try TemporaryFolder()
            let file = try scratch.write("w.yaml", """
                stages:
                  - name: s
                    tasks:
                      - name: linger
                        run: sh -c 'sleep 100 & exit 0'

                """)
            let run = try Launched(["run", file, "--kill-grace", Self.grace, "--format", "json"], in: scratch)
            let ending = try #require(await run.wait())
            #expect(ending.status == 0, "\(ending)")
            #expect(ending.elapsed < .milliseconds(900), "\(ending)")
            let report = try #require(JSONRun(run.stdout))
            #expect(report.task("linger")?["state"] as? String == "succeeded")
            #expect(report.task("linger")?["escapedDescendant"] as? Bool == false)
            await expectNoLeftovers(run)
        }

        // MARK: 10

        @Test("10: fail-fast with 7 siblings holding grandchildren: all gone within the grace, later stages skipped")
        func failFastTree() async throws {
            let scratch = try TemporaryFolder()
            var text = "stages:\n  - name: work\n    tasks:\n"
            for index in 1...7 {
                text += "      - name: s\(index)\n"
                text += "        run: sh -c 'sleep 100 & sleep 100 & touch ready.\(index); wait'\n"
            }
            text += """
                      - name: culprit
                        run: |
                          while [ "$(ls | grep -c '^ready')" -lt 7 ]; do sleep 0.01; done
                          echo root cause here >&2
                          exit 3
                  - name: later
                    tasks:
                      - run: touch canary

                """
            let file = try scratch.write("w.yaml", text)
            let run = try Launched(["run", file, "--kill-grace", Self.grace, "--report", scratch.file("report.json")], in: scratch)
            let ending = try #require(await run.wait())
            #expect(ending.status == 1, "\(ending)")
            #expect(ending.elapsed < .seconds(3), "\(ending)")
            #expect(!scratch.exists("canary"))
            let report = try #require(JSONRun(scratch.read("report.json")))
            #expect(report.object["firstFailure"] as? String == "work/culprit")
            #expect(report.task("culprit")?["exitCode"] as? Int == 3)
            for index in 1...7 { #expect(report.task("s\(index)")?["state"] as? String == "cancelled") }
            #expect(report.tasks.last?["state"] as? String == "skipped")
            let text1 = run.stdout
            let failure = try #require(text1.range(of: "first failure: "))
            #expect(text1[failure.upperBound...].hasPrefix("work/culprit failed (exit 3)"), "\(text1)")
            #expect(text1.contains("| root cause here"), "\(text1)")
            await expectNoLeftovers(run)
        }

        // MARK: 11

        @Test("11: retries after a timeout start only when the previous attempt's tree is dead")
        func retriesAfterTimeout() async throws {
            let scratch = try TemporaryFolder()
            try scratch.write("tree.sh", """
                # First, so that a slow start under load cannot hide an attempt.
                echo attempt >> attempts
                # Records any process of an earlier attempt that is still alive
                # (zombies are dead). Its status is read once: a zombie reaped
                # between two looks has no status left, and is dead too.
                if [ -f pids ]; then
                  while read p; do
                    state=$(sed -n 's/^State:[[:space:]]*//p' /proc/$p/status 2>/dev/null)
                    case $state in
                      ''|Z*|X*) ;;
                      *) echo "$p $state" >> alive-at-start ;;
                    esac
                  done < pids
                fi
                trap '' TERM
                echo $$ >> pids
                sleep 100 &
                echo $! >> pids
                sh -c 'trap "" TERM; echo $$ >> pids; sleep 100 & echo $! >> pids; wait' &
                echo $! >> pids
                wait

                """)
            let file = try scratch.write("w.yaml", """
                stages:
                  - name: s
                    tasks:
                      - name: flaky
                        timeout: 500ms
                        retries: 2
                        run: sh tree.sh

                """)
            let run = try Launched(["run", file, "--kill-grace", Self.grace, "--format", "json"], in: scratch)
            let ending = try #require(await run.wait())
            #expect(ending.status == 1, "\(ending)")
            let report = try #require(JSONRun(run.stdout))
            #expect(report.task("flaky")?["state"] as? String == "timed-out")
            #expect(report.task("flaky")?["attempts"] as? Int == 3)
            #expect(scratch.read("attempts").split(separator: "\n").count == 3)
            #expect(!scratch.exists("alive-at-start"), "left alive: \(scratch.read("alive-at-start"))")
            await expectNoLeftovers(run)
        }

        // MARK: 12 (short; 100 MB in scripts/reliability/run.sh)

        @Test("12: 20 MB on stdout and stderr at once, and one 20 MB line: no deadlock, RSS ≤ 50 MB")
        func largeStreams() async throws {
            let scratch = try TemporaryFolder()
            let file = try scratch.write("w.yaml", WorkflowText.stage("s", tasks: """
                - name: both
                  run: |
                    (head -c 20000000 /dev/zero | tr '\\0' e | fold -w 199 >&2) &
                    head -c 20000000 /dev/zero | tr '\\0' o | fold -w 199
                    wait
                - name: one-line
                  run: head -c 20000000 /dev/zero | tr '\\0' x
                """))
            let run = try Launched(["run", file, "--report", scratch.file("report.json")], in: scratch, stdout: .devNull)
            let ending = try #require(await run.wait(atMost: .seconds(30)))
            #expect(ending.status == 0, "\(ending)\n\(run.stderr.prefix(500))")
            #expect(ending.maxRSS <= 50 << 20, "peak RSS \(ending.maxRSS >> 20) MB")
            let report = try #require(JSONRun(scratch.read("report.json")))
            #expect(report.tasks.allSatisfy { $0["state"] as? String == "succeeded" })
        }

        // MARK: 13

        @Test("13: 8 tasks × 10,000 lines of 200 characters, prefixed: every line intact, prefixed once, in order")
        func prefixedLinesIntact() async throws {
            let scratch = try TemporaryFolder()
            var text = "stages:\n  - name: s\n    tasks:\n"
            for task in 1...8 {
                text += """
                          - name: t\(task)
                            run: |
                              awk 'BEGIN { pad = sprintf("%0191d", 0); for (i = 0; i < 10000; i++) printf "t\(task) %05d %s\\n", i, pad }'

                    """
            }
            let file = try scratch.write("w.yaml", text)
            let run = try Launched(["run", file, "--output", "prefixed"], in: scratch)
            let ending = try #require(await run.wait(atMost: .seconds(30)))
            #expect(ending.status == 0, "\(ending)")
            let pad = String(repeating: "0", count: 191)
            var next = [Int](repeating: 0, count: 9)
            var bad: [Substring] = []
            for line in run.stdout.split(separator: "\n", omittingEmptySubsequences: false) where line.hasPrefix("[") {
                // "[s/tN] tN 00042 000…"
                guard line.count == 7 + 200, let task = Int(line.dropFirst(4).prefix(1)), (1...8).contains(task) else {
                    bad.append(line.prefix(80)); continue
                }
                let expected = "[s/t\(task)] t\(task) \(String(format: "%05d", next[task])) \(pad)"
                if line == expected { next[task] += 1 } else { bad.append(line.prefix(80)) }
            }
            #expect(bad.isEmpty, "\(bad.count) torn or out-of-order lines, first: \(bad.prefix(3))")
            #expect(next.dropFirst().allSatisfy { $0 == 10_000 }, "\(next)")
        }

        // MARK: 14

        @Test("14: `flowrun … | head -1`: children ended, quiet exit")
        func closedStdout() async throws {
            let scratch = try TemporaryFolder()
            let file = try scratch.write("w.yaml", """
                stages:
                  - name: s
                    tasks:
                      - name: chatty
                        run: touch ready.1; while :; do echo line; done
                      - name: sleepers
                        run: sh -c 'sleep 100 & sleep 100 & touch ready.2; wait'

                """)
            var fds: [CInt] = [-1, -1]
            try #require(pipe(&fds) == 0)
            _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
            _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
            let run = try Launched(["run", file, "--kill-grace", Self.grace], in: scratch, stdout: .descriptor(fds[1]))
            close(fds[1])
            #expect(await eventually { scratch.count(prefix: "ready.") == 2 })
            // `head -1`: read one line, then go away.
            var byte: UInt8 = 0
            while read(fds[0], &byte, 1) == 1, byte != UInt8(ascii: "\n") {}
            close(fds[0])
            let closed = ContinuousClock.now
            let ending = try #require(await run.wait())
            #expect(ending.signal == nil, "\(ending)")
            #expect(ContinuousClock.now - closed < .milliseconds(1300), "\(ending)")
            #expect(run.stderr.isEmpty, "\(run.stderr)")
            await expectNoLeftovers(run)
        }

        // MARK: 15

        @Test("15: exit codes 0–255, SIGKILL and SIGSEGV come out exactly in the text report and the JSON")
        func exitStatusFidelity() async throws {
            let scratch = try TemporaryFolder()
            var text = "max-parallel: 16\nstages:\n  - name: s\n    fail-fast: false\n    tasks:\n"
            for code in 0...255 { text += "      - name: e\(code)\n        run: exit \(code)\n" }
            text += "      - name: kill\n        run: kill -KILL $$\n"
            text += "      - name: segv\n        run: kill -SEGV $$\n"
            let file = try scratch.write("w.yaml", text)
            let run = try Launched(["run", file, "--output", "quiet", "--report", scratch.file("report.json")], in: scratch)
            let ending = try #require(await run.wait(atMost: .seconds(40)))
            #expect(ending.status == 1, "\(ending)")
            let report = try #require(JSONRun(scratch.read("report.json")))
            #expect(report.exitCode == 1)
            for code in 0...255 {
                let task = try #require(report.task("e\(code)"))
                #expect(task["exitCode"] as? Int == code, "e\(code): \(task)")
                #expect(task["state"] as? String == (code == 0 ? "succeeded" : "failed"))
            }
            #expect(report.task("kill")?["signal"] as? Int == 9)
            #expect(report.task("segv")?["signal"] as? Int == 11)
            let lines = run.stdout.split(separator: "\n")
            for code in 1...255 {
                #expect(lines.contains { $0.hasPrefix("  e\(code) ") && $0.contains("failed (exit \(code))") }, "e\(code)")
            }
            #expect(lines.contains { $0.contains("kill") && $0.contains("killed by signal 9 (SIGKILL)") })
            #expect(lines.contains { $0.contains("segv") && $0.contains("killed by signal 11 (SIGSEGV)") })
        }

        // MARK: 16 (short; 500 tasks in scripts/reliability/run.sh)

        @Test("16: 100 quick tasks: no zombie, open descriptors of flowrun flat")
        func descriptorsAndZombies() async throws {
            let scratch = try TemporaryFolder()
            let count = 100
            var text = """
                stages:
                  - name: before
                    tasks:
                      - run: touch sample-a; while [ ! -e go-a ]; do sleep 0.01; done
                  - name: many
                    tasks:

                """
            for _ in 1...count { text += "      - run: \"true\"\n" }
            text += """
                  - name: after
                    tasks:
                      - run: touch sample-b; while [ ! -e go-b ]; do sleep 0.01; done

                """
            let file = try scratch.write("w.yaml", text)
            let run = try Launched(["run", file, "--output", "quiet"], in: scratch)
            #expect(await eventually { scratch.exists("sample-a") })
            let before = ProcessCensus(of: run.pid)
            try scratch.write("go-a", "")
            #expect(await eventually(within: .seconds(30)) { scratch.exists("sample-b") })
            let after = ProcessCensus(of: run.pid)
            try scratch.write("go-b", "")
            let ending = try #require(await run.wait())
            #expect(ending.status == 0, "\(ending)\n\(run.stderr)")
            #expect(after.zombies.isEmpty, "zombie children: \(after.zombies)")
            #expect(after.descriptors <= before.descriptors + 2, "fds \(before.descriptors) → \(after.descriptors)")
        }

        // MARK: 17 (short; 200 rounds in scripts/reliability/run.sh)

        @Test("17: SIGINT 0–50 ms after start, 20 times: never an orphan")
        func spawnRace() async throws {
            let scratch = try TemporaryFolder()
            let file = try scratch.write("w.yaml", WorkflowText.stage("s", runs: Array(repeating: Self.sleepers, count: 4)))
            for round in 1...20 {
                let run = try Launched(["run", file, "--kill-grace", Self.grace], in: scratch, stdout: .devNull)
                try await Task.sleep(for: .microseconds(Int.random(in: 0...50_000)))
                run.signal(SIGINT)
                let ending = try #require(await run.wait())
                // Before the trap is installed SIGINT still has its default action; no task exists yet then.
                #expect(ending.status == 130 || ending.signal == SIGINT, "round \(round): \(ending)")
                let left = await Descendants.awaitNone(marker: run.marker)
                #expect(left.isEmpty, "round \(round): \(left)")
            }
        }

        // MARK: 18

        @Test("18: run --dry-run, plan and validate start no process", arguments: [
            ["run", "--dry-run"], ["plan"], ["plan", "--format", "json"], ["plan", "--format", "dot"],
            ["plan", "--format", "mermaid"], ["validate"],
        ])
        func nothingRunsWhenPlanning(_ command: [String]) async throws {
            let scratch = try TemporaryFolder()
            let file = try scratch.write("w.yaml", """
                vars:
                  name: canary
                stages:
                  - name: s
                    tasks:
                      - run: touch ${{ vars.name }}
                      - run: touch canary2
                  - name: t
                    tasks:
                      - run: touch canary3 ${{ stages.s.tasks.1.result }}

                """)
            let run = try Launched([command[0], file] + command.dropFirst(), in: scratch)
            let ending = try #require(await run.wait())
            #expect(ending.status == 0, "\(ending)\n\(run.stderr)")
            #expect(scratch.count(prefix: "canary") == 0)
        }
    }
}

/// Open descriptors and zombie children of a process (Linux `/proc`).
struct ProcessCensus {
    var descriptors = 0
    var zombies: [pid_t] = []

    init(of pid: pid_t) {
        descriptors = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []).count
        for name in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let child = pid_t(name),
                  let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, fields[0] == "Z", pid_t(fields[1]) == pid { zombies.append(child) }
        }
    }
}
