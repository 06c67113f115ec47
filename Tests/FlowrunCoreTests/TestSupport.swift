import Foundation
import Synchronization
@testable import FlowrunCore

/// Collects the lines a process runner hands out, per stream.
final class LineCollector: Sendable {
    private let lines = Mutex<[OutputStreamKind: [String]]>([:])
    private let batches = Mutex(0)

    var onLines: @Sendable (OutputStreamKind, OutputLines) -> Void {
        { [self] stream, new in
            lines.withLock { $0[stream, default: []].append(contentsOf: new) }
            batches.withLock { $0 += 1 }
        }
    }

    func lines(_ stream: OutputStreamKind) -> [String] { lines.withLock { $0[stream] ?? [] } }
    var batchCount: Int { batches.withLock { $0 } }
}

/// Counts lines and bytes without keeping them (for the large-output tests).
final class LineCounter: Sendable {
    private let counts = Mutex<[OutputStreamKind: (lines: Int, bytes: Int)]>([:])

    var onLines: @Sendable (OutputStreamKind, OutputLines) -> Void {
        { [self] stream, new in
            var bytes = 0
            for line in new { bytes += line.utf8.count }
            counts.withLock { counts in
                let old = counts[stream] ?? (0, 0)
                counts[stream] = (old.lines + new.count, old.bytes + bytes)
            }
        }
    }

    func count(_ stream: OutputStreamKind) -> (lines: Int, bytes: Int) { counts.withLock { $0[stream] ?? (0, 0) } }
}

/// Finds processes by a marker in their environment, the way the reliability
/// tests check that nothing outlived a run.
enum Descendants {
    static func newMarker() -> String { "flowrun-test-\(UUID().uuidString)" }

    /// Live processes whose environment contains `FLOWRUN_RUN_ID=marker` (or `MARKER=marker`).
    static func pids(marker: String) -> [Int32] {
        #if os(Linux)
        let needle = Array("=\(marker)".utf8)
        var found: [Int32] = []
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries {
            guard let pid = Int32(entry), pid != getpid() else { continue }
            guard let data = FileManager.default.contents(atPath: "/proc/\(entry)/environ"), !data.isEmpty else { continue }
            let bytes = [UInt8](data)
            if bytes.firstRange(of: needle) != nil { found.append(pid) }
        }
        return found
        #else
        return []
        #endif
    }

    /// Waits (bounded) until no process carries `marker`; SIGKILL delivery and
    /// reaping by init take a moment after `kill` returns. Returns what is left.
    static func awaitNone(marker: String, within limit: Duration = .seconds(2)) async -> [Int32] {
        let deadline = ContinuousClock.now + limit
        while true {
            let left = pids(marker: marker)
            if left.isEmpty || ContinuousClock.now >= deadline { return left }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}

/// A shell request carrying a marker so its descendants can be found.
func shell(_ script: String, marker: String = Descendants.newMarker(), grace: Duration = .milliseconds(300),
           captureStdout: Int = 1 << 20, secrets: [String] = [], directory: String = ".") -> ProcessRequest {
    ProcessRequest(
        arguments: ["sh", "-c", script], environment: [("FLOWRUN_RUN_ID", marker)],
        workingDirectory: directory, killGrace: grace, stdoutCaptureLimit: captureStdout,
        stderrCaptureLimit: 1 << 20, mask: SecretMask(secrets))
}

extension Duration {
    var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// A process runner that runs nothing: each command names its behaviour,
/// `"<milliseconds> <exit code> [output]"`, or `"flaky <failures>"` (fails
/// that many attempts, then succeeds). Records starts, ends and concurrency.
final class FakeRunner: ProcessRunning {
    /// What the fake commands sleep on.
    let clock: any ExecutionClock

    init(clock: any ExecutionClock = SystemClock()) {
        self.clock = clock
    }

    private struct State {
        var running = 0
        var maxRunning = 0
        var started: [String] = []
        var finished: [String] = []
        var attempts: [String: Int] = [:]
    }

    private let state = Mutex(State())

    var maxRunning: Int { state.withLock { $0.maxRunning } }
    var started: [String] { state.withLock { $0.started } }
    var finished: [String] { state.withLock { $0.finished } }

    func run(
        _ request: ProcessRequest, onLines: @escaping @Sendable (OutputStreamKind, OutputLines) -> Void
    ) async -> ProcessOutcome {
        // A command holding a secret comes on fd 3 (`ScriptFileForm`), not as the last argument.
        let command = request.script.map { ScriptFileForm.command(fromScript: $0) } ?? request.arguments.last ?? ""
        let task = request.environment.first { $0.name == "FLOWRUN_TASK" }?.value ?? "?"
        let attempt = state.withLock { state -> Int in
            state.running += 1
            state.maxRunning = max(state.maxRunning, state.running)
            state.started.append(task)
            state.attempts[task, default: 0] += 1
            return state.attempts[task]!
        }
        defer {
            state.withLock { state in
                state.running -= 1
                state.finished.append(task)
            }
        }
        let words = command.split(separator: " ", maxSplits: 2).map(String.init)
        if words.first == "flaky" {
            let failures = Int(words[1]) ?? 0
            return ProcessOutcome(termination: .exited(attempt <= failures ? 1 : 0), stdout: "ok\n")
        }
        let millis = Int(words.first ?? "0") ?? 0
        let code = Int32(words.count > 1 ? words[1] : "0") ?? 0
        let output = words.count > 2 ? words[2] : ""
        do {
            try await clock.sleep(for: .milliseconds(millis))
        } catch {
            return ProcessOutcome(termination: .signaled(15))
        }
        if !output.isEmpty { onLines(.stdout, [output]) }
        return ProcessOutcome(termination: .exited(code), stdout: output.isEmpty ? "" : output + "\n",
                              stderrTail: code == 0 ? [] : ["boom"])
    }
}

/// Records every event.
final class EventRecorder: RunEventSink {
    private let events = Mutex<[RunEvent]>([])
    func receive(_ event: RunEvent) { events.withLock { $0.append(event) } }
    var all: [RunEvent] { events.withLock { $0 } }
}

/// Builds plans tersely: `stage("s", ["a": "cmd", ...])`.
func task(_ stage: Int, _ index: Int, _ stageName: String, _ name: String, run command: String,
          timeout: Duration? = nil, retries: Int = 0, continueOnError: Bool = false,
          result: PlannedText? = nil, directory: String = ".") -> PlannedTask {
    PlannedTask(
        id: TaskID(stage: stage, task: index), stageName: stageName, name: name,
        action: .run(command: PlannedText(literal: command), shell: ["sh", "-c"]),
        workingDirectory: PlannedText(literal: directory), timeout: timeout, retries: retries,
        continueOnError: continueOnError, result: result)
}

func stage(_ index: Int, _ name: String, maxParallel: Int? = nil, failFast: Bool = true,
           _ commands: [(String, String)], timeout: Duration? = nil, directory: String = ".") -> PlannedStage {
    PlannedStage(
        index: index, name: name, maxParallel: maxParallel, failFast: failFast,
        tasks: commands.enumerated().map { offset, pair in
            task(index, offset, name, pair.0, run: pair.1, timeout: timeout, directory: directory)
        })
}

func plan(_ stages: [PlannedStage], grace: Duration = .milliseconds(300), secrets: [String] = []) -> Plan {
    Plan(workflowName: "test", sourcePath: "test.yaml", stages: stages, killGrace: grace, secretValues: secrets)
}
