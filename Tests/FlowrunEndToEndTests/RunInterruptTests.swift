import Foundation
import FlowrunTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Interrupts as they come from real tools (issues 9.4 and 9.8): two SIGINTs
/// microseconds apart are one interrupt, and the first says what happens.
@Suite(.serialized)
struct RunInterruptTests {
    /// Two tasks whose TERM trap takes half a second to clean up, then notes that it finished.
    static let workflow = """
        version: 1
        stages:
          - name: s
            tasks:
              - {name: a, run: "trap 'sleep 0.5; touch done.a; exit 0' TERM; touch ready.a; while :; do sleep 0.05; done"}
              - {name: b, run: "trap 'sleep 0.5; touch done.b; exit 0' TERM; touch ready.b; while :; do sleep 0.05; done"}
        """

    static let notice = "flowrun: stopping: SIGTERM sent to 2 tasks; they get 3s; interrupt again to kill them now\n"

    /// coreutils `timeout -s INT` signals flowrun, then its own process group (flowrun included).
    @Test func timeoutSendingIntTwiceKeepsTheGrace() async throws {
        guard CLI.which("timeout") != nil else { return }
        let folder = try TemporaryFolder()
        let output = try await CLI.program("timeout", ["--preserve-status", "-s", "INT", "3", try FlowrunBinary.require(),
                                                       "w.yaml", "--kill-grace", "3s"])
            .in(folder).file("w.yaml", Self.workflow).run()
        #expect(folder.exists("ready.a") && folder.exists("ready.b"), "the tasks did not start within 3 s: \(output)")
        #expect(output.status == 130, "\(output)")
        #expect(folder.exists("done.a") && folder.exists("done.b"), "a TERM trap was cut short: \(output)")
        #expect(output.stderr.contains(Self.notice), "\(output)")
    }

    /// One task, one word: the notice counts what got SIGTERM.
    @Test func theNoticeCountsTheTasksAndNamesTheGrace() async throws {
        let folder = try TemporaryFolder()
        let run = try CLI("w.yaml", "--kill-grace", "250ms", "--format", "json")
            .file("w.yaml", "version: 1\nstages:\n  - name: s\n    tasks:\n      - {name: a, run: touch ready; sleep 30}\n      - {name: nap, sleep: 30}\n")
            .launch(in: folder)
        #expect(await eventually { folder.exists("ready") })
        run.signal(SIGTERM)
        let ending = try #require(await run.wait())
        #expect(ending.status == 143, "\(ending)\n\(run.stderr)")
        #expect(run.stderr.contains(
            "flowrun: stopping: SIGTERM sent to 1 task; they get 250ms; interrupt again to kill them now\n"), "\(run.stderr)")
        #expect(run.stdout.hasPrefix("{"), "stdout keeps its one JSON document")
    }
}
