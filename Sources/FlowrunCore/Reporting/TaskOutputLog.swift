import Synchronization

/// Keeps the last bytes of every task's stdout and stderr (all attempts), for
/// reports that embed output (JUnit's `<system-out>`, `<system-err>`).
///
/// Memory is bounded: per task and stream at most `limit` bytes of lines are
/// kept; older lines are dropped and counted. Lines arrive already masked.
public final class TaskOutputLog: RunEventSink {
    /// What is left of one stream of one task.
    public struct Captured: Sendable, Hashable {
        /// The kept lines, oldest first.
        public var lines: [String] = []
        /// Bytes of lines dropped from the front to stay within the limit.
        public var droppedBytes = 0

        /// The kept text, each line ending in a newline, after a note on what was dropped.
        public var text: String {
            var out = droppedBytes > 0 ? "[… \(droppedBytes) earlier bytes omitted …]\n" : ""
            for line in lines {
                out += line
                out += "\n"
            }
            return out
        }
    }

    private struct Buffer {
        var captured = Captured()
        var bytes = 0
        /// Index of the oldest kept line in `captured.lines`; compacted now and then.
        var head = 0
        /// The attempt that wrote the last line.
        var attempt = 1
    }

    private struct Log {
        var buffers: [TaskID: [OutputStreamKind: Buffer]] = [:]
        var attempts: [TaskID: Int] = [:]
    }

    /// Bytes kept per task and stream.
    public let limit: Int
    private let log = Mutex(Log())

    public init(limit: Int = 64 * 1024) {
        self.limit = max(1, limit)
    }

    public func receive(_ event: RunEvent) {
        switch event {
        case .output(let id, let stream, let lines):
            log.withLock { log in
                let attempt = log.attempts[id] ?? 1
                var buffer = log.buffers[id]?[stream] ?? Buffer(attempt: attempt)
                // Marks where a retry's output begins in a stream an earlier attempt wrote to.
                if buffer.attempt != attempt {
                    if buffer.bytes > 0 { append("--- attempt \(attempt) ---", to: &buffer) }
                    buffer.attempt = attempt
                }
                for line in lines { append(line, to: &buffer) }
                log.buffers[id, default: [:]][stream] = buffer
            }
        case .taskStarted(let id, let attempt, _):
            log.withLock { $0.attempts[id] = attempt }
        default:
            break
        }
    }

    /// What was kept of `stream` for task `id` (empty if it wrote nothing).
    public func captured(_ id: TaskID, _ stream: OutputStreamKind) -> Captured {
        log.withLock { log in
            guard let buffer = log.buffers[id]?[stream] else { return Captured() }
            var captured = buffer.captured
            captured.lines.removeFirst(buffer.head)
            return captured
        }
    }

    private func append(_ line: String, to buffer: inout Buffer) {
        var line = line
        var size = line.utf8.count + 1
        if size > limit {
            // A single line longer than the limit keeps its end.
            let keep = limit - 1
            let cut = line.utf8.count - keep
            buffer.captured.droppedBytes += cut
            line = String(decoding: line.utf8.suffix(keep), as: UTF8.self)
            size = line.utf8.count + 1
        }
        buffer.captured.lines.append(line)
        buffer.bytes += size
        while buffer.bytes > limit {
            let dropped = buffer.captured.lines[buffer.head].utf8.count + 1
            buffer.bytes -= dropped
            buffer.captured.droppedBytes += dropped
            buffer.head += 1
        }
        if buffer.head > 1024 && buffer.head * 2 > buffer.captured.lines.count {
            buffer.captured.lines.removeFirst(buffer.head)
            buffer.head = 0
        }
    }
}
