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
/// of init. Such an *adopted* child must be told apart from a task's shell,
/// which the process loop waits for and reaps, and flowrun never reaps with
/// `waitpid(-1)`. The loop sweeps when a pipe is still held after a task's
/// shell exited, or when a SIGCHLD comes from a child that is no task's. A child is known to be adopted when
/// - it carries the `FLOWRUN_*` variables of the attempt being swept (a
///   shell of another task carries other ones, and a shell of this task
///   leads a registered group), or
/// - it leads no registered group while no spawn is in flight
///   (`ProcessGroupRegistry.withLeaders`, "settled").
/// Only pids known to be adopted are killed by a sweep of all, or reaped.
///
/// A process that scrubbed its environment is ended with everything else at
/// the end of the run (`endAll`).
public final class ChildSubreaper: Sendable {
    private static let current = Mutex<ChildSubreaper?>(nil)

    let registry: ProcessGroupRegistry
    /// Adopted pids not reaped yet. Only this type reaps them, so none can be
    /// reused by another process while it is in this set.
    private let adopted = Mutex<Set<pid_t>>([])

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
        ProcessEventLoop.shared.watchOrphans(with: reaper)
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
        /// Adopted children not reaped yet (alive, or dying), as far as known.
        var remaining = 0
        /// False when a spawn was in flight: children that carried no
        /// identity could not be classified, and were left for a later sweep.
        var settled = true
    }

    /// SIGKILLs the adopted processes in `scope` (each one's process group
    /// too, unless it is a task's group) and reaps adopted zombies. Never blocks.
    func sweep(_ scope: Scope) -> Sweep {
        #if os(Linux)
        let ownGroup = getpgrp()
        let (children, leaders, settled) = registry.withLeaders { leaders, settled in
            (ProcFS.children(of: getpid()), leaders, settled)
        }
        var sweep = Sweep(settled: settled)
        var known = Set<pid_t>()
        for pid in children where !leaders.contains(pid) {
            // A child that is no task shell's: adopted, if that can be told (see the type's comment).
            guard let stat = ProcFS.stat(of: pid) else { continue }
            let zombie = stat.state == UInt8(ascii: "Z")
            var end = false
            switch scope {
            case .none:
                break
            case .attempt(let identity, let group):
                if !zombie, !identity.isEmpty, ProcFS.environment(of: pid, containsAll: identity) {
                    known.insert(pid)
                    end = stat.group != group
                }
            case .all:
                end = settled && !zombie
            }
            if settled { known.insert(pid) }
            guard end else { continue }
            if stat.group > 1, stat.group != ownGroup, !leaders.contains(stat.group) {
                _ = kill(-stat.group, SIGKILL)
            }
            _ = kill(pid, SIGKILL)
            sweep.ended += 1
        }
        let pending = adopted.withLock { set -> Set<pid_t> in
            set.formUnion(known)
            return set
        }
        var reaped = Set<pid_t>()
        for pid in pending where Self.reap(pid) { reaped.insert(pid) }
        sweep.remaining = adopted.withLock { set -> Int in
            set.subtract(reaped)
            return set.count
        }
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
