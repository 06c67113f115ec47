import Foundation
import Testing
@testable import FlowrunCore

/// The run reports a state folder keeps are streamed into their files: the
/// bytes must be those the String renderers give, and the files stay atomic.
@Suite struct StateReportStreamingTests {
    @Test func aWriterGivesTheBytesOfItsPiecesAndTouchesTheTargetOnlyAtCommit() throws {
        let dir = try StateScratch()
        try dir.write("out.txt", "old\n")
        var writer = AtomicFileWriter(path: dir.path + "/out.txt", mode: 0o600)
        // Small pieces, one larger than the buffer, and pieces that end exactly at its edge.
        let pieces = ["a", String(repeating: "é", count: 40_000), String(repeating: "b", count: AtomicFileWriter.bufferSize - 1), "c", "",
                      String(repeating: "d", count: 3 * AtomicFileWriter.bufferSize + 7), "end\n"]
        for piece in pieces { writer.write(piece) }
        #expect(dir.read("out.txt") == "old\n")
        #expect(writer.byteCount == pieces.reduce(0) { $0 + $1.utf8.count })
        #expect(writer.commit() == nil)
        #expect(dir.read("out.txt") == pieces.joined())
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(names == ["out.txt"])
        let mode = try FileManager.default.attributesOfItem(atPath: dir.path + "/out.txt")[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func aWriterThatCannotOpenItsFileSaysSoAndCreatesNothing() throws {
        let dir = try StateScratch()
        var writer = AtomicFileWriter(path: dir.path + "/missing/out.txt")
        writer.write("text")
        #expect(writer.commit() != nil)
        #expect(FileManager.default.fileExists(atPath: dir.path + "/missing") == false)
    }

    @Test func writersCommittedTogetherAllLandInTheirFoldersWithTheirModes() throws {
        let dir = try StateScratch()
        try FileManager.default.createDirectory(atPath: dir.path + "/runs", withIntermediateDirectories: true)
        try dir.write("runs/a.json", "old a\n")
        var writers = [
            AtomicFileWriter(path: dir.path + "/runs/a.json", mode: 0o600),
            AtomicFileWriter(path: dir.path + "/runs/b.txt", mode: 0o600),
            AtomicFileWriter(path: dir.path + "/record.json"),
        ]
        for index in writers.indices { writers[index].write("file \(index)\n") }
        #expect(AtomicFileWriter.commit(&writers) == nil)
        #expect(dir.read("runs/a.json") == "file 0\n")
        #expect(dir.read("runs/b.txt") == "file 1\n")
        #expect(dir.read("record.json") == "file 2\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path + "/runs").sorted() == ["a.json", "b.txt"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["record.json", "runs"])
        let mode = try FileManager.default.attributesOfItem(atPath: dir.path + "/runs/b.txt")[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func whenOneWriterOfAGroupFailsNoTargetChangesAndNoTemporaryFileStays() throws {
        let dir = try StateScratch()
        try dir.write("a.json", "old a\n")
        var writers = [
            AtomicFileWriter(path: dir.path + "/a.json"),
            AtomicFileWriter(path: dir.path + "/missing/b.txt"),
            AtomicFileWriter(path: dir.path + "/c.json"),
        ]
        for index in writers.indices { writers[index].write("new \(index)\n") }
        #expect(AtomicFileWriter.commit(&writers) != nil)
        #expect(dir.read("a.json") == "old a\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["a.json"])
    }

    @Test func aFinishedRunsReportsAreTheRenderedOnesByteForByte() throws {
        let dir = try StateScratch()
        let (plan, run) = Self.bigRun(tasks: 3000)
        var succeeded: [String: LastRunTask] = [:]
        let fingerprint = Fingerprint(FingerprintInput(action: ["sleep", "1"], workingDirectory: "/"))
        for task in run.tasks { succeeded[task.qualifiedName] = LastRunTask(fingerprint: fingerprint, result: task.result, outputs: ["k": "v"]) }
        let store = StateDirectory(path: dir.path + "/.flowrun", workflow: "big", source: "/big.yaml", options: .init())
        let summary = RunSummary(runID: "0a1b", startedAt: WallTime(seconds: 1_700_000_000, nanoseconds: 0), duration: .seconds(2),
                                 status: "failed", exitCode: 1, counts: ["succeeded": 2999, "failed": 1])
        store.finishRun(summary, reports: KeptReports(
            json: { JSONReport.write(plan: plan, run: run, exitStatus: .taskFailed, to: &$0) },
            text: { RunReport.write(run, to: &$0) }), tasks: succeeded)
        let json = JSONReport.render(plan: plan, run: run, exitStatus: .taskFailed)
        #expect(json.utf8.count > 4 * AtomicFileWriter.bufferSize)
        #expect(dir.read(".flowrun/runs/0a1b.json") == json)
        #expect(dir.read(".flowrun/runs/0a1b.txt") == RunReport.render(run))
        #expect(dir.read(".flowrun/runs/0a1b.tasks.json") == LastRunFile.json(succeeded))
        // What `--resume` reads back from the streamed files.
        let reopened = StateDirectory(path: dir.path + "/.flowrun", workflow: "big", source: "/big.yaml", options: .init())
        #expect(reopened.lastRun() == succeeded)
    }

    @Test func aStreamedJSONStringIsTheQuotedOne() {
        let values = ["", "plain", "s/1", "quote \" and \\", "line\nbreak\ttab", "\u{1B}[31m", "\u{7F}", "\u{85}c1", "é ü 日本",
                      "\u{202E}bidi", "\u{2026}ellipsis", "\u{2028}sep", "emoji 🙂", String(repeating: "x", count: 70_000)]
        for value in values {
            var out = ""
            JSONText.write(value, to: &out)
            #expect(out == JSONText.quoted(value), "\(value.prefix(20))")
        }
    }

    /// One stage of `count` tasks with results that need escaping; the last one failed.
    static func bigRun(tasks count: Int) -> (Plan, RunResult) {
        var planned: [PlannedTask] = []
        var results: [TaskResult] = []
        for index in 0..<count {
            let name = "t\(index)"
            planned.append(PlannedTask(id: TaskID(stage: 0, task: index), stageName: "s", name: name, action: .sleep(.seconds(1))))
            let failed = index == count - 1
            var result = TaskResult(
                id: TaskID(stage: 0, task: index), stageName: "s", name: name, state: failed ? .failed(exitCode: 3) : .succeeded,
                attempts: 1, started: .milliseconds(index), finished: .milliseconds(index + 1000),
                result: failed ? nil : "value \"\(index)\"\n\u{1B}", stderrTail: failed ? ["boom"] : [],
                attemptSpans: [AttemptSpan(attempt: 1, started: .milliseconds(index), finished: .milliseconds(index + 1000),
                                           state: failed ? .failed(exitCode: 3) : .succeeded)],
                queued: .milliseconds(index))
            result.outputs = index % 7 == 0 ? [TaskOutput(name: "k", value: "v\(index)")] : []
            results.append(result)
        }
        let plan = Plan(workflowName: "big", sourcePath: "big.yaml", stages: [PlannedStage(index: 0, name: "s", tasks: planned)])
        let run = RunResult(
            workflowName: "big", runID: "0a1b", startedAt: WallTime(seconds: 1_700_000_000, nanoseconds: 0), wallTime: .seconds(2),
            stages: [StageResult(index: 0, name: "s", started: .zero, finished: .seconds(2))], tasks: results, interrupted: false)
        return (plan, run)
    }
}
