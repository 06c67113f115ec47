#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CFlowrunShims
import Synchronization

/// The one thread that owns every task process of this flowrun: it watches
/// their pidfds and output pipes with epoll (`poll` and `waitid` elsewhere),
/// reaps them with `wait4`, fires the SIGKILL deadlines of groups being ended,
/// and resumes each attempt's continuation when it is over.
///
/// Why a thread of its own and no Dispatch source: Dispatch sources on
/// pidfds and pipes crashed libdispatch's manager thread about once in a
/// dozen runs of 1,000 concurrent tasks (issue 12), whatever the descriptor
/// ownership. Here no descriptor is closed while it is watched (it is
/// removed from epoll first), and nothing else closes them.
///
/// The Swift side talks to the loop through `inbox` and a wake-up pipe. The
/// SIGCHLD handler writes to the same pipe (byte 1), which is how adopted
/// orphans are noticed: `/proc` is swept only then, not after every task.
final class ProcessEventLoop: @unchecked Sendable {
    // @unchecked: everything but `inbox` and `wakeWrite` belongs to the loop's thread.
    static let shared = ProcessEventLoop()

    private enum Command {
        case add(LoopAttempt)
        case timer(ContinuousClock.Instant, @Sendable () -> Void)
        case watchOrphans(ChildSubreaper)
    }

    private static let readSize = 1 << 20
    private static let wakeToken: UInt64 = 0
    /// How long an exited task's pipes may stay open before the subreaper
    /// looks for who holds them. A sibling task's child holds copies between
    /// its clone and its exec, for microseconds; a sweep of `/proc` for that
    /// cost more than anything else flowrun did per quick task.
    private static let pipeGrace = Duration.milliseconds(2)

    private let inbox = Mutex<[Command]>([])
    private let wakeRead: CInt
    private let wakeWrite: CInt
    private var poller = LoopPoller()
    private var ready: [UInt64] = []
    private var attempts: [UInt64: LoopAttempt] = [:]
    /// Attempts whose shell has exited (waiting for their group or pipes): the
    /// only ones with deadlines, so that a wake-up with 1,000 tasks running
    /// does not look at all of them.
    private var settling: Set<UInt64> = []
    /// Attempts without a pidfd, checked with `waitid` on a short tick.
    private var unwatched: Set<UInt64> = []
    private var timers: [(at: ContinuousClock.Instant, action: @Sendable () -> Void)] = []
    private var nextID: UInt64 = 1
    private var subreaper: ChildSubreaper?
    private var orphanCheckPending = false
    private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: readSize, alignment: 16)

    private init() {
        var fds: [CInt] = [-1, -1]
        precondition(flowrun_cloexec_pipe(&fds) == 0, "cannot create the event loop's pipe")
        for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        (wakeRead, wakeWrite) = (fds[0], fds[1])
        poller.add(wakeRead, token: Self.wakeToken)
        #if canImport(Darwin)
        var thread: pthread_t?
        let started = pthread_create(&thread, nil, { context in
            Unmanaged<ProcessEventLoop>.fromOpaque(context).takeUnretainedValue().run()
        }, Unmanaged.passUnretained(self).toOpaque())
        precondition(started == 0, "cannot start the event loop's thread")
        if let thread { pthread_detach(thread) }
        #else
        var thread = pthread_t()
        let started = pthread_create(&thread, nil, { context in
            Unmanaged<ProcessEventLoop>.fromOpaque(context!).takeUnretainedValue().run()
        }, Unmanaged.passUnretained(self).toOpaque())
        precondition(started == 0, "cannot start the event loop's thread")
        pthread_detach(thread)
        #endif
    }

    /// Watches `attempt` until it is over; returns what it left.
    func run(_ attempt: LoopAttempt) async -> LoopAttempt.Finished {
        await withCheckedContinuation { continuation in
            attempt.continuation = continuation
            send(.add(attempt))
        }
    }

    /// Runs `action` on the loop's thread at `instant` (SIGKILL deadlines).
    func schedule(at instant: ContinuousClock.Instant, _ action: @escaping @Sendable () -> Void) {
        send(.timer(instant, action))
    }

    /// From now on, a SIGCHLD makes the loop look for adopted orphans to reap.
    func watchOrphans(with reaper: ChildSubreaper) {
        send(.watchOrphans(reaper))
        _ = flowrun_notify_child_exits(wakeWrite)
    }

    private func send(_ command: Command) {
        inbox.withLock { $0.append(command) }
        var byte: UInt8 = 0
        _ = write(wakeWrite, &byte, 1)
    }

    // MARK: - On the loop's thread

    private func run() -> Never {
        while true {
            poller.wait(timeout: timeout(), into: &ready)
            for token in ready {
                if token == Self.wakeToken {
                    drainWakePipe()
                    continue
                }
                guard let attempt = attempts[token >> 2] else { continue }
                let kind = Int(token & 3)
                if kind == 0 {
                    childExited(attempt, id: token >> 2)
                } else {
                    read(attempt, pipe: kind - 1, id: token >> 2)
                }
            }
            for command in inbox.withLock({ commands in defer { commands = [] }; return commands }) {
                switch command {
                case .add(let attempt): add(attempt)
                case .timer(let instant, let action): timers.append((instant, action))
                case .watchOrphans(let reaper): subreaper = reaper
                }
            }
            fireTimers()
            for id in unwatched {
                if let attempt = attempts[id], attempt.phase == .running, attempt.hasExited { childExited(attempt, id: id) }
            }
            advanceDeadlines()
            if orphanCheckPending { checkOrphans() }
        }
    }

    private func timeout() -> CInt {
        var nearest: ContinuousClock.Instant? = timers.map(\.at).min()
        for id in settling {
            if let deadline = attempts[id]?.deadline, nearest.map({ deadline < $0 }) ?? true { nearest = deadline }
        }
        if !unwatched.isEmpty || orphanCheckPending {
            let tick = ContinuousClock.now + .milliseconds(5)
            if nearest.map({ tick < $0 }) ?? true { nearest = tick }
        }
        guard let nearest else { return -1 }
        let wait = nearest - .now
        if wait <= .zero { return 0 }
        let (seconds, attoseconds) = wait.components
        return CInt(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1)
    }

    private func drainWakePipe() {
        var bytes = [UInt8](repeating: 0, count: 256)
        while true {
            let count = systemRead(wakeRead, &bytes, bytes.count)
            guard count > 0 else { return }
            if bytes[0..<count].contains(1) { orphanCheckPending = subreaper != nil }
        }
    }

    private func add(_ attempt: LoopAttempt) {
        let id = nextID
        nextID += 1
        attempts[id] = attempt
        for (index, fd) in attempt.pipes.enumerated() where fd >= 0 {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            poller.add(fd, token: id << 2 | UInt64(index + 1))
        }
        if attempt.pidfd >= 0 {
            poller.add(attempt.pidfd, token: id << 2)
        } else {
            unwatched.insert(id)
        }
    }

    /// Reads what `pipe` holds now, up to a few buffers, so one busy pipe cannot starve the rest.
    private func read(_ attempt: LoopAttempt, pipe index: Int, id: UInt64) {
        for _ in 0..<4 {
            let fd = attempt.pipes[index]
            guard fd >= 0 else { return }
            let count = systemRead(fd, buffer.baseAddress, buffer.count)
            if count > 0 {
                attempt.collectors[index].take(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                if count < buffer.count { return }
            } else if count == 0 || (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK) {
                closePipe(attempt, index)
                if !attempt.pipesOpen { progress(attempt, id: id) }
                return
            } else if errno != EINTR {
                return
            }
        }
    }

    /// Reads both pipes until they would block (or end), without waiting.
    private func drain(_ attempt: LoopAttempt, id: UInt64) {
        for index in attempt.pipes.indices {
            while attempt.pipes[index] >= 0 {
                let count = systemRead(attempt.pipes[index], buffer.baseAddress, buffer.count)
                if count > 0 {
                    attempt.collectors[index].take(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                } else if count < 0, errno == EINTR {
                    continue
                } else if count < 0, errno == EAGAIN || errno == EWOULDBLOCK {
                    break
                } else {
                    closePipe(attempt, index)
                }
            }
        }
    }

    private func closePipe(_ attempt: LoopAttempt, _ index: Int) {
        let fd = attempt.pipes[index]
        guard fd >= 0 else { return }
        poller.remove(fd)
        _ = systemClose(fd)
        attempt.pipes[index] = -1
        attempt.collectors[index].finish()
    }

    /// The shell exited (it is a zombie until `finishExit` reaps it).
    private func childExited(_ attempt: LoopAttempt, id: UInt64) {
        guard attempt.phase == .running else { return }
        if attempt.pidfd >= 0 { poller.remove(attempt.pidfd) }
        unwatched.remove(id)
        settling.insert(id)
        drain(attempt, id: id)
        if let deadline = attempt.group.killDeadline, attempt.pipesOpen, deadline > .now {
            attempt.phase = .awaitingGroup
            attempt.deadline = deadline
        } else if attempt.pipesOpen, attempt.subreaper != nil {
            // Most often the pipes close within the grace; then no sweep at all.
            attempt.phase = .awaitingGroup
            attempt.inGrace = true
            attempt.deadline = .now + Self.pipeGrace
        } else {
            finishExit(attempt, id: id)
        }
    }

    /// SIGKILL to what is left of the group while the zombie shell still pins
    /// its id, the subreaper's look for escapees if a pipe is still held, then reaping.
    private func finishExit(_ attempt: LoopAttempt, id: UInt64) {
        attempt.group.release()
        if attempt.pipesOpen, let reaper = attempt.subreaper {
            attempt.sweep = reaper.sweep(.attempt(identity: attempt.identity, group: attempt.pid))
        }
        attempt.reap()
        if attempt.pidfd >= 0 {
            _ = systemClose(attempt.pidfd)
            attempt.pidfd = -1
        }
        attempt.phase = .draining
        attempt.deadline = ContinuousClock.now + attempt.drainLimit
        drain(attempt, id: id)
        progress(attempt, id: id)
    }

    /// Moves an attempt on after its pipes changed.
    private func progress(_ attempt: LoopAttempt, id: UInt64) {
        switch attempt.phase {
        case .running:
            return
        case .awaitingGroup:
            if !attempt.pipesOpen { finishExit(attempt, id: id) }
        case .draining:
            guard !attempt.pipesOpen else { return }
            complete(attempt, id: id)
        }
    }

    private func complete(_ attempt: LoopAttempt, id: UInt64) {
        attempts[id] = nil
        unwatched.remove(id)
        settling.remove(id)
        if let sweep = attempt.sweep, sweep.remaining > 0 {
            _ = attempt.subreaper?.sweep(.none)
        }
        let continuation = attempt.continuation
        attempt.continuation = nil
        continuation?.resume(returning: attempt.finished)
    }

    private func advanceDeadlines() {
        guard !settling.isEmpty else { return }
        let now = ContinuousClock.now
        for id in settling {
            guard let attempt = attempts[id] else { continue }
            if attempt.phase == .awaitingGroup, let killed = attempt.group.killDeadline, killed < (attempt.deadline ?? killed) {
                attempt.deadline = killed  // a second Ctrl-C moved the kill forward
            }
            guard let deadline = attempt.deadline, deadline <= now else { continue }
            switch attempt.phase {
            case .running:
                break
            case .awaitingGroup:
                attempt.deadline = nil
                finishExit(attempt, id: id)
            case .draining:
                // Still held open by a process outside the group: give up on it.
                attempt.forced = attempt.pipesOpen
                for index in attempt.pipes.indices { closePipe(attempt, index) }
                complete(attempt, id: id)
            }
        }
    }

    private func fireTimers() {
        guard !timers.isEmpty else { return }
        let now = ContinuousClock.now
        var due: [@Sendable () -> Void] = []
        timers.removeAll { timer in
            guard timer.at <= now else { return false }
            due.append(timer.action)
            return true
        }
        for action in due { action() }
    }

    /// After a SIGCHLD: if an exited child is no task shell of this loop, it
    /// is an adopted orphan, and the subreaper's sweep reaps it.
    private func checkOrphans() {
        guard let subreaper else {
            orphanCheckPending = false
            return
        }
        var info = siginfo_t()
        let rc = waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT)
        let pid = Self.exitedPid(info)
        if rc != 0 || pid == 0 {
            orphanCheckPending = false
            return
        }
        if let leader = attempts.values.first(where: { $0.pid == pid }) {
            // A task shell whose exit is about to be (or, while its group is
            // ending, is kept) seen; it may hide an orphan behind it.
            if leader.phase == .awaitingGroup {
                // In its pipe grace it is reaped within milliseconds: look again then.
                if leader.inGrace && leader.group.killDeadline == nil { return }
                _ = subreaper.sweep(.none)
                orphanCheckPending = false
            }
            return
        }
        // A task's shell that exited before its attempt reached the loop
        // (a quick command: 1 in 8 of 1,000 `/bin/true`): no orphan, and no
        // sweep of /proc for it. The check stays pending, so whatever exited
        // behind it is looked at once the loop has reaped it.
        if subreaper.registry.leads(pid) { return }
        _ = subreaper.sweep(.none)
        orphanCheckPending = false
    }

    private static func exitedPid(_ info: siginfo_t) -> pid_t {
        #if canImport(Glibc)
        return info._sifields._sigchld.si_pid
        #else
        return info.si_pid
        #endif
    }
}

@inline(__always)
private func systemRead(_ fd: CInt, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.read(fd, buffer, count)
    #else
    return Darwin.read(fd, buffer, count)
    #endif
}

@inline(__always)
private func systemClose(_ fd: CInt) -> CInt {
    #if canImport(Glibc)
    return Glibc.close(fd)
    #else
    return Darwin.close(fd)
    #endif
}
