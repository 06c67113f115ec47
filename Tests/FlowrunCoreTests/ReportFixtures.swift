import Foundation
@testable import FlowrunCore

/// Runs with fixed timings for the reporters' tests (JUnit, trace, timeline, progress).
enum ReportFixture {
    static func ms(_ value: Int) -> Duration { .milliseconds(value) }

    /// The seed workflow as it runs: three stages, each two overlapping sleeps of 3.0 s and 3.5 s.
    static func seedRun() -> RunResult {
        var stages: [StageResult] = []
        var tasks: [TaskResult] = []
        let names = ["concurrent_task", "concurrent_task_result", "coroutine_gather"]
        for (index, name) in names.enumerated() {
            let start = index * 3504
            stages.append(StageResult(index: index, name: name, started: ms(start), finished: ms(start + 3504)))
            for (offset, length) in [3001, 3503].enumerated() {
                let number = index * 2 + offset + 1
                tasks.append(TaskResult(
                    id: TaskID(stage: index, task: offset), stageName: name, name: "\(number)", state: .succeeded,
                    attempts: 1, started: ms(start), finished: ms(start + length), result: "task (\(number)) result",
                    attemptSpans: [AttemptSpan(attempt: 1, started: ms(start), finished: ms(start + length), state: .succeeded)]))
            }
        }
        return RunResult(workflowName: "seed", runID: "0123456789abcdef", startedAt: WallTime(seconds: 1_790_000_000, nanoseconds: 0),
                         wallTime: ms(10_512), stages: stages, tasks: tasks, interrupted: false)
    }

    /// A run with every kind of ending: success, exit status, a retry, a
    /// timeout, a cancellation, a skipped stage; and hostile output.
    static func failingRun() -> RunResult {
        func span(_ attempt: Int, _ from: Int, _ to: Int, _ state: TaskState) -> AttemptSpan {
            AttemptSpan(attempt: attempt, started: ms(from), finished: ms(to), state: state)
        }
        let tasks = [
            TaskResult(id: TaskID(stage: 0, task: 0), stageName: "build", name: "compile", state: .succeeded, attempts: 1,
                       started: ms(0), finished: ms(1200), result: "built", attemptSpans: [span(1, 0, 1200, .succeeded)]),
            TaskResult(id: TaskID(stage: 0, task: 1), stageName: "build", name: "lint", state: .failed(exitCode: 2), attempts: 1,
                       started: ms(0), finished: ms(300), stderrTail: ["bad\u{1}style <here> & \"there\"", "\u{1B}[31mred\u{1B}[0m"],
                       continueOnError: true, attemptSpans: [span(1, 0, 300, .failed(exitCode: 2))]),
            TaskResult(id: TaskID(stage: 0, task: 2), stageName: "build", name: "flaky", state: .succeeded, attempts: 2,
                       started: ms(0), finished: ms(900), result: "ok",
                       attemptSpans: [span(1, 0, 200, .failed(exitCode: 1)), span(2, 500, 900, .succeeded)]),
            TaskResult(id: TaskID(stage: 1, task: 0), stageName: "test", name: "unit", state: .timedOut, attempts: 1,
                       started: ms(1500), finished: ms(2000), stderrTail: ["still running"],
                       attemptSpans: [span(1, 1500, 2000, .timedOut)]),
            TaskResult(id: TaskID(stage: 1, task: 1), stageName: "test", name: "e2e", state: .cancelled, attempts: 1,
                       started: ms(1500), finished: ms(2010), attemptSpans: [span(1, 1500, 2010, .cancelled)]),
            TaskResult(id: TaskID(stage: 2, task: 0), stageName: "ship", name: "upload", state: .skipped),
        ]
        return RunResult(
            workflowName: "release", runID: "r1", startedAt: WallTime(seconds: 1_790_000_000, nanoseconds: 250_000_000),
            wallTime: ms(2020),
            stages: [StageResult(index: 0, name: "build", started: ms(0), finished: ms(1500)),
                     StageResult(index: 1, name: "test", started: ms(1500), finished: ms(2015)),
                     StageResult(index: 2, name: "ship")],
            tasks: tasks, interrupted: false)
    }

    /// `failingRun()` as measured: rusage on every attempt that ran a
    /// process, and each task's wait for its slot.
    static func measuredRun() -> RunResult {
        var run = failingRun()
        for index in run.tasks.indices where run.tasks[index].state != .skipped {
            run.tasks[index].queued = ms(10 * index)
            for span in run.tasks[index].attemptSpans.indices {
                run.tasks[index].attemptSpans[span].resources = ResourceUsage(
                    userCPU: ms(100 * (index + 1)), systemCPU: ms(20), maxRSS: (index + 1) * 10 << 20,
                    readBlocks: 8 * span, writtenBlocks: index)
            }
        }
        return run
    }

    /// Runs `python3 -c script file` and returns its stdout; nil when python3 is missing.
    static func python(_ script: String, on text: String) throws -> ExternalTool.Output? {
        guard let python = ExternalTool.find("python3") else { return nil }
        let directory = try Checkout.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("input")
        try text.write(to: file, atomically: true, encoding: .utf8)
        return try python.run(["-c", script, file.path])
    }
}
