#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Subprocess

/// Waits for a child to exit *without reaping it*, so that its zombie keeps
/// the process-group id reserved while the rest of the group is killed.
enum ProcessExit {
    static func wait(for process: ProcessIdentifier) async {
        #if os(Linux)
        if process.processDescriptor >= 0 {
            // A pidfd becomes readable when the process exits (level-triggered,
            // so an exit before the source is armed is not missed).
            await waitReadable(process.processDescriptor)
            return
        }
        #endif
        await poll(process.value)
    }

    #if os(Linux)
    private static func waitReadable(_ fd: CInt) async {
        // Our own descriptor for the same pidfd: Subprocess closes its one
        // when it is done, and Dispatch must never watch a descriptor that
        // someone else may close; ours is closed in the cancel handler.
        let own = fcntl(fd, F_DUPFD_CLOEXEC, 0)
        guard own >= 0 else { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let queue = DispatchQueue(label: "flowrun.exit")
            let source = DispatchSource.makeReadSource(fileDescriptor: own, queue: queue)
            source.setEventHandler {
                source.cancel()
            }
            source.setCancelHandler {
                _ = close(own)
                continuation.resume()
            }
            source.activate()
        }
    }
    #endif

    /// Fallback without a pidfd (old kernels, macOS): check with `WNOWAIT`
    /// on a Dispatch timer, never blocking a thread.
    private static func poll(_ pid: pid_t) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let queue = DispatchQueue(label: "flowrun.exit")
            let timer = DispatchSource.makeTimerSource(queue: queue)
            timer.schedule(deadline: .now(), repeating: .milliseconds(5))
            timer.setEventHandler {
                var info = siginfo_t()
                let rc = waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT)
                if rc != 0 || exitedPid(info) == pid { timer.cancel() }
            }
            timer.setCancelHandler { continuation.resume() }
            timer.activate()
        }
    }

    private static func exitedPid(_ info: siginfo_t) -> pid_t {
        #if canImport(Glibc)
        return info._sifields._sigchld.si_pid
        #else
        return info.si_pid
        #endif
    }
}
