import Foundation
import Synchronization
@testable import FlowrunCore

/// Collects the lines a process runner hands out, per stream.
final class LineCollector: Sendable {
    private let lines = Mutex<[OutputStreamKind: [String]]>([:])
    private let batches = Mutex(0)

    var onLines: @Sendable (OutputStreamKind, [String]) -> Void {
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

    var onLines: @Sendable (OutputStreamKind, [String]) -> Void {
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
