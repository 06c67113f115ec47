#if os(Linux)
import Glibc

/// The few facts flowrun reads from Linux's `/proc` about its children.
/// Linux only; callers have their own fallback elsewhere.
enum ProcFS {
    /// Fields of `/proc/PID/stat` that flowrun uses.
    struct Stat {
        /// `R`, `S`, `D`, `Z`, ...
        var state: UInt8
        var parent: pid_t
        var group: pid_t
    }

    /// The direct children of `pid` (which must be this process or one it may
    /// inspect), from each thread's `children` file; falls back to scanning
    /// every process's parent when the kernel lacks those files.
    static func children(of pid: pid_t) -> [pid_t] {
        var found: [pid_t] = []
        var sawFile = false
        for thread in numericEntries(of: "/proc/\(pid)/task") {
            guard let bytes = read("/proc/\(pid)/task/\(thread)/children", limit: 1 << 20) else { continue }
            sawFile = true
            found += numbers(in: bytes)
        }
        if sawFile { return found }
        return numericEntries(of: "/proc").filter { stat(of: $0)?.parent == pid }
    }

    /// The parsed `/proc/PID/stat`, or nil once the process is gone.
    static func stat(of pid: pid_t) -> Stat? {
        guard let bytes = read("/proc/\(pid)/stat", limit: 4096),
              let close = bytes.lastIndex(of: UInt8(ascii: ")")) else { return nil }
        // After "pid (comm)", which may itself hold spaces and parentheses:
        // " S ppid pgrp ...".
        let fields = bytes[(close + 1)...].split(separator: UInt8(ascii: " "), maxSplits: 4)
        guard fields.count >= 3, let state = fields[0].first,
              let parent = pid_t(String(decoding: fields[1], as: UTF8.self)),
              let group = pid_t(String(decoding: fields[2], as: UTF8.self)) else { return nil }
        return Stat(state: state, parent: parent, group: group)
    }

    /// True when the process's initial environment holds each `NAME=VALUE` entry exactly.
    static func environment(of pid: pid_t, containsAll entries: [String]) -> Bool {
        guard let bytes = read("/proc/\(pid)/environ", limit: 4 << 20) else { return false }
        let present = Set(bytes.split(separator: 0).map { String(decoding: $0, as: UTF8.self) })
        return entries.allSatisfy(present.contains)
    }

    /// Reads a whole (small) file, at most `limit` bytes; nil when it cannot be opened.
    static func read(_ path: String, limit: Int) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while result.count < limit {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                result += chunk[0..<count]
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                break
            }
        }
        return result
    }

    private static func numericEntries(of folder: String) -> [pid_t] {
        guard let directory = opendir(folder) else { return [] }
        defer { closedir(directory) }
        var result: [pid_t] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if let number = pid_t(name) { result.append(number) }
        }
        return result
    }

    private static func numbers(in bytes: [UInt8]) -> [pid_t] {
        bytes.split(whereSeparator: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\n") })
            .compactMap { pid_t(String(decoding: $0, as: UTF8.self)) }
    }
}
#endif
