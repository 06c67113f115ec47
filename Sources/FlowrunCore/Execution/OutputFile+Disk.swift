#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension OutputFile {
    /// Creates a new empty file for one attempt's outputs (mode 0600, in
    /// `TMPDIR` or `/tmp`) and returns the path the task writes to; nil when
    /// none can be made.
    ///
    /// On Linux the file has no name: a memfd (or a file unlinked at once)
    /// that flowrun keeps open, and the path is `/proc/PID/fd/N` of that
    /// descriptor, which the task (same user) opens like any file. Nothing is
    /// left behind even when flowrun is killed with SIGKILL. Where `/proc` is
    /// not there, the file keeps its name in `TMPDIR` until it is read.
    static func create() -> String? {
        #if os(Linux)
        // A memfd costs no directory operations: on /tmp, creating and
        // removing a named file per attempt was a quarter of flowrun's CPU
        // samples for 1,000 `/bin/true` tasks (issue 12's profile).
        if let makeMemfd, procReachable {
            let fd = makeMemfd("flowrun-output", 1)  // MFD_CLOEXEC
            if fd >= 0 { return heldPath(fd) }
        }
        #endif
        var template = Array("\(SystemLibrary.temporaryFolder)/flowrun-output-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return nil }
        let path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        #if os(Linux)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        if procReachable {
            unlink(path)
            return heldPath(fd)
        }
        #endif
        close(fd)
        return path
    }

    #if os(Linux)
    private typealias MemfdCreate = @convention(c) (UnsafePointer<CChar>, UInt32) -> Int32

    /// `memfd_create` (glibc 2.27), looked up at run time because the Glibc
    /// module does not export it.
    private static let makeMemfd: MemfdCreate? = SystemLibrary.symbol("memfd_create").map {
        unsafeBitCast($0, to: MemfdCreate.self)
    }

    /// Whether a task can open flowrun's descriptors as `/proc/PID/fd/N`.
    private static let procReachable = access(heldFolder, X_OK) == 0
    #endif

    /// Where a task finds flowrun's descriptors: `/proc/PID/fd`.
    private static var heldFolder: String { "/proc/\(getpid())/fd" }

    /// The path by which a task opens flowrun's descriptor `fd`.
    private static func heldPath(_ fd: Int32) -> String { heldFolder + "/\(fd)" }

    /// Reads at most `sizeLimit + 1` bytes of the file at `path` (one more
    /// than allowed, so that an oversized file is told apart), then removes it.
    static func consume(_ path: String) -> Result<[TaskOutput], DiagnosticMessage> {
        let fd: Int32
        if let held = heldDescriptor(path) {
            fd = held
        } else {
            defer { unlink(path) }
            fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
            guard fd >= 0 else { return .failure(.outputFileUnreadable(reason: String(cString: strerror(errno)))) }
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while bytes.count <= sizeLimit {
            let n = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(bytes.count)) }
            if n < 0, errno == EINTR { continue }
            guard n >= 0 else { return .failure(.outputFileUnreadable(reason: String(cString: strerror(errno)))) }
            if n == 0 { break }
            bytes += chunk[0..<n]
        }
        return parse(bytes).mapError { .outputFileInvalid($0) }
    }

    /// Removes the file of an attempt whose outputs are not read (it failed or was cancelled).
    static func discard(_ path: String) {
        if let held = heldDescriptor(path) { close(held) } else { unlink(path) }
    }

    /// The descriptor behind a path made by `create()` as `/proc/PID/fd/N` of this process.
    private static func heldDescriptor(_ path: String) -> Int32? {
        let prefix = heldFolder + "/"
        guard path.hasPrefix(prefix) else { return nil }
        return Int32(path.dropFirst(prefix.count))
    }
}
