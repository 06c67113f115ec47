#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CFlowrunShims

/// Process-wide settings the CLI applies once at start.
public enum ProcessHygiene {
    /// Raises the soft limit on open files to the hard limit (each running
    /// task holds two pipes and a pidfd). Returns the new soft limit, or nil
    /// if it could not be read.
    @discardableResult
    public static func raiseOpenFileLimit() -> UInt64? {
        var limit = rlimit()
        #if canImport(Glibc)
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        #else
        let resource = RLIMIT_NOFILE
        #endif
        guard getrlimit(resource, &limit) == 0 else { return nil }
        var wanted = limit.rlim_max
        #if canImport(Darwin)
        wanted = min(wanted, rlim_t(OPEN_MAX))
        #endif
        if limit.rlim_cur < wanted {
            var raised = limit
            raised.rlim_cur = wanted
            if setrlimit(resource, &raised) == 0 { return UInt64(wanted) }
        }
        return UInt64(limit.rlim_cur)
    }

    /// Un-ignores the signals a parent may have left ignored that flowrun's
    /// spawn cannot reset in the child (glibc's reserved 32 and 33), so that
    /// tasks start with no ignored signal. Returns how many were reset.
    @discardableResult
    public static func resetInheritedSignalDispositions() -> Int {
        Int(flowrun_default_reserved_signals())
    }

    /// Raises the capacity of `fds` (flowrun's own stdout and stderr) to `size`
    /// where they are pipes (`flowrun run … | tee log`, a CI runner's log pipe).
    /// With the default 64 KiB, flowrun and the reader take turns on every
    /// 64 KiB of task output; 1 MiB, as for the tasks' own pipes, lets either
    /// side run on. Never lowers a capacity; a refusal (the per-user pipe
    /// budget) leaves the pipe as it was. Returns the descriptors raised.
    @discardableResult
    public static func widenOutputPipes(_ fds: [CInt], to size: CInt = 1 << 20) -> [CInt] {
        var raised: [CInt] = []
        for fd in Set(fds).sorted() {
            var status = stat()
            guard fstat(fd, &status) == 0, status.st_mode & S_IFMT == S_IFIFO else { continue }
            let current = flowrun_pipe_size(fd)
            guard current >= 0, current < size, flowrun_set_pipe_size(fd, size) >= size else { continue }
            raised.append(fd)
        }
        return raised
    }
}
