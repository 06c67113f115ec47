#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CFlowrunShims
import Dispatch
import Synchronization

/// Turns SIGINT, SIGTERM and SIGHUP into an orderly end of the run.
///
/// The first of them calls `onInterrupt` (the CLI cancels the executor's task
/// there: running groups get SIGTERM, then SIGKILL after the grace, and the
/// partial report still comes out; clean-up stages run after it). A later
/// signal calls `onRepeat` (the CLI ends the clean-up stages there); a second
/// SIGINT also skips the grace: every live process group gets SIGKILL at
/// once. Both only once the first was acknowledged (`InterruptSequence`: two
/// SIGINTs that come together count as one). SIGPIPE is ignored so that a
/// closed stdout shows up as a failed write (`FileDescriptorSink.isBroken`).
///
/// A C handler only writes the signal's number to a pipe (see
/// `flowrun_forward_signals` for why not Dispatch signal sources); the pipe
/// is read on a Dispatch source, so the callback may do anything.
public final class InterruptTrap: @unchecked Sendable {
    // @unchecked: `source` is written only in `init`; the rest is behind the Mutex.
    private struct State {
        var sequence = InterruptSequence()
        /// Reads of the signal pipe so far, empty ones included.
        var reads = 0
    }

    private let state = Mutex(State())
    private let origin = ContinuousClock.now
    private var source: (any DispatchSourceRead)?
    private let queue = DispatchQueue(label: "flowrun.signals")

    /// Installs the trap. Keep the value alive for as long as the run lasts.
    public init(
        registry: ProcessGroupRegistry = .shared,
        onInterrupt: @escaping @Sendable (Int32) -> Void,
        onRepeat: @escaping @Sendable (Int32) -> Void = { _ in }
    ) {
        signal(SIGPIPE, SIG_IGN)
        var fds: [CInt] = [-1, -1]
        guard pipe(&fds) == 0 else {
            // Without a pipe the signals keep their default action: flowrun
            // dies, and the tasks (own sessions) would be left. Not expected.
            return
        }
        for fd in fds {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
        let (readEnd, writeEnd) = (fds[0], fds[1])
        let source = DispatchSource.makeReadSource(fileDescriptor: readEnd, queue: queue)
        source.setEventHandler { [weak self] in
            var bytes = [UInt8](repeating: 0, count: 64)
            while true {
                let count = read(readEnd, &bytes, bytes.count)
                if count < 0, errno == EINTR { continue }
                guard let self else { return }
                let batch = self.state.withLock { state -> Int in
                    state.reads += 1
                    return state.reads
                }
                guard count > 0 else { break }
                for byte in bytes[0..<count] {
                    self.handle(Int32(byte), batch: batch, registry: registry, onInterrupt: onInterrupt, onRepeat: onRepeat)
                }
            }
        }
        source.activate()
        self.source = source
        let numbers: [CInt] = [SIGINT, SIGTERM, SIGHUP]
        _ = flowrun_forward_signals(numbers, CInt(numbers.count), writeEnd)
    }

    private func handle(
        _ number: Int32, batch: Int, registry: ProcessGroupRegistry, onInterrupt: @Sendable (Int32) -> Void,
        onRepeat: @Sendable (Int32) -> Void
    ) {
        let now = ContinuousClock.now - origin
        switch state.withLock({ $0.sequence.receive(number, batch: batch, at: now) }) {
        case .stop(let number): onInterrupt(number)
        case .killNow:
            // Clean-up ended first, so that its killed tasks count as cancelled, not failed.
            onRepeat(number)
            registry.killAll()
        case .endCleanup: onRepeat(number)
        case .ignore: break
        }
    }

    /// The first signal received, if any; the CLI maps it with `ExitStatus(interruptedBy:)`.
    public var receivedSignal: Int32? { state.withLock { $0.sequence.first } }

    /// The exit status for an interrupted run, or nil if no signal came.
    public var exitStatus: ExitStatus? { receivedSignal.flatMap { ExitStatus(interruptedBy: $0) } }
}
