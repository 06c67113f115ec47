/// What one pipe of an attempt produced: it splits the bytes the event loop
/// read into lines for `onLines`, keeps the bytes the task's result needs,
/// and the last lines (a failure's stderr tail).
///
/// Used only on the event loop's thread, so it needs no lock. `onLines` runs
/// on that thread too: a slow consumer (a full stdout) holds up reading, and
/// the tasks then block on their full pipes — back-pressure, not buffering.
struct OutputCollector {
    let stream: OutputStreamKind
    private var splitter: LineSplitter
    private let captureLimit: Int
    private let tailLines: Int
    private let mask: SecretMask
    private let onLines: @Sendable (OutputStreamKind, OutputLines) -> Void
    private(set) var captured: [UInt8] = []
    private(set) var truncated = false
    private(set) var tail: [String] = []

    init(
        stream: OutputStreamKind, captureLimit: Int, tailLines: Int, mask: SecretMask,
        maxLineBytes: Int = LineSplitter.defaultMaxLineBytes,
        onLines: @escaping @Sendable (OutputStreamKind, OutputLines) -> Void
    ) {
        self.stream = stream
        self.splitter = LineSplitter(maxLineBytes: maxLineBytes)
        self.captureLimit = captureLimit
        self.tailLines = tailLines
        self.mask = mask
        self.onLines = onLines
    }

    /// Takes one read's bytes.
    mutating func take(_ bytes: UnsafeRawBufferPointer) {
        capture(bytes)
        var lines = OutputLines()
        splitter.append(bytes, into: &lines)
        deliver(&lines)
    }

    /// The pipe reached its end (or was closed): hands out the last partial line.
    mutating func finish() {
        var lines = OutputLines()
        splitter.finish(into: &lines)
        deliver(&lines)
    }

    /// The captured bytes; once more was produced than the limit, they end at
    /// the last line break within it (or at the limit, for one long line).
    var result: (bytes: [UInt8], truncated: Bool) {
        guard truncated, let lastBreak = captured.lastIndex(of: 0x0A) else { return (captured, truncated) }
        return (Array(captured[...lastBreak]), true)
    }

    private mutating func capture(_ bytes: UnsafeRawBufferPointer) {
        guard captureLimit > 0, !truncated else { return }
        let room = captureLimit - captured.count
        if room >= bytes.count {
            captured.append(contentsOf: bytes)
        } else {
            if room > 0 { captured.append(contentsOf: bytes[0..<room]) }
            truncated = true
        }
    }

    private mutating func deliver(_ lines: inout OutputLines) {
        guard !lines.isEmpty else { return }
        if !mask.isEmpty { lines = OutputLines(lines.map(mask.apply)) }
        if tailLines > 0 {
            tail.append(contentsOf: lines.suffix(tailLines))
            if tail.count > tailLines { tail.removeFirst(tail.count - tailLines) }
        }
        onLines(stream, lines)
    }
}
