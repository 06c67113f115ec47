#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Finds a program in `PATH` once and remembers where it is.
///
/// Subprocess's fork/exec path searches `PATH` by trying `execve` in every
/// directory, one forked child per miss: with ten directories before
/// `/usr/bin` that was ten forks per task (measured ~8 ms per `true` task).
/// Resolving here costs a few `access` calls, once per (PATH, name).
public final class ExecutableLookup: Sendable {
    public static let shared = ExecutableLookup()

    private let cache = Mutex<[String: String]>([:])

    public init() {}

    /// The absolute path of `name` in the directories of `path`, or nil if none is executable.
    public func resolve(_ name: String, path: String) -> String? {
        let key = path + "\u{0}" + name
        if let hit = cache.withLock({ $0[key] }) { return hit }
        for directory in path.split(separator: ":", omittingEmptySubsequences: true) where directory.hasPrefix("/") {
            let candidate = String(directory) + (directory.hasSuffix("/") ? "" : "/") + name
            var info = stat()
            if stat(candidate, &info) == 0, info.st_mode & S_IFMT == S_IFREG, access(candidate, X_OK) == 0 {
                cache.withLock { $0[key] = candidate }
                return candidate
            }
        }
        return nil
    }

    /// flowrun's own `PATH`, or the system default when it has none.
    public static var processPath: String {
        getenv("PATH").map { String(cString: $0) } ?? "/usr/local/bin:/usr/bin:/bin"
    }
}
