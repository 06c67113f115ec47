#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

#if canImport(Glibc)
private let systemRead = Glibc.read
#elseif canImport(Darwin)
private let systemRead = Darwin.read
#endif

/// Reads a workflow file's bytes within `ReaderLimits`, refusing what is not
/// a regular file (a FIFO would block, `/dev/zero` never ends) and checking
/// the encoding before any parser sees the bytes.
public struct SourceReader: Sendable {
    public var limits: ReaderLimits

    public init(limits: ReaderLimits = ReaderLimits()) {
        self.limits = limits
    }

    /// Reads `path`, or standard input for `-`.
    public func read(path: String) -> Result<SourceText, Diagnostic> {
        if path == "-" { return readDescriptor(0, path: "<stdin>") }
        // O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then rejects it.
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT { return .failure(.error(.fileNotFound, at: nil)) }
            if code == EISDIR { return .failure(.error(.isDirectory, at: SourceLocation(file: path, line: 1, column: 1))) }
            return .failure(.error(.fileUnreadable(reason: String(cString: strerror(code))), at: nil))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            return .failure(.error(.fileUnreadable(reason: String(cString: strerror(errno))), at: nil))
        }
        let type = info.st_mode & S_IFMT
        // Problems of the file as a whole point at its start, so that tools
        // that parse FILE:LINE:COL (editors, CI annotations) still place them.
        let start = SourceLocation(file: path, line: 1, column: 1)
        if type == S_IFDIR { return .failure(.error(.isDirectory, at: start)) }
        guard type == S_IFREG else { return .failure(.error(.notRegularFile, at: start)) }
        if Int(info.st_size) > limits.maxFileBytes {
            return .failure(.error(.fileTooLarge(limit: limits.maxFileBytes), at: start))
        }
        // Regular files never block, so clear O_NONBLOCK's effect is moot; read as is.
        return readDescriptor(fd, path: path, size: Int(info.st_size))
    }

    /// Reads to the end of `fd`. With the file's `size` known, the first read
    /// takes it whole into a buffer of exactly that size (and one byte more,
    /// to see a file that grew): no 64 KiB appends, no capacity doubled past it.
    private func readDescriptor(_ fd: Int32, path: String, size: Int = 0) -> Result<SourceText, Diagnostic> {
        var bytes: [UInt8] = []
        var want = size > 0 ? size + 1 : 1 << 16
        while true {
            var failure: Int32 = 0
            let chunk = [UInt8](unsafeUninitializedCapacity: want) { buffer, count in
                let n = systemRead(fd, buffer.baseAddress, buffer.count)
                if n < 0 { failure = errno }
                count = max(n, 0)
            }
            if failure == EINTR { continue }
            if failure == EISDIR { return .failure(.error(.isDirectory, at: nil)) }
            if failure != 0 { return .failure(.error(.fileUnreadable(reason: String(cString: strerror(failure))), at: nil)) }
            if chunk.isEmpty { break }
            if bytes.isEmpty { bytes = chunk } else { bytes.append(contentsOf: chunk) }
            if bytes.count > limits.maxFileBytes {
                return .failure(.error(.fileTooLarge(limit: limits.maxFileBytes), at: SourceLocation(file: path, line: 1, column: 1)))
            }
            want = 1 << 16
        }
        let source = SourceText(path: path, bytes: bytes)
        if let problem = Self.encodingProblem(source) { return .failure(problem) }
        return .success(source)
    }

    /// The first encoding problem: UTF-16, a NUL byte, or invalid UTF-8.
    static func encodingProblem(_ source: SourceText) -> Diagnostic? {
        let bytes = source.bytes
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            return .error(.utf16Encoding, at: SourceLocation(file: source.path, line: 1, column: 1))
        }
        var i = 0
        let n = bytes.count
        while i < n {
            // Eight bytes at a time while they are ASCII without a NUL: nearly all of a workflow.
            i = bytes.withUnsafeBytes { raw in
                var j = i
                while j + 8 <= n {
                    let word = raw.loadUnaligned(fromByteOffset: j, as: UInt64.self)
                    let highOrZero = (word | ((word & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F)) & 0x8080_8080_8080_8080
                    // Every byte has its high bit clear and a low part that is not zero.
                    guard word & 0x8080_8080_8080_8080 == 0, highOrZero == 0x8080_8080_8080_8080 else { break }
                    j += 8
                }
                return j
            }
            guard i < n else { break }
            let b = bytes[i]
            if b < 0x80 {
                if b == 0 { return .error(.nulByte, at: source.location(ofByte: i)) }
                i += 1
                continue
            }
            let length: Int
            let minimum: UInt32
            var scalar: UInt32
            switch b {
            case 0xC2...0xDF: length = 2; minimum = 0x80; scalar = UInt32(b & 0x1F)
            case 0xE0...0xEF: length = 3; minimum = 0x800; scalar = UInt32(b & 0x0F)
            case 0xF0...0xF4: length = 4; minimum = 0x10000; scalar = UInt32(b & 0x07)
            default: return .error(.invalidUTF8, at: source.location(ofByte: i))
            }
            guard i + length <= n else { return .error(.invalidUTF8, at: source.location(ofByte: i)) }
            for k in 1..<length {
                let c = bytes[i + k]
                guard c & 0xC0 == 0x80 else { return .error(.invalidUTF8, at: source.location(ofByte: i)) }
                scalar = scalar << 6 | UInt32(c & 0x3F)
            }
            if scalar < minimum || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) {
                return .error(.invalidUTF8, at: source.location(ofByte: i))
            }
            i += length
        }
        return nil
    }
}
