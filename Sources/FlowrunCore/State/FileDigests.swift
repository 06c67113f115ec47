import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Digests of files' contents for one run, reusing earlier ones where the file has not changed.
///
/// A digest is reused when the file's size, inode, mtime and ctime are those
/// recorded with it, as git's index does, except when the file was modified
/// in the same second as (or after) the digest was taken: such a file could
/// have changed again within the timestamp's resolution (git's "racy clean"
/// rule), so it is read again. Within one run a file is read at most once
/// while its status stays the same, however many tasks list it.
public final class FileDigests: Sendable {
    /// A file's digest and the status it was taken at.
    public struct Entry: Sendable, Hashable {
        public var status: FileStatus
        public var digest: SHA256Digest
        /// When the digest was taken, seconds since the epoch.
        public var hashedAt: Int64

        public init(status: FileStatus, digest: SHA256Digest, hashedAt: Int64) {
            self.status = status
            self.digest = digest
            self.hashedAt = hashedAt
        }

        /// Whether this entry may stand for a file now in `status`.
        func isValid(for status: FileStatus) -> Bool {
            guard status.isUnchanged(from: self.status) else { return false }
            let modifiedSecond = status.modified / 1_000_000_000
            return modifiedSecond < hashedAt
        }
    }

    /// What a run's hashing cost.
    public struct Statistics: Sendable, Hashable {
        public var filesHashed = 0
        public var bytesHashed: Int64 = 0
        public var filesReused = 0
        public var elapsed: Duration = .zero
    }

    private struct State {
        var stored: [String: Entry]
        /// Entries hashed or confirmed in this run.
        var current: [String: Entry] = [:]
        var statistics = Statistics()
    }

    private let state: Mutex<State>
    private let clock: @Sendable () -> Int64

    /// - Parameters:
    ///   - stored: digests from earlier runs, by absolute path.
    ///   - now: seconds since the epoch (injected for tests of the racy rule).
    public init(stored: [String: Entry] = [:], now: @escaping @Sendable () -> Int64 = { Int64(WallTime.now().seconds) }) {
        state = Mutex(State(stored: stored))
        clock = now
    }

    /// The digest of the file at absolute `path` whose status was just taken; nil when it cannot be read.
    public func digest(of path: String, status: FileStatus) -> SHA256Digest? {
        let started = ContinuousClock.now
        defer {
            let elapsed = ContinuousClock.now - started
            state.withLock { $0.statistics.elapsed += elapsed }
        }
        let known = state.withLock { state -> SHA256Digest? in
            if let entry = state.current[path], entry.status.isUnchanged(from: status) { return entry.digest }
            if let entry = state.stored[path], entry.isValid(for: status) {
                state.current[path] = entry
                state.statistics.filesReused += 1
                return entry.digest
            }
            return nil
        }
        if let known { return known }
        let hashedAt = clock()
        guard let (digest, bytes) = Self.hash(path) else { return nil }
        // The status taken before reading is what the digest belongs to; if the
        // file changed while being read, its ctime will not match next time.
        state.withLock {
            $0.current[path] = Entry(status: status, digest: digest, hashedAt: hashedAt)
            $0.statistics.filesHashed += 1
            $0.statistics.bytesHashed += bytes
        }
        return digest
    }

    public var statistics: Statistics { state.withLock { $0.statistics } }

    /// Every digest known now, the ones confirmed in this run winning: what to store for the next run.
    public var entries: [String: Entry] {
        state.withLock { state in state.stored.merging(state.current) { _, new in new } }
    }

    /// Reads a file once, in 256 KiB pieces. Returns its digest and length.
    static func hash(_ path: String) -> (SHA256Digest, Int64)? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        let stream = SHA256Stream()
        var total: Int64 = 0
        let size = 256 << 10
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = read(fd, buffer.baseAddress, size)
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if count == 0 { break }
            stream.update(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            total += Int64(count)
        }
        return (stream.finish(), total)
    }
}
