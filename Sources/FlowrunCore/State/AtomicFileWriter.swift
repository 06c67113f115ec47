#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CFlowrunShims

/// A whole-or-nothing file written piece by piece: `AtomicFile.write` for text
/// too big to build first as one String (a 100,000-task run's JSON report is
/// 45 MB).
///
/// Pieces go through a 64 KiB buffer into `NAME.tmp-PID`; `commit` fsyncs it,
/// renames it over the target and fsyncs the folder, as `AtomicFile.write`
/// does. Until then the target is untouched, and a writer that is dropped or
/// killed leaves only the temporary file, which the next lock holder removes.
/// The first failure is kept and ends writing; `commit` returns it.
public struct AtomicFileWriter: TextOutputStream {
    public let path: String
    private let temporary: String
    private let mode: mode_t
    private var fd: Int32
    private var buffer = Buffer()
    private var failure: String?
    /// Bytes written so far (buffered ones included).
    public private(set) var byteCount = 0
    /// Bytes handed to the file, and where the write-back started last stopped.
    private var flushed = 0
    private var writebackStart = 0
    /// A big file's pages go to the disk every this many bytes, while the rest is
    /// still being made: the 45 MB report of 100,000 tasks otherwise left 0.16 s
    /// of write-back to the commit, after everything else was done.
    static let writebackStep = 4 << 20

    static let bufferSize = 64 << 10

    /// Opens the temporary file beside `path`; a failure is returned by `commit`.
    public init(path: String, mode: mode_t = 0o644) {
        self.path = path
        self.mode = mode
        temporary = path + ".tmp-\(getpid())"
        fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        if fd < 0 { failure = AtomicFile.errorText() }
    }

    /// The pending bytes: a fixed block filled by copying, not an array (a 100,000-task
    /// report is millions of small pieces, and `Array.append` cost each a uniqueness
    /// check and a capacity check besides the copy). Copied before a change when a
    /// copy of the writer shares it.
    private final class Buffer {
        let base = UnsafeMutablePointer<UInt8>.allocate(capacity: AtomicFileWriter.bufferSize)
        var count = 0

        deinit { base.deallocate() }

        func copy() -> Buffer {
            let copy = Buffer()
            copy.base.update(from: base, count: count)
            copy.count = count
            return copy
        }
    }

    public mutating func write(_ text: String) {
        // Contiguous UTF-8 (native and small strings) is copied from where it is.
        if text.utf8.withContiguousStorageIfAvailable({ append($0) }) == nil {
            var text = text
            text.withUTF8 { append($0) }
        }
    }

    public mutating func write(bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        byteCount += bytes.count
        guard failure == nil else { return }
        if buffer.count + bytes.count > Self.bufferSize { flush() }
        if bytes.count >= Self.bufferSize {
            writeAll(UnsafeRawBufferPointer(bytes))
        } else if let source = bytes.baseAddress {
            if !isKnownUniquelyReferenced(&buffer) { buffer = buffer.copy() }
            (buffer.base + buffer.count).update(from: source, count: bytes.count)
            buffer.count += bytes.count
        }
    }

    private mutating func flush() {
        guard buffer.count > 0 else { return }
        if !isKnownUniquelyReferenced(&buffer) { buffer = buffer.copy() }
        let pending = UnsafeRawBufferPointer(start: buffer.base, count: buffer.count)
        buffer.count = 0
        writeAll(pending)
    }

    private mutating func writeAll(_ bytes: UnsafeRawBufferPointer) {
        guard failure == nil, !bytes.isEmpty else { return }
        var offset = 0
        while offset < bytes.count {
            let written = posixWrite(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                failure = AtomicFile.errorText()
                return
            }
            offset += written
        }
        flushed += bytes.count
        if flushed - writebackStart >= Self.writebackStep {
            _ = flowrun_start_writeback_range(fd, Int64(writebackStart), Int64(flushed - writebackStart))
            writebackStart = flushed
        }
    }

    /// Writes what is buffered, fsyncs, and renames the file over `path`;
    /// returns the problem (the target then stays as it was), or nil.
    /// `syncingFolder: false` leaves the folder's fsync to a later write into the same folder.
    public mutating func commit(syncingFolder: Bool = true) -> String? {
        flush()
        sync()
        if let failure {
            abandon()
            return failure
        }
        if let failure = renameOver() { return failure }
        if syncingFolder { AtomicFile.syncFolder(of: path) }
        return nil
    }

    /// Commits `writers` as one: each file fsynced, renamed over its target
    /// in order, then each folder fsynced once, as `commit` does for one file,
    /// but for about the price of one journal commit instead of one per file
    /// and folder: the write-back of every file is started (`sync_file_range`
    /// on Linux) before the first fsync, and every rename done before the
    /// first folder's fsync. When a file cannot be completed, none is renamed
    /// and every temporary file is removed; returns the first problem, or nil.
    public static func commit(_ writers: inout [AtomicFileWriter]) -> String? {
        for index in writers.indices {
            writers[index].flush()
            if writers[index].failure == nil, writers[index].fd >= 0 { _ = flowrun_start_writeback(writers[index].fd) }
        }
        for index in writers.indices { writers[index].sync() }
        if let failure = writers.lazy.compactMap(\.failure).first {
            for index in writers.indices { writers[index].abandon() }
            return failure
        }
        for index in writers.indices {
            if let failure = writers[index].renameOver() {
                for later in writers.indices where later > index { writers[later].abandon() }
                return failure
            }
        }
        var folders: [String] = []
        for writer in writers where !folders.contains(AtomicFile.folder(of: writer.path)) {
            folders.append(AtomicFile.folder(of: writer.path))
        }
        for folder in folders { AtomicFile.syncFolder(folder) }
        return nil
    }

    /// fsync, the mode the caller asked for, close; a failure is kept.
    private mutating func sync() {
        guard fd >= 0 else { return }
        if failure == nil, fsync(fd) != 0 { failure = AtomicFile.errorText() }
        // fchmod: the umask must not widen or narrow what the caller asked for.
        if failure == nil { _ = fchmod(fd, mode) }
        close(fd)
        fd = -1
    }

    /// Gives up: the temporary file goes, the target stays as it was.
    private mutating func abandon() {
        if fd >= 0 {
            close(fd)
            fd = -1
        }
        unlink(temporary)
    }

    /// Renames the synced temporary file over `path`; the problem, or nil.
    private mutating func renameOver() -> String? {
        if AtomicFile.pauseBeforeRename > .zero {
            let (seconds, atto) = AtomicFile.pauseBeforeRename.components
            var spec = timespec(tv_sec: Int(seconds), tv_nsec: Int(atto / 1_000_000_000))
            nanosleep(&spec, nil)
        }
        guard rename(temporary, path) == 0 else {
            let problem = AtomicFile.errorText()
            unlink(temporary)
            return problem
        }
        return nil
    }
}
