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
}
