#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive `flock` on the state folder's `lock` file: one flowrun at a
/// time reads-then-writes the state. Held only around such updates, never
/// while a task runs, so a task may itself run flowrun on the same folder.
public final class StateLock: @unchecked Sendable {
    private let fd: Int32

    /// Opens (creating) the lock file; nil when it cannot be opened for writing.
    public init?(path: String) {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return nil }
        self.fd = fd
    }

    deinit { close(fd) }

    /// Runs `body` holding the lock. Waits as long as another process holds
    /// it; calls `onWait` once when that has taken `patience`.
    public func withLock<T>(patience: Duration = .seconds(1), onWait: () -> Void, _ body: () throws -> T) rethrows -> T {
        acquire(patience: patience, onWait: onWait)
        defer { flock(fd, LOCK_UN) }
        return try body()
    }

    private func acquire(patience: Duration, onWait: () -> Void) {
        if flock(fd, LOCK_EX | LOCK_NB) == 0 { return }
        // Polling rather than a blocking flock: the wait must be noticed (and
        // said) after `patience` without a second thread or a signal.
        let clock = ContinuousClock()
        let start = clock.now
        var said = false
        var pause = 1_000_000
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR || errno == EAGAIN else {
                // flock not supported here (some network file systems): go on unserialized.
                return
            }
            if !said, clock.now - start >= patience {
                said = true
                onWait()
            }
            var spec = timespec(tv_sec: 0, tv_nsec: pause)
            nanosleep(&spec, nil)
            pause = min(pause * 2, 20_000_000)
        }
    }
}
