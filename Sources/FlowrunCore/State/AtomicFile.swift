#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-or-nothing file writes and plain reads, with errno text for messages.
///
/// A write goes to a temporary file in the same folder (so the rename cannot
/// cross file systems), is fsynced, renamed over the target, and the folder is
/// fsynced so the rename itself survives a crash. A reader sees the old file
/// or the new one, never a mix; a writer killed halfway leaves only a
/// `NAME.tmp-PID` file, which the next writer holding the lock removes.
public enum AtomicFile {
    /// The outcome of reading a file.
    public enum Read: Sendable {
        case missing
        case bytes([UInt8])
        case failed(String)
    }

    /// Test hook: time to wait between writing the temporary file and renaming it.
    nonisolated(unsafe) public static var pauseBeforeRename: Duration = .zero

    /// Writes `bytes` to `path` atomically with `mode`; returns the problem, or nil on success.
    /// `syncingFolder: false` leaves the folder's fsync to a later write into the same folder.
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644, syncingFolder: Bool = true) -> String? {
        var writer = AtomicFileWriter(path: path, mode: mode)
        writer.write(bytes: bytes)
        return writer.commit(syncingFolder: syncingFolder)
    }

    /// Reads the whole file at `path`.
    public static func read(_ path: String) -> Read {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return errno == ENOENT ? .missing : .failed(errorText()) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = chunk.withUnsafeMutableBytes { posixRead(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failed(errorText())
            }
            if count == 0 { return .bytes(bytes) }
            bytes += chunk[0..<count]
        }
    }

    /// fsync of the folder holding `path`, so a rename into it is durable.
    static func syncFolder(of path: String) {
        syncFolder(folder(of: path))
    }

    /// fsync of `folder`.
    static func syncFolder(_ folder: String) {
        let fd = open(folder, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    /// The folder holding `path` (`.` for a bare name, `/` at the root).
    static func folder(of path: String) -> String {
        let folder = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        return folder.isEmpty ? "/" : folder
    }

    static func errorText() -> String { String(cString: strerror(errno)) }
}

// `write`/`read` are shadowed inside `AtomicFile` and `AtomicFileWriter` by their own methods.
func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}

private func posixRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buffer, count)
}
