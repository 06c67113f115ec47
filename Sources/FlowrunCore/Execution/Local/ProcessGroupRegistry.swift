#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Every live task process group of this flowrun process, so that a signal
/// handler can end them all and the end of a run can check none is left.
///
/// Invariant: once `terminateAll` or `killAll` was called, a group registered
/// later is ended at once, so a task spawned while flowrun is being
/// interrupted does not survive it.
public final class ProcessGroupRegistry: Sendable {
    /// The registry the process runner uses unless given another.
    public static let shared = ProcessGroupRegistry()

    private enum Mode {
        case open
        case terminating(grace: Duration)
        case killing
    }

    private let state = Mutex<(groups: [ObjectIdentifier: ProcessGroup], mode: Mode)>(([:], .open))

    private let signalObserver = Mutex<(@Sendable (ProcessGroup.SignalNote) -> Void)?>(nil)

    public init() {}

    /// Called (on any thread) for each TERM and KILL sent to a task's group
    /// from now on; `-v` logs them.
    public func observeSignals(_ observer: @escaping @Sendable (ProcessGroup.SignalNote) -> Void) {
        signalObserver.withLock { $0 = observer }
    }

    /// A new group for the attempt named `task`, reporting its signals to the observer.
    func makeGroup(task: String) -> ProcessGroup {
        guard let observer = signalObserver.withLock({ $0 }) else { return ProcessGroup(label: task) }
        return ProcessGroup(label: task, observer: observer)
    }

    func register(_ group: ProcessGroup) {
        let mode = state.withLock { state in
            state.groups[ObjectIdentifier(group)] = group
            return state.mode
        }
        switch mode {
        case .open: break
        case .terminating(let grace): group.terminate(grace: grace)
        case .killing: group.kill()
        }
    }

    func unregister(_ group: ProcessGroup) {
        _ = state.withLock { $0.groups.removeValue(forKey: ObjectIdentifier(group)) }
    }

    /// SIGTERM to every group now, SIGKILL to each after `grace`; groups registered later likewise.
    public func terminateAll(grace: Duration) {
        let groups = state.withLock { state in
            if case .open = state.mode { state.mode = .terminating(grace: grace) }
            return Array(state.groups.values)
        }
        for group in groups { group.terminate(grace: grace) }
    }

    /// SIGKILL to every group now (the second Ctrl-C); groups registered later likewise.
    public func killAll() {
        let groups = state.withLock { state in
            state.mode = .killing
            return Array(state.groups.values)
        }
        for group in groups { group.kill() }
    }

    /// Calls `body` with the leader pids of the registered groups that have
    /// one, and whether every registered group has one ("settled": no spawn
    /// is in flight, so every child of flowrun that leads no group here is an
    /// adopted orphan). No group can be registered or unregistered meanwhile.
    ///
    /// `ChildSubreaper` uses this to tell task shells, which Subprocess
    /// reaps, from adopted orphans, which it reaps itself.
    func withLeaders<T>(_ body: (_ leaders: Set<pid_t>, _ settled: Bool) -> T) -> T {
        state.withLock { state in
            var leaders = Set<pid_t>()
            var settled = true
            for group in state.groups.values {
                if let leader = group.leader { leaders.insert(leader) } else { settled = false }
            }
            return body(leaders, settled)
        }
    }

    /// Whether `pid` leads a registered group: a task's shell, possibly one
    /// whose attempt has not reached the process loop yet.
    func leads(_ pid: pid_t) -> Bool {
        state.withLock { state in state.groups.values.contains { $0.leader == pid } }
    }

    /// How many groups are registered (attempts between spawn and reaping).
    public var liveCount: Int { state.withLock { $0.groups.count } }
}

extension ProcessRequest {
    /// `stage/task`, the name of the attempt's group in `-v` signal lines.
    var groupLabel: String {
        let stage = environment.last(where: { $0.name == "FLOWRUN_STAGE" })?.value
        let task = environment.last(where: { $0.name == "FLOWRUN_TASK" })?.value
        return [stage, task].compactMap { $0 }.joined(separator: "/")
    }
}
