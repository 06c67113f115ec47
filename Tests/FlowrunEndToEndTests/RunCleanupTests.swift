import Foundation
import FlowrunTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Clean-up stages after an interrupt (issue 10.3): `always()` and
/// `cancelled()` stages run after the first SIGINT or SIGTERM, a second
/// interrupt ends them, and the exit status stays the signal's.
@Suite(.serialized)
struct RunCleanupTests {
    /// A long task, a plain stage the interrupt skips, and `CLEANUP` as the clean-up stage's task.
    static func workflow(cleanup: String, condition: String = "always()") -> String {
        """
        version: 1
        stages:
          - name: work
            tasks:
              - {name: long, run: "touch ready; sleep 30"}
          - name: after
            tasks: [touch never]
          - name: stop
            if: \(condition)
            tasks:
              - {name: clean, run: "\(cleanup)"}
          - name: report
            if: failure()
            tasks: [touch reported]
        """
    }

    static func launch(_ yaml: String, in folder: TemporaryFolder, _ extra: String...) throws -> Launched {
        try CLI(arguments: ["w.yaml", "--no-progress"] + extra).file("w.yaml", yaml).launch(in: folder)
    }

    @Test(arguments: [(SIGINT, Int32(130), "always()"), (SIGTERM, Int32(143), "cancelled()")])
    func theFirstSignalEndsTheStageAndTheCleanUpStageRuns(signal: Int32, status: Int32, condition: String) async throws {
        let folder = try TemporaryFolder()
        let run = try Self.launch(Self.workflow(cleanup: "touch cleaned; echo stopped", condition: condition), in: folder,
                                  "--report", "report.json", "--junit", "junit.xml")
        #expect(await eventually { folder.exists("ready") })
        run.signal(signal)
        let ending = try #require(await run.wait())
        #expect(ending.status == status, "\(ending)\n\(run.stderr)")
        #expect(folder.exists("cleaned"), "the clean-up stage did not run: \(run.stdout)\n\(run.stderr)")
        #expect(!folder.exists("never") && !folder.exists("reported"), "only the clean-up stage runs after an interrupt")
        #expect(run.stderr.contains("flowrun: clean-up stage stop runs; interrupt again to end it\n"), "\(run.stderr)")
        #expect(run.stdout.contains("  long   cancelled"), "\(run.stdout)")
        #expect(run.stdout.contains("  clean  succeeded"), "\(run.stdout)")
        #expect(run.stdout.contains(
            "interrupted: running tasks were cancelled, the rest skipped, but the clean-up stage ran: stop\n"), "\(run.stdout)")
        #expect(run.stdout.contains("result: (None, None, 'stopped', None)"), "\(run.stdout)")

        let report = try #require(try JSONSerialization.jsonObject(with: Data(folder.read("report.json").utf8)) as? [String: Any])
        #expect(report["interrupted"] as? Bool == true)
        let tasks = try #require(report["tasks"] as? [[String: Any]])
        let states = tasks.map { "\($0["stage"]!)/\($0["name"]!) \($0["state"]!) \($0["reason"]!)" }
        #expect(states == ["work/long cancelled <null>", "after/1 skipped <null>", "stop/clean succeeded <null>",
                           "report/1 skipped <null>"], "\(states)")
        let junit = folder.read("junit.xml")
        #expect(junit.contains("name=\"clean\"") && !junit.contains("name=\"clean\" time=\"0.000\">\n      <skipped"), "\(junit)")
    }

    /// A failing clean-up is reported; the status stays the interrupt's.
    @Test func aFailingCleanUpStageKeepsTheInterruptStatus() async throws {
        let folder = try TemporaryFolder()
        let run = try Self.launch(Self.workflow(cleanup: "touch cleaned; exit 3"), in: folder)
        #expect(await eventually { folder.exists("ready") })
        run.signal(SIGINT)
        let ending = try #require(await run.wait())
        #expect(ending.status == 130, "\(ending)\n\(run.stdout)")
        #expect(folder.exists("cleaned"))
        #expect(run.stdout.contains("  clean  failed (exit 3)"), "\(run.stdout)")
        #expect(run.stdout.contains("first failure: stop/clean failed (exit 3)"), "\(run.stdout)")
        #expect(!folder.exists("reported"), "a failed clean-up does not start failure() stages after an interrupt")
    }

    /// The second SIGINT kills the clean-up at once (not after the 20 s grace), its children too.
    @Test func aSecondInterruptEndsTheCleanUpWithNoOrphan() async throws {
        let folder = try TemporaryFolder()
        let run = try Self.launch(
            Self.workflow(cleanup: "sleep 30 & echo $! > orphan; touch cleaning; wait"), in: folder, "--kill-grace", "20s")
        #expect(await eventually { folder.exists("ready") })
        run.signal(SIGINT)
        #expect(await eventually { folder.exists("cleaning") && run.stderr.contains("clean-up stage stop runs") })
        let pressed = ContinuousClock.now
        run.signal(SIGINT)
        let ending = try #require(await run.wait())
        #expect(ending.status == 130, "\(ending)\n\(run.stderr)")
        #expect(ContinuousClock.now - pressed < .seconds(10), "the second interrupt waited for the grace")
        let orphan = try #require(pid_t(folder.read("orphan").trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(kill(orphan, 0) != 0 && errno == ESRCH, "the clean-up's child was left running")
        #expect(run.descendants.isEmpty, "\(run.descendants)")
        #expect(run.stdout.contains("  clean  cancelled"), "\(run.stdout)")
    }

    /// A second interrupt before the clean-up started: it does not start.
    @Test func aSecondInterruptDuringTheGraceSkipsTheCleanUp() async throws {
        let folder = try TemporaryFolder()
        let yaml = Self.workflow(cleanup: "touch cleaned").replacingOccurrences(
            of: "touch ready; sleep 30", with: "trap 'sleep 30' TERM; touch ready; while :; do sleep 0.05; done")
        let run = try Self.launch(yaml, in: folder, "--kill-grace", "20s")
        #expect(await eventually { folder.exists("ready") })
        run.signal(SIGINT)
        #expect(await eventually { run.stderr.contains("flowrun: stopping:") })
        run.signal(SIGINT)
        let ending = try #require(await run.wait())
        #expect(ending.status == 130, "\(ending)\n\(run.stderr)")
        #expect(!folder.exists("cleaned"), "\(run.stdout)")
        #expect(run.stdout.contains("stage stop: skipped"), "\(run.stdout)")
    }
}
