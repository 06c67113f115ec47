import Foundation
import Synchronization
import Testing
@testable import FlowrunCore

@Suite struct StateStoreTests {
    final class Warnings: Sendable {
        let list = Mutex<[DiagnosticMessage]>([])
        var all: [DiagnosticMessage] { list.withLock { $0 } }
        var handler: @Sendable (DiagnosticMessage) -> Void { { message in self.list.withLock { $0.append(message) } } }
    }

    func open(_ dir: StateScratch, _ warnings: Warnings, writable: Bool = true) -> StateDirectory {
        StateDirectory(path: dir.path + "/.flowrun", workflow: "ci", source: dir.path + "/ci.yaml",
                       options: .init(writable: writable, onWarning: warnings.handler))
    }

    static let fingerprint = Fingerprint(FingerprintInput(action: ["run", "x"], workingDirectory: "/"))

    func summary(_ id: String) -> RunSummary {
        RunSummary(runID: id, startedAt: WallTime(seconds: 1_700_000_000, nanoseconds: 5), duration: .milliseconds(1500),
                   status: "succeeded", exitCode: 0, counts: ["succeeded": 2])
    }

    @Test func aRecordSurvivesReopeningAndTheFolderIsIgnoredByGit() throws {
        let dir = try StateScratch()
        let warnings = Warnings()
        let record = TaskRecord(task: "build/compile", fingerprint: Self.fingerprint, runID: "ab", finishedAt: 1, result: "ok\n\"x\"", outputs: ["tag": "v1"])
        open(dir, warnings).recordSuccess(record)
        #expect(open(dir, warnings).lastSuccess(of: "build/compile") == record)
        #expect(dir.read(".flowrun/.gitignore") == "*\n")
        #expect(warnings.all.isEmpty)
        let mode = try FileManager.default.attributesOfItem(atPath: dir.path + "/.flowrun/tasks/ci/build/compile.json")[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func finishedRunsAreKeptUpToTheLimitAndTheLastRunIsRemembered() throws {
        let dir = try StateScratch()
        let warnings = Warnings()
        for n in 0..<5 {
            let store = StateDirectory(path: dir.path + "/.flowrun", workflow: "ci", source: "/ci.yaml",
                                       options: .init(keptRuns: 3, onWarning: warnings.handler))
            store.finishRun(summary("0\(n)"), jsonReport: "{\"tasks\": [{\"stage\": \"a\", \"name\": \"b\", \"result\": \"r\(n)\"}]}\n", textReport: "text \(n)\n",
                            tasks: ["a/b": LastRunTask(fingerprint: Self.fingerprint, result: "r\(n)", outputs: ["o": "1"])])
        }
        let store = open(dir, warnings)
        #expect(store.lastRun() == ["a/b": LastRunTask(fingerprint: Self.fingerprint, result: "r4", outputs: ["o": "1"])])
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path + "/.flowrun/runs").sorted()
        #expect(names == ["02.json", "02.tasks.json", "02.txt", "03.json", "03.tasks.json", "03.txt", "04.json", "04.tasks.json", "04.txt"])
        #expect(dir.read(".flowrun/runs/04.txt") == "text 4\n")
        #expect(warnings.all.isEmpty)
    }

    /// A run of a huge workflow writes tens of MB of reports: the kept runs
    /// are also capped in bytes, oldest first, and the newest always stays.
    @Test func keptRunsAreCappedInBytesOldestFirst() throws {
        let dir = try StateScratch()
        let warnings = Warnings()
        let text = String(repeating: "x", count: 1000)
        for n in 0..<5 {
            let store = StateDirectory(path: dir.path + "/.flowrun", workflow: "ci", source: "/ci.yaml",
                                       options: .init(keptRuns: 100, keptRunBytes: 2500, onWarning: warnings.handler))
            store.finishRun(summary("0\(n)"), jsonReport: "{\"tasks\": [{\"stage\": \"a\", \"name\": \"b\", \"result\": \"r\(n)\"}]}\n", textReport: text,
                            tasks: ["a/b": LastRunTask(fingerprint: Self.fingerprint, result: "r\(n)")])
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path + "/.flowrun/runs").sorted()
        // Each run takes a little over 1,000 bytes: two fit under 2,500.
        #expect(names == ["03.json", "03.tasks.json", "03.txt", "04.json", "04.tasks.json", "04.txt"])
        #expect(open(dir, warnings).lastRun() == ["a/b": LastRunTask(fingerprint: Self.fingerprint, result: "r4")])
        // Over the cap by itself, the newest run is still kept.
        let store = StateDirectory(path: dir.path + "/.flowrun", workflow: "ci", source: "/ci.yaml",
                                   options: .init(keptRunBytes: 10, onWarning: warnings.handler))
        store.finishRun(summary("05"), jsonReport: "{\"tasks\": []}\n", textReport: text,
                        tasks: ["a/b": LastRunTask(fingerprint: Self.fingerprint, result: "r5")])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path + "/.flowrun/runs").sorted() == ["05.json", "05.tasks.json", "05.txt"])
        #expect(warnings.all.isEmpty)
    }

    /// A run's summary records what its reports take, so the cap in bytes reads no file;
    /// a record from before that has its runs measured on disk.
    @Test(arguments: [true, false])
    func theCapInBytesUsesTheRecordedSizes(recorded: Bool) throws {
        let dir = try StateScratch()
        let warnings = Warnings()
        let text = String(repeating: "x", count: 1000)
        func finish(_ id: String, cap: Int) {
            StateDirectory(path: dir.path + "/.flowrun", workflow: "ci", source: "/ci.yaml",
                           options: .init(keptRunBytes: cap, onWarning: warnings.handler))
                .finishRun(summary(id), jsonReport: "{\"tasks\": []}\n", textReport: text,
                           tasks: ["a/b": LastRunTask(fingerprint: Self.fingerprint, result: id)])
        }
        finish("01", cap: 1 << 20)
        finish("02", cap: 1 << 20)
        let record = try #require(dir.read(".flowrun/workflows/ci.json"))
        #expect(record.components(separatedBy: "\"bytes\": ").count == 3)
        if !recorded { try dir.write(".flowrun/workflows/ci.json", record.replacingOccurrences(of: #", "bytes": \d+"#, with: "", options: .regularExpression)) }
        // Emptied on disk: only the recorded sizes still count 01's 1,000 bytes.
        for ext in ["json", "txt", "tasks.json"] { try dir.write(".flowrun/runs/01.\(ext)", "") }
        finish("03", cap: 2500)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path + "/.flowrun/runs").sorted()
        #expect(names.contains("01.txt") == !recorded)
        #expect(names.contains("02.txt") && names.contains("03.txt"))
        #expect(warnings.all.isEmpty)
    }

    @Test(arguments: ["garbage", "half"])
    func aCorruptFileIsMovedAsideAndTreatedAsAbsent(_ damage: String) throws {
        let dir = try StateScratch()
        let warnings = Warnings()
        let record = TaskRecord(task: "build/compile", fingerprint: Self.fingerprint, runID: "ab", finishedAt: 1, result: "ok")
        let store = open(dir, warnings)
        store.recordSuccess(record)
        try dir.write("src.c", "int x;")
        _ = store.fileDigests.digest(of: dir.path + "/src.c", status: try #require(FileStatus.of(dir.path + "/src.c")))
        store.finishRun(summary("01"), jsonReport: "{\"tasks\": [{\"stage\": \"build\", \"name\": \"compile\", \"result\": null}]}", textReport: "t", tasks: ["build/compile": LastRunTask(fingerprint: Self.fingerprint, result: "x")])
        #expect(open(dir, warnings).lastRun().count == 1)
        for file in ["tasks/ci/build/compile.json", "workflows/ci.json", "files.tsv", "runs/01.tasks.json"] {
            let path = dir.path + "/.flowrun/" + file
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            let damaged = damage == "garbage" ? Data("\u{0}\u{1}garbage{".utf8) : bytes.prefix(bytes.count / 2)
            try damaged.write(to: URL(fileURLWithPath: path))
        }
        let reopened = open(dir, warnings)
        #expect(reopened.lastSuccess(of: "build/compile") == nil)
        #expect(reopened.lastRun().isEmpty)
        let corrupt = warnings.all.filter { if case .stateFileCorrupt(_, let moved) = $0 { moved != nil } else { false } }
        #expect(corrupt.count == 3, "\(warnings.all)")
        // With the workflow record gone, the last run's task file is not even looked for; alone it is caught too.
        let store2 = open(dir, warnings)
        store2.finishRun(summary("02"), jsonReport: "{\"tasks\": [{\"stage\": \"build\", \"name\": \"compile\", \"result\": \"x\"}]}", textReport: "t", tasks: ["build/compile": LastRunTask(fingerprint: Self.fingerprint, result: "x")])
        try Data("{\"format\": 1, \"tasks\": [".utf8).write(to: URL(fileURLWithPath: dir.path + "/.flowrun/runs/02.tasks.json"))
        #expect(open(dir, warnings).lastRun().isEmpty)
        #expect(FileManager.default.fileExists(atPath: dir.path + "/.flowrun/runs/02.tasks.json") == false)
        let moved = try FileManager.default.contentsOfDirectory(atPath: dir.path + "/.flowrun/tasks/ci/build")
        #expect(moved.contains { $0.hasPrefix("compile.json.corrupt-") })
        // The next write works.
        reopened.recordSuccess(record)
        #expect(open(dir, warnings).lastSuccess(of: "build/compile") == record)
    }

    @Test func anotherFormatIsIgnoredWithAWarningAndLeftInPlace() throws {
        let dir = try StateScratch()
        let warnings = Warnings()
        try dir.write(".flowrun/tasks/ci/build/compile.json", "{\"format\": 99, \"task\": \"build/compile\"}")
        #expect(open(dir, warnings).lastSuccess(of: "build/compile") == nil)
        #expect(warnings.all.contains { if case .stateFormatUnsupported(_, "99", StateFormat.version) = $0 { true } else { false } })
        #expect(dir.read(".flowrun/tasks/ci/build/compile.json") != nil)
    }

    @Test func readOnlyUseCreatesNothing() throws {
        let dir = try StateScratch()
        let warnings = Warnings()
        let store = open(dir, warnings, writable: false)
        #expect(store.lastSuccess(of: "a/b") == nil)
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/.flowrun"))
    }

    @Test func aFolderThatCannotBeCreatedIsAWarningAndNothingIsKept() throws {
        let dir = try StateScratch()
        try dir.write("file", "x")
        let warnings = Warnings()
        let store = StateDirectory(path: dir.path + "/file/.flowrun", workflow: "ci", source: "/ci.yaml",
                                   options: .init(onWarning: warnings.handler))
        store.recordSuccess(TaskRecord(task: "a/b", fingerprint: Self.fingerprint, runID: "1", finishedAt: 1, result: nil))
        #expect(warnings.all.count == 1)
        if case .stateFolderUnwritable = warnings.all.first {} else { Issue.record("\(warnings.all)") }
    }

    @Test func namesCannotLeaveTheFolder() {
        #expect(StateLayout.component("..") == "%2E.")
        #expect(StateLayout.component("a/b") == "a%2Fb")
        #expect(StateLayout.component("lint.v2") == "lint.v2")
        #expect(StateLayout(root: "/s").task(workflow: "ci", task: "../x") == "/s/tasks/ci/%2E./x.json")
    }

    @Test func theLockSaysSoWhenItWaits() throws {
        let dir = try StateScratch()
        let path = dir.path + "/lock"
        let first = try #require(StateLock(path: path))
        let second = try #require(StateLock(path: path))
        let said = Mutex(false)
        first.withLock(onWait: {}) {
            // flock locks belong to open file descriptions: the second one waits, like another process.
            let holder = Thread {
                second.withLock(patience: .milliseconds(50), onWait: { said.withLock { $0 = true } }) {}
            }
            holder.start()
            Thread.sleep(forTimeInterval: 0.3)
        }
        // After release the waiter gets the lock; wait for it to finish.
        var waited = 0
        while !said.withLock({ $0 }) && waited < 100 { Thread.sleep(forTimeInterval: 0.02); waited += 1 }
        #expect(said.withLock { $0 })
    }
}

@Suite struct FileDigestsTests {
    @Test func aFileIsReadOnceAndAnOldHashIsReusedUnlessRacy() throws {
        let dir = try StateScratch()
        try dir.write("a", "hello")
        let path = dir.path + "/a"
        let status = try #require(FileStatus.of(path))
        let second = status.modified / 1_000_000_000
        // Hashed in the same second as the file's mtime: racy, so not trusted next time.
        let racy = FileDigests(now: { second })
        let digest = try #require(racy.digest(of: path, status: status))
        #expect(digest == SHA256Stream.digest(Array("hello".utf8)))
        _ = racy.digest(of: path, status: status)
        #expect(racy.statistics.filesHashed == 1)
        let again = FileDigests(stored: racy.entries, now: { second + 5 })
        _ = again.digest(of: path, status: status)
        #expect(again.statistics.filesHashed == 1 && again.statistics.filesReused == 0)
        // Hashed a second later: trusted while size, inode, mtime and ctime stay.
        let later = FileDigests(stored: again.entries, now: { second + 6 })
        #expect(later.digest(of: path, status: status) == digest)
        #expect(later.statistics.filesHashed == 0 && later.statistics.filesReused == 1)
        var changed = status
        changed.modified += 1
        #expect(later.digest(of: path, status: changed) == digest)
        #expect(later.statistics.filesHashed == 1)
    }
}

@Suite struct TargetSelectionTests {
    let text = """
        stages:
          - name: prep
            tasks:
              - {name: version, run: echo 1}
              - {name: other, run: echo 2}
          - name: build
            tasks:
              - {name: app, run: "echo ${{ stages.prep.tasks.version.result }}"}
              - {name: docs, run: echo d}
          - name: ship
            tasks:
              - name: upload
                run: echo up
                env: {V: "${{ stages.build.tasks.app.result }}"}
        """

    func names(_ targets: [String]) throws -> [String] {
        let (plan, _) = try plan(text)
        let selected = try TargetSelection.select(targets, in: plan).get()
        return plan.stages.flatMap(\.tasks).filter { selected.contains($0.id) }.map(\.qualifiedName)
    }

    @Test func applyingNoTargetsSelectsEveryTaskAndTargetsTheirOnes() throws {
        let (plan, _) = try plan(text)
        let narrowed = try TargetSelection.apply(["build/docs"], to: plan).get()
        #expect(narrowed.stages.flatMap(\.tasks).filter(\.selected).map(\.qualifiedName) == ["build/docs"])
        let all = try TargetSelection.apply([], to: narrowed).get()
        #expect(all.stages.flatMap(\.tasks).allSatisfy { $0.selected })
        #expect(all.taskCount == 5)
    }

    @Test func aTargetBringsWhatItReferencesTransitively() throws {
        #expect(try names(["ship/upload"]) == ["prep/version", "build/app", "ship/upload"])
        #expect(try names(["build"]) == ["prep/version", "build/app", "build/docs"])
        #expect(try names(["prep/other", "build/docs"]) == ["prep/other", "build/docs"])
        #expect(try names([]).count == 5)
    }

    /// Outputs, a matrix task's `results` and steps reference tasks too;
    /// `STAGE/MATRIXTASK` selects every instance.
    @Test func outputsResultsStepsAndMatrixTasksAreFollowed() throws {
        let (plan, _) = try plan("""
            stages:
              - name: a
                tasks:
                  - {name: v, outputs: [tag], run: echo}
                  - {name: m, matrix: {os: [x, y]}, run: "echo ${{ matrix.os }}"}
                  - {name: other, run: echo}
              - name: b
                tasks:
                  - name: use
                    steps:
                      - run: "echo ${{ stages.a.tasks.v.outputs.tag }}"
                  - {name: all, run: "echo ${{ stages.a.tasks.m.results }}"}
            """)
        func names(_ targets: [String]) throws -> [String] {
            let selected = try TargetSelection.select(targets, in: plan).get()
            return plan.stages.flatMap(\.tasks).filter { selected.contains($0.id) }.map(\.qualifiedName)
        }
        #expect(try names(["b/use"]) == ["a/v", "b/use"])
        #expect(try names(["b/all"]) == ["a/m-x", "a/m-y", "b/all"])
        #expect(try names(["a/m"]) == ["a/m-x", "a/m-y"])
        #expect(TargetSelection.names(of: plan).contains("a/m"))
    }

    @Test func anUnknownTargetHasAHint() throws {
        let (plan, _) = try plan(text)
        guard case .failure(let diagnostic) = TargetSelection.select(["biuld/app"], in: plan) else {
            Issue.record("must fail")
            return
        }
        #expect(diagnostic.message.text.hasSuffix("did you mean `build/app`?"))
    }

    @Test func temporaryFilesAreToldByTheirMarkerAnywhereInTheName() {
        for name in ["seed.json.tmp-123", ".tmp-", "a.tmp-b.json", "runs.tmp-9"] { #expect(StateDirectory.isTemporary(name), "\(name)") }
        for name in ["seed.json", "", ".tmp", "tmp-1", "a.tmp_1", "a.TMP-1", ".tm"] { #expect(!StateDirectory.isTemporary(name), "\(name)") }
    }
}
