import CFlowrunShims
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds processes by the marker variable in their environment (Linux `/proc`).
public enum Descendants {
    public struct Process: CustomStringConvertible {
        public var pid: pid_t
        public var commandLine: String
        public var description: String { "\(pid) \(commandLine)" }
    }

    /// True where leftovers can be found (`/proc/*/environ`).
    public static var canInspect: Bool {
        #if os(Linux)
        return FileManager.default.fileExists(atPath: "/proc/self/environ")
        #else
        return false
        #endif
    }

    /// Live (non-zombie) processes whose environment holds `MARKER=marker`,
    /// or whose command line contains `commandLine` when given.
    public static func find(marker: String? = nil, commandLine needle: String? = nil) -> [Process] {
        #if os(Linux)
        let entry = marker.map { Array("\(Launched.markerName)=\($0)".utf8) }
        var found: [Process] = []
        for name in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = pid_t(name), pid != getpid() else { continue }
            if let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
               let close = stat.lastIndex(of: ")"), stat[stat.index(close, offsetBy: 2)] == "Z" { continue }
            let commandData = FileManager.default.contents(atPath: "/proc/\(name)/cmdline") ?? Data()
            let commandLine = String(decoding: commandData.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
            var matches = false
            if let entry, let environ = FileManager.default.contents(atPath: "/proc/\(name)/environ") {
                matches = environ.split(separator: 0).contains { Array($0) == entry }
            }
            if let needle, commandLine.contains(needle) { matches = true }
            if matches { found.append(Process(pid: pid, commandLine: commandLine)) }
        }
        return found
        #else
        return []
        #endif
    }

    /// Waits until nothing carries `marker` any more (SIGKILL delivery and
    /// reaping take a moment); returns what is left at `limit`.
    public static func awaitNone(marker: String? = nil, commandLine: String? = nil, within limit: Duration = .seconds(1)) async
        -> [Process] {
        let deadline = ContinuousClock.now + limit
        while true {
            let left = find(marker: marker, commandLine: commandLine)
            if left.isEmpty || ContinuousClock.now >= deadline { return left }
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Cleanup after a failed test: SIGKILL whatever carries the marker.
    public static func kill(marker: String) {
        for process in find(marker: marker) { _ = posixKill(process.pid, SIGKILL) }
    }
}

private func posixKill(_ pid: pid_t, _ number: CInt) -> CInt { kill(pid, number) }

