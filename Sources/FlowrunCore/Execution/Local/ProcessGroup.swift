#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Synchronization

/// One task attempt's process group, and the only code that signals it.
///
/// The group's id is the pid of the task's shell, which runs in its own
/// session (pgid == pid). Invariant: signals go to `-pgid` only while the
/// group is attached and not yet released; the runner releases it *before*
/// the shell is reaped, so the zombie leader pins the id and a signal can
/// never reach an unrelated group that reused the number.
public final class ProcessGroup: Sendable {
    private struct State {
        var pgid: pid_t?
        var released = false
        /// When ending was requested: the moment SIGKILL is due.
        var killDeadline: ContinuousClock.Instant?
        var killed = false
    }

    /// A signal flowrun sent to a task's group: what `-v` logs.
    public struct SignalNote: Sendable, Equatable {
        /// `stage/task`, or "" when the group was made without one.
        public var task: String
        public var group: pid_t
        public var signal: Int32
    }

    private let state = Mutex(State())
    private let label: String
    private let observer: (@Sendable (SignalNote) -> Void)?

    public init(label: String = "", observer: (@Sendable (SignalNote) -> Void)? = nil) {
        self.label = label
        self.observer = observer
    }

    /// The group id once the process exists, until it is released.
    public var id: pid_t? { state.withLock { $0.released ? nil : $0.pgid } }

    /// The pid of the group's leader (the task's shell) once spawned, also
    /// after release: the runner unregisters the group only once the shell
    /// is reaped, so until then this pid is a child of flowrun that belongs
    /// to Subprocess and must not be reaped by anyone else.
    var leader: pid_t? { state.withLock { $0.pgid } }

    /// True once `terminate` or `kill` was requested.
    public var isEnding: Bool { state.withLock { $0.killDeadline != nil || $0.killed } }

    /// When SIGKILL is (or was) due, if ending was requested.
    var killDeadline: ContinuousClock.Instant? { state.withLock { $0.killed ? .now : $0.killDeadline } }

    /// Records the group's id right after spawning; an ending requested
    /// earlier is carried out now, so a request racing the spawn is not lost.
    func attach(_ pgid: pid_t) {
        state.withLock { state in
            state.pgid = pgid
            if state.killed {
                signalGroup(&state, SIGKILL, logged: true)
            } else if state.killDeadline != nil {
                signalGroup(&state, SIGTERM, logged: true)
            }
        }
    }

    /// Asks the group to end: SIGTERM now, SIGKILL to the whole group after `grace`.
    /// Repeated calls do not extend the deadline.
    public func terminate(grace: Duration) {
        let deadline: ContinuousClock.Instant? = state.withLock { state in
            guard state.killDeadline == nil, !state.killed, !state.released else { return nil }
            let deadline = ContinuousClock.now + grace
            state.killDeadline = deadline
            signalGroup(&state, SIGTERM, logged: true)
            return deadline
        }
        guard deadline != nil else { return }
        // The SIGKILL is due on the process loop's thread (no Dispatch timer on the process path).
        ProcessEventLoop.shared.schedule(at: deadline!) { [self] in
            kill()
        }
    }

    /// SIGKILL to the whole group now.
    public func kill() {
        state.withLock { state in
            guard !state.released else { return }
            state.killed = true
            signalGroup(&state, SIGKILL, logged: true)
        }
    }

    /// Final sweep once the shell has exited: SIGKILL whatever is left of the
    /// group, then never signal it again.
    func release() {
        state.withLock { state in
            guard !state.released else { return }
            signalGroup(&state, SIGKILL)
            state.released = true
        }
    }

    /// `logged`: an ending flowrun decided (timeout, fail-fast, interrupt);
    /// the sweep of `release` after every task's exit is cleanup and is not logged.
    private func signalGroup(_ state: inout State, _ signal: CInt, logged: Bool = false) {
        guard let pgid = state.pgid, pgid > 1, !state.released else { return }
        #if canImport(Glibc)
        let sent = Glibc.kill(-pgid, signal) == 0
        #else
        let sent = Darwin.kill(-pgid, signal) == 0
        #endif
        if logged, sent, let observer { observer(SignalNote(task: label, group: pgid, signal: signal)) }
    }
}

extension Duration {
    /// This duration for Dispatch, clamped at zero.
    var dispatchInterval: DispatchTimeInterval {
        let (seconds, attoseconds) = components
        let nanos = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if nanos.overflow { return .seconds(Int(clamping: seconds)) }
        return .nanoseconds(Int(max(0, nanos.partialValue + attoseconds / 1_000_000_000)))
    }

    /// This duration in seconds, as a floating-point number.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
