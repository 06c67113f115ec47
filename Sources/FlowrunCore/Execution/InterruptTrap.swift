#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Synchronization

/// Turns SIGINT, SIGTERM and SIGHUP into an orderly end of the run.
///
/// The first of them calls `onInterrupt` (the CLI cancels the executor's task
/// there: running groups get SIGTERM, then SIGKILL after the grace, and the
/// partial report still comes out). A second SIGINT skips the grace: every
/// live process group gets SIGKILL at once. SIGPIPE is ignored so that a
/// closed stdout shows up as a failed write (`FileDescriptorSink.isBroken`).
///
/// The signals are received on Dispatch sources, not in a signal handler,
/// so the callback may do anything.
public final class InterruptTrap: @unchecked Sendable {
    // @unchecked: `sources` is written only in `init`; the rest is behind the Mutex.
    private let first = Mutex<Int32?>(nil)
    private var sources: [any DispatchSourceSignal] = []
    private let queue = DispatchQueue(label: "flowrun.signals")

    /// Installs the trap. Keep the value alive for as long as the run lasts.
    public init(
        registry: ProcessGroupRegistry = .shared,
        onInterrupt: @escaping @Sendable (Int32) -> Void
    ) {
        signal(SIGPIPE, SIG_IGN)
        for number in [SIGINT, SIGTERM, SIGHUP] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [weak self] in
                self?.handle(number, registry: registry, onInterrupt: onInterrupt)
            }
            source.activate()
            sources.append(source)
        }
    }

    private func handle(
        _ number: Int32, registry: ProcessGroupRegistry, onInterrupt: @Sendable (Int32) -> Void
    ) {
        let isFirst = first.withLock { current -> Bool in
            guard current == nil else { return false }
            current = number
            return true
        }
        if isFirst {
            onInterrupt(number)
        } else if number == SIGINT {
            registry.killAll()
        }
    }

    /// The first signal received, if any; the CLI maps it with `ExitStatus(interruptedBy:)`.
    public var receivedSignal: Int32? { first.withLock { $0 } }

    /// The exit status for an interrupted run, or nil if no signal came.
    public var exitStatus: ExitStatus? { receivedSignal.flatMap { ExitStatus(interruptedBy: $0) } }
}
