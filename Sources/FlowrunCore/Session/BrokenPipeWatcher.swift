import Synchronization

/// Forwards writes and calls `onBroken` once when the sink's reader has gone
/// (`flowrun … | head -1`): a closed stdout ends the run like an interrupt.
public final class BrokenPipeWatcher: TextSink {
    private let sink: FileDescriptorSink
    private let onBroken: @Sendable () -> Void
    private let fired = Mutex(false)

    public init(_ sink: FileDescriptorSink, onBroken: @escaping @Sendable () -> Void) {
        self.sink = sink
        self.onBroken = onBroken
    }

    public func write(_ text: String) {
        sink.write(text)
        checkBroken()
    }

    public func write(bytes: [UInt8]) {
        sink.write(bytes: bytes)
        checkBroken()
    }

    private func checkBroken() {
        guard sink.isBroken else { return }
        let first = fired.withLock { fired -> Bool in
            defer { fired = true }
            return !fired
        }
        if first { onBroken() }
    }
}
