#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension OutputFile {
    /// Creates a new empty file for one attempt's outputs (mode 0600, in
    /// `TMPDIR` or `/tmp`) and returns its path; nil when none can be made.
    static func create() -> String? {
        var folder = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        if folder.isEmpty { folder = "/tmp" }
        if folder.hasSuffix("/") { folder.removeLast() }
        var template = Array("\(folder)/flowrun-output-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return nil }
        close(fd)
        return template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// Reads at most `sizeLimit + 1` bytes of the file at `path` (one more
    /// than allowed, so that an oversized file is told apart), then removes it.
    static func consume(_ path: String) -> Result<[TaskOutput], DiagnosticMessage> {
        defer { unlink(path) }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return .failure(.outputFileUnreadable(reason: String(cString: strerror(errno)))) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while bytes.count <= sizeLimit {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n >= 0 else { return .failure(.outputFileUnreadable(reason: String(cString: strerror(errno)))) }
            if n == 0 { break }
            bytes += chunk[0..<n]
        }
        return parse(bytes).mapError { .outputFileInvalid($0) }
    }

    /// Removes the file of an attempt whose outputs are not read (it failed or was cancelled).
    static func discard(_ path: String) {
        unlink(path)
    }
}
