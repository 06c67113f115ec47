#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CFlowrunShims
import Synchronization

/// Makes flowrun the reaper of its orphaned descendants (Linux), so that a
/// process that leaves its task's process group (`setsid`, a double fork)
/// is still found, ended and reaped instead of outliving the run.
///
/// With `PR_SET_CHILD_SUBREAPER`, an orphan is re-parented to flowrun instead
/// of init. Such an *adopted* child is told apart from a task's shell (which
/// Subprocess waits for and reaps) by the process group registry: a child of
/// flowrun that leads no registered group is adopted. That is only decided
/// while no spawn is in flight (`ProcessGroupRegistry.withSettledLeaders`),
/// and flowrun reaps nothing but adopted pids, never `waitpid(-1)`.
///
/// Which task an adopted process came from: its environment still carries the
/// task's `FLOWRUN_*` variables. A process that scrubbed them is ended with
/// everything else at the end of the run (`endAll`).
public final class ChildSubreaper: Sendable {
    private static let current = Mutex<ChildSubreaper?>(nil)

    let registry: ProcessGroupRegistry

    private init(registry: ProcessGroupRegistry) {
        self.registry = registry
    }

    /// Makes this process a child subreaper and returns the reaper; nil where
    /// the platform has no such call (macOS) or it failed. Call once, before
    /// the first task starts.
    public static func enable(registry: ProcessGroupRegistry = .shared) -> ChildSubreaper? {
        #if os(Linux)
        guard flowrun_become_child_subreaper() == 0 else { return nil }
        let reaper = ChildSubreaper(registry: registry)
        current.withLock { $0 = reaper }
        return reaper
        #else
        return nil
        #endif
    }

    /// The enabled reaper, if it knows the task shells of `registry` (with
    /// another registry it could not tell them from adopted children).
    static func active(for registry: ProcessGroupRegistry) -> ChildSubreaper? {
        guard let reaper = current.withLock({ $0 }), reaper.registry === registry else { return nil }
        return reaper
    }

    /// Which adopted processes a sweep ends; adopted zombies are reaped in every case.
    enum Scope {
        /// End none (reap only).
        case none
        /// End those whose environment holds every `NAME=VALUE` of `identity`,
        /// except members of `group` (the attempt's own group, already killed:
        /// they did not escape, they are just dying).
        case attempt(identity: [String], group: pid_t)
        /// End every adopted process (the run is over).
        case all
    }

    /// What a sweep saw.
    struct Sweep {
        /// Live adopted processes that were sent SIGKILL.
        var ended = 0
        /// Adopted children not reaped yet (alive, or dying).
        var remaining = 0
        /// False when a spawn was in flight and nothing could be decided.
        var settled = true
    }

    /// SIGKILLs the adopted processes in `scope` (each one's process group
    /// too, unless it is a task's group) and reaps adopted zombies. Never blocks.
    func sweep(_ scope: Scope) -> Sweep {
        #if os(Linux)
        let snapshot = registry.withSettledLeaders { leaders in
            (adopted: ProcFS.children(of: getpid()).filter { !leaders.contains($0) }, leaders: leaders)
        }
        guard let (adopted, leaders) = snapshot else { return Sweep(settled: false) }
        // From here on no lock is needed: an adopted pid is reaped by nobody
        // but this type, so it cannot be reused before `reap` below.
        var sweep = Sweep()
        let ownGroup = getpgrp()
        for pid in adopted {
            guard let stat = ProcFS.stat(of: pid) else { continue }
            if stat.state == UInt8(ascii: "Z") { continue }
            switch scope {
            case .none:
                continue
            case .attempt(let identity, let group):
                if stat.group == group || identity.isEmpty { continue }
                guard ProcFS.environment(of: pid, containsAll: identity) else { continue }
            case .all:
                break
            }
            if stat.group > 1, stat.group != ownGroup, !leaders.contains(stat.group) {
                _ = kill(-stat.group, SIGKILL)
            }
            _ = kill(pid, SIGKILL)
            sweep.ended += 1
        }
        for pid in adopted where !Self.reap(pid) { sweep.remaining += 1 }
        return sweep
        #else
        return Sweep()
        #endif
    }

    /// At the end of a run: ends every adopted process and reaps it,
    /// repeating while the children of those get adopted in turn, for at most
    /// `limit`. Returns how many live processes were ended.
    @discardableResult
    public func endAll(within limit: Duration = .seconds(1)) async -> Int {
        let deadline = ContinuousClock.now + limit
        var ended = 0
        while true {
            let sweep = sweep(.all)
            ended += sweep.ended
            if sweep.settled, sweep.remaining == 0, sweep.ended == 0 { return ended }
            if ContinuousClock.now >= deadline { return ended }
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Reaps `pid` if it has exited; true when it is gone.
    private static func reap(_ pid: pid_t) -> Bool {
        var status: CInt = 0
        let result = waitpid(pid, &status, WNOHANG)
        return result == pid || (result < 0 && errno == ECHILD)
    }
}
