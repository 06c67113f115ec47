import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The state folder under damage, a read-only disk, concurrent flowruns and a
/// flowrun killed in the middle of a write (issue 11).
@Suite(.enabled(if: ReportCLI.binary != nil, "needs the built flowrun")) struct StateFaultTests {
    typealias Project = StateRunTests.Project

    static let workflow = """
        stages:
          - name: build
            tasks:
              - {name: app, run: "cat src/*.c > app.out; echo built", sources: ["src/*.c"], generates: [app.out]}
          - name: use
            tasks:
              - {name: show, run: "echo got ${{ stages.build.tasks.app.result }}"}
        """

    /// Every file below `.flowrun`, relative, sorted.
    static func stateFiles(_ project: Project) -> [String] {
        let root = project.url.appendingPathComponent(".flowrun").path
        let all = (FileManager.default.enumerator(atPath: root)?.allObjects as? [String]) ?? []
        return all.filter { path in
            var isDirectory: ObjCBool = false
            FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &isDirectory)
            return !isDirectory.boolValue
        }.sorted()
    }

    @Test(arguments: ["garbage", "half"])
    func everyDamagedStateFileIsAWarningMovedAsideAndTheRunGoesOn(_ damage: String) throws {
        let project = try Project(Self.workflow, files: ["src/a.c": "a"])
        #expect(try project.runs().0.status == 0)
        #expect(try project.runs().1["build/app"] == "up-to-date (unchanged)")
        let files = Self.stateFiles(project).filter { $0 != "lock" && $0 != ".gitignore" && !$0.hasPrefix("runs/") || $0.hasSuffix(".tasks.json") }
        #expect(files.contains("files.tsv") && files.contains("tasks/ci/build/app.json") && files.contains("workflows/ci.json"), "\(files)")
        for file in files {
            let url = project.url.appendingPathComponent(".flowrun/" + file)
            let bytes = try Data(contentsOf: url)
            try (damage == "garbage" ? Data("\u{1}\u{0}{[garbage".utf8) : bytes.prefix(bytes.count / 2)).write(to: url)
        }
        let (output, states) = try project.runs()
        #expect(output.status == 0, "\(output.stderr)")
        #expect(states["build/app"] == "succeeded", "damaged state is treated as absent")
        #expect(output.stderr.contains("warning: state file"), "\(output.stderr)")
        let moved = Self.stateFiles(project).filter { $0.contains(".corrupt-") }
        #expect(moved.count >= 3, "moved aside, never deleted: \(moved)")
        // The next run is clean again.
        let (clean, again) = try project.runs()
        #expect(!clean.stderr.contains("warning"), "\(clean.stderr)")
        #expect(again["build/app"] == "up-to-date (unchanged)")
    }

    @Test func aReadOnlyStateFolderIsAWarningAndTheRunGoesOnUncached() throws {
        let project = try Project(Self.workflow, files: ["src/a.c": "a"])
        #expect(try project.runs().0.status == 0)
        let state = project.url.appendingPathComponent(".flowrun").path
        // Root ignores file modes: run flowrun as nobody then, on a folder nobody may not write.
        let asRoot = getuid() == 0
        let (output, states): (ReportCLI.Output, [String: String])
        if asRoot {
            try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: project.url.path)
            try FileManager.default.setAttributes([.posixPermissions: 0o666], ofItemAtPath: project.url.appendingPathComponent("app.out").path)
            let setpriv = try #require(ReportCLI.tool("setpriv"), "running as root needs setpriv to drop to nobody")
            let result = try ReportCLI.run(
                executable: setpriv,
                ["--reuid=65534", "--regid=65534", "--clear-groups", "--", ReportCLI.binary!.path,
                 "run", "ci.yaml", "--output", "quiet"],
                in: project.url, environment: ReportCLI.environment())
            output = result
            states = [:]
        } else {
            try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: state)
            (output, states) = try project.runs()
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: state)
        }
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stderr.contains("warning: cannot write the state folder"), "\(output.stderr)")
        #expect(output.stderr.contains("running without state"), "\(output.stderr)")
        if asRoot {
            #expect(output.stdout.contains("got built"), "\(output.stdout)")
        } else {
            #expect(states["build/app"] == "succeeded")
        }
    }

    @Test func sixConcurrentRunsThenASeventhSeesTheTaskUpToDate() throws {
        let project = try Project(Self.workflow, files: ["src/a.c": "a", "src/b.c": "b"])
        let binary = try #require(ReportCLI.binary)
        var processes: [Process] = []
        for _ in 0..<6 {
            let process = Process()
            process.executableURL = binary
            process.arguments = ["run", "ci.yaml", "--output", "quiet"]
            process.currentDirectoryURL = project.url
            process.environment = ReportCLI.environment()
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            processes.append(process)
        }
        for process in processes { process.waitUntilExit() }
        #expect(processes.allSatisfy { $0.terminationStatus == 0 })
        let (output, states) = try project.runs()
        #expect(output.status == 0, "\(output.stderr)")
        #expect(!output.stderr.contains("warning"), "\(output.stderr)")
        #expect(states["build/app"] == "up-to-date (unchanged)")
        #expect(!Self.stateFiles(project).contains { $0.contains(".tmp-") }, "\(Self.stateFiles(project))")
        let log = try project.run(["log", "ci.yaml", "--format", "json"])
        let runs = try #require((try JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as? [String: Any])?["runs"] as? [Any])
        #expect(runs.count == 7, "every run is in the history: none lost an update")
    }

    @Test func aFlowrunKilledInTheMiddleOfAStateWriteLeavesAStateTheNextRunReads() throws {
        let project = try Project(Self.workflow, files: ["src/a.c": "a"])
        #expect(try project.runs().0.status == 0)
        let binary = try #require(ReportCLI.binary)
        let process = Process()
        process.executableURL = binary
        process.arguments = ["run", "ci.yaml", "--output", "quiet", "--force"]
        process.currentDirectoryURL = project.url
        process.environment = ReportCLI.environment(["FLOWRUN_TEST_STATE_WRITE_PAUSE_MS": "10000"])
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait (bounded) until it is inside a write: its temporary file exists, not yet renamed.
        let deadline = Date().addingTimeInterval(20)
        while !Self.stateFiles(project).contains(where: { $0.contains(".tmp-") }), Date() < deadline, process.isRunning {
            usleep(20_000)
        }
        #expect(Self.stateFiles(project).contains { $0.contains(".tmp-") }, "the hook holds flowrun inside a write")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let (output, states) = try project.runs()
        #expect(output.status == 0, "\(output.stderr)")
        #expect(!output.stderr.contains("warning"), "the old file is whole: \(output.stderr)")
        #expect(states["build/app"] == "up-to-date (unchanged)")
        #expect(!Self.stateFiles(project).contains { $0.contains(".tmp-") }, "the next run removes what the killed one left")
    }

    @Test func waitingForTheLockIsSaidAfterOneSecond() throws {
        let project = try Project(Self.workflow, files: ["src/a.c": "a"])
        #expect(try project.runs().0.status == 0)
        let fd = open(project.url.appendingPathComponent(".flowrun/lock").path, O_RDWR | O_CLOEXEC)
        #expect(fd >= 0)
        defer { close(fd) }
        #expect(flock(fd, LOCK_EX) == 0)
        let errURL = project.url.appendingPathComponent("stderr.txt")
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let process = Process()
        process.executableURL = try #require(ReportCLI.binary)
        process.arguments = ["run", "ci.yaml", "--output", "quiet"]
        process.currentDirectoryURL = project.url
        process.environment = ReportCLI.environment()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: errURL)
        let started = Date()
        try process.run()
        // Hold the lock until flowrun says it waits (bounded), then let it go on.
        func said() -> String { (try? String(contentsOf: errURL, encoding: .utf8)) ?? "" }
        while !said().contains("waiting for another flowrun holding"), Date().timeIntervalSince(started) < 20, process.isRunning {
            usleep(20_000)
        }
        let waited = Date().timeIntervalSince(started)
        flock(fd, LOCK_UN)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(said().contains("waiting for another flowrun holding"), "\(said())")
        #expect(waited >= 1.0, "said only after a second of waiting, not at once")
    }
}
