#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a report file whole or not at all: to a temporary file beside it, then renamed.
public enum ReportFile {
    /// Returns a description of the problem, or nil on success.
    public static func write(_ text: String, to path: String) -> String? {
        let temporary = path + ".flowrun-tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return String(cString: strerror(errno)) }
        FileDescriptorSink(fd: fd).write(text)
        let ok = fsync(fd) == 0
        close(fd)
        guard ok, rename(temporary, path) == 0 else {
            let problem = String(cString: strerror(errno))
            unlink(temporary)
            return problem
        }
        return nil
    }

    /// Appends `text` to the file at `path` (created if missing) in one write.
    /// Returns a description of the problem, or nil on success.
    public static func append(_ text: String, to path: String) -> String? {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return String(cString: strerror(errno)) }
        let sink = FileDescriptorSink(fd: fd)
        sink.write(text)
        let broken = sink.isBroken
        close(fd)
        return broken ? String(cString: strerror(errno)) : nil
    }
}
