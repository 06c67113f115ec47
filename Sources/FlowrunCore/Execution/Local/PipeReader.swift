#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Synchronization

/// Reads one pipe to its end on a Dispatch read source and hands out whole lines.
///
/// Why Dispatch and not Subprocess's streaming API: the streaming `run(body:)`
/// cannot return while a grandchild still holds the pipe open, and flowrun
/// must end a task when its direct child exits (`sh -c 'sleep 100 & exit 0'`).
/// Owning the read end lets the runner kill the leftover group and then drain
/// with a bounded wait. A read source never blocks a thread of Swift's
/// cooperative pool; `onLines` runs on this reader's serial queue, so a slow
/// consumer (a full stdout) stalls only this reader, which in turn stalls the
/// child on a full pipe: back-pressure instead of unbounded buffering.
///
/// Invariants: `onLines` is never called after the reader has finished; each
/// call carries the lines of one read burst, already masked, in stream order.
///
/// `@unchecked Sendable`: the mutable state is behind `Mutex`es; `source` and
/// `queue` are Dispatch objects, which are thread-safe but not annotated.
final class PipeReader: @unchecked Sendable {
    private struct State {
        var finished = false
        var forced = false
        var waiters: [Int: CheckedContinuation<Bool, Never>] = [:]
        var nextTicket = 0
        var captured: [UInt8] = []
        var capturedTruncated = false
        var tail: [String] = []
    }

    static let readSize = 64 * 1024
    /// Reads per handler call before yielding the queue, so one busy pipe cannot starve others.
    private static let readsPerEvent = 16

    let stream: OutputStreamKind
    private let fd: CInt
    private let queue: DispatchQueue
    private let source: any DispatchSourceRead
    private let state = Mutex(State())
    private let work: Mutex<(splitter: LineSplitter, buffer: UnsafeMutableRawBufferPointer?)>
    private let captureLimit: Int
    private let tailLines: Int
    private let mask: SecretMask
    private let onLines: @Sendable (OutputStreamKind, OutputLines) -> Void

    /// - Parameters:
    ///   - fd: the read end; the reader sets it non-blocking and closes it when done.
    ///   - captureLimit: how many raw bytes to keep for the task's result (0 keeps none).
    ///   - tailLines: how many of the last lines to keep (for a failure's stderr tail).
    init(
        fd: CInt, stream: OutputStreamKind, captureLimit: Int, tailLines: Int,
        maxLineBytes: Int = LineSplitter.defaultMaxLineBytes, mask: SecretMask,
        onLines: @escaping @Sendable (OutputStreamKind, OutputLines) -> Void
    ) {
        self.fd = fd
        self.stream = stream
        self.captureLimit = captureLimit
        self.tailLines = tailLines
        self.mask = mask
        self.onLines = onLines
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        queue = DispatchQueue(label: "flowrun.pipe.\(stream.rawValue)")
        source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        work = Mutex((LineSplitter(maxLineBytes: maxLineBytes), nil))
    }

    func start() {
        source.setEventHandler { [self] in readAvailable() }
        source.setCancelHandler { [self] in finish() }
        source.activate()
    }

    /// Waits until the pipe reached end of file, or until `limit` has passed,
    /// after which the read end is closed anyway. Returns false when forced.
    func waitForEnd(forcingAfter limit: Duration) async -> Bool {
        queue.asyncAfter(deadline: .now() + limit.dispatchInterval) { [self] in
            if !source.isCancelled {
                state.withLock { $0.forced = true }
                source.cancel()
            }
        }
        return await waitForEnd(atMost: nil)
    }

    /// Waits until the pipe reached end of file, or at most `limit` (nil: no
    /// limit), leaving the pipe open. Returns true at end of file.
    func waitForEnd(atMost limit: Duration?) async -> Bool {
        let ticket = state.withLock { state -> Int in
            state.nextTicket += 1
            return state.nextTicket
        }
        if let limit {
            queue.asyncAfter(deadline: .now() + limit.dispatchInterval) { [self] in
                let waiter = state.withLock { $0.waiters.removeValue(forKey: ticket) }
                waiter?.resume(returning: false)
            }
        }
        return await withCheckedContinuation { continuation in
            let done = state.withLock { state -> Bool? in
                if state.finished { return !state.forced }
                state.waiters[ticket] = continuation
                return nil
            }
            if let done { continuation.resume(returning: done) }
        }
    }

    /// Closes the read end now (used when the process could not be started).
    func close() {
        queue.async { [self] in if !source.isCancelled { source.cancel() } }
    }

    /// The captured bytes (at most `captureLimit`) and whether more were produced.
    var captured: (bytes: [UInt8], truncated: Bool) {
        state.withLock { ($0.captured, $0.capturedTruncated) }
    }

    /// The last lines read, masked.
    var tail: [String] { state.withLock { $0.tail } }

    // MARK: - On `queue`

    private func readAvailable() {
        var lines = OutputLines()
        var reachedEnd = false
        work.withLock { work in
            let buffer: UnsafeMutableRawBufferPointer
            if let existing = work.buffer {
                buffer = existing
            } else {
                buffer = .allocate(byteCount: Self.readSize, alignment: 16)
                work.buffer = buffer
            }
            for _ in 0..<Self.readsPerEvent {
                let count = read(fd, buffer.baseAddress, buffer.count)
                if count > 0 {
                    let bytes = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
                    capture(bytes)
                    work.splitter.append(bytes, into: &lines)
                    // No early exit on a short read: the end of file may
                    // already be pending, and it must be read in this burst
                    // (the source need not fire again for it).
                } else if count == 0 {
                    reachedEnd = true
                    break
                } else {
                    let error = errno
                    if error == EINTR { continue }
                    if error != EAGAIN && error != EWOULDBLOCK { reachedEnd = true }
                    break
                }
            }
        }
        deliver(&lines)
        if reachedEnd { source.cancel() }
    }

    private func capture(_ bytes: UnsafeRawBufferPointer) {
        guard captureLimit > 0 else { return }
        state.withLock { state in
            let room = captureLimit - state.captured.count
            if room >= bytes.count {
                state.captured.append(contentsOf: bytes)
            } else {
                if room > 0 { state.captured.append(contentsOf: bytes[0..<room]) }
                state.capturedTruncated = true
            }
        }
    }

    private func deliver(_ lines: inout OutputLines) {
        guard !lines.isEmpty else { return }
        if !mask.isEmpty { lines = OutputLines(lines.map(mask.apply)) }
        if tailLines > 0 {
            let kept = lines.suffix(tailLines)
            state.withLock { state in
                state.tail.append(contentsOf: kept)
                if state.tail.count > tailLines { state.tail.removeFirst(state.tail.count - tailLines) }
            }
        }
        onLines(stream, lines)
    }

    /// Cancel handler: flush the last partial line, close, wake waiters.
    private func finish() {
        var lines = OutputLines()
        work.withLock { work in
            work.splitter.finish(into: &lines)
            work.buffer?.deallocate()
            work.buffer = nil
        }
        deliver(&lines)
        closeDescriptor(fd)
        let (waiters, clean) = state.withLock { state in
            state.finished = true
            defer { state.waiters = [:] }
            return (state.waiters, !state.forced)
        }
        for waiter in waiters.values { waiter.resume(returning: clean) }
    }
}

@inline(__always)
private func closeDescriptor(_ fd: CInt) {
    #if canImport(Glibc)
    _ = Glibc.close(fd)
    #else
    _ = Darwin.close(fd)
    #endif
}
