#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One running attempt as the event loop sees it: the child, its pidfd, the
/// read ends of its two pipes, and where it is in its ending.
///
/// `@unchecked Sendable`: built by the runner, then touched only on the
/// loop's thread (it crosses threads once, through the loop's inbox).
final class LoopAttempt: @unchecked Sendable {
    /// What the loop hands back once the attempt is over.
    struct Finished: Sendable {
        var status: CInt
        var resources: ResourceUsage?
        /// When the loop reaped the shell: the end of its running time, whatever
        /// the wait before the awaiting task is resumed on a busy pool.
        var reaped: ContinuousClock.Instant?
        var stdout: (bytes: [UInt8], truncated: Bool)
        var stderr: (bytes: [UInt8], truncated: Bool)
        var stderrTail: [String]
        /// A pipe stayed open after the group was killed, or the subreaper ended an escapee.
        var escaped: Bool
    }

    enum Phase {
        /// The shell runs.
        case running
        /// The shell exited while its group was being ended: the rest of the
        /// group has until the kill deadline to close the pipes.
        case awaitingGroup
        /// The shell is reaped; the pipes get until `deadline` to reach their end.
        case draining
    }

    let pid: pid_t
    var pidfd: CInt
    let group: ProcessGroup
    /// `FLOWRUN_*=…` of the attempt, by which the subreaper finds its escapees.
    let identity: [String]
    let drainLimit: Duration
    /// The reaper of adopted orphans, when flowrun is one and knows this attempt's registry.
    let subreaper: ChildSubreaper?
    var pipes: [CInt]
    var collectors: [OutputCollector]
    var phase = Phase.running
    var deadline: ContinuousClock.Instant?
    /// Exited with its pipes still open, waiting a moment before the subreaper looks.
    var inGrace = false
    var status: CInt = 0
    var resources: ResourceUsage?
    var reaped: ContinuousClock.Instant?
    var sweep: ChildSubreaper.Sweep?
    var forced = false
    var continuation: CheckedContinuation<Finished, Never>?

    init(
        pid: pid_t, pidfd: CInt, group: ProcessGroup, identity: [String], drainLimit: Duration,
        subreaper: ChildSubreaper?, pipes: [CInt], collectors: [OutputCollector]
    ) {
        self.pid = pid
        self.pidfd = pidfd
        self.group = group
        self.identity = identity
        self.drainLimit = drainLimit
        self.subreaper = subreaper
        self.pipes = pipes
        self.collectors = collectors
    }

    var pipesOpen: Bool { pipes.contains { $0 >= 0 } }

    /// Non-blocking check whether the shell has exited, without reaping it.
    var hasExited: Bool {
        var info = siginfo_t()
        let rc = waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT)
        return rc != 0 || Self.exitedPid(info) == pid
    }

    /// Reaps the (already exited) shell with its resource usage.
    func reap() {
        var usage = rusage()
        var raw: CInt = 0
        while wait4(pid, &raw, 0, &usage) < 0, errno == EINTR {}
        reaped = .now
        status = raw
        #if os(Linux)
        let rssBytes = Int(usage.ru_maxrss) * 1024
        #else
        let rssBytes = Int(usage.ru_maxrss)
        #endif
        resources = ResourceUsage(
            userCPU: .seconds(Int64(usage.ru_utime.tv_sec)) + .microseconds(Int64(usage.ru_utime.tv_usec)),
            systemCPU: .seconds(Int64(usage.ru_stime.tv_sec)) + .microseconds(Int64(usage.ru_stime.tv_usec)),
            maxRSS: rssBytes, readBlocks: Int(usage.ru_inblock), writtenBlocks: Int(usage.ru_oublock))
    }

    var finished: Finished {
        Finished(
            status: status, resources: resources, reaped: reaped, stdout: collectors[0].result, stderr: collectors[1].result,
            stderrTail: collectors[1].tail, escaped: forced || (sweep?.ended ?? 0) > 0)
    }

    private static func exitedPid(_ info: siginfo_t) -> pid_t {
        #if canImport(Glibc)
        return info._sifields._sigchld.si_pid
        #else
        return info.si_pid
        #endif
    }
}
