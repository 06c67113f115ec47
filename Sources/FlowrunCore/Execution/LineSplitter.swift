#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits a byte stream into lines, with a bound on how long a line may grow.
///
/// Invariants: a line never contains `\n`; a line longer than `maxLineBytes`
/// is emitted in pieces of at most `maxLineBytes` bytes (cut at a UTF-8
/// boundary where possible), so memory stays bounded whatever the input; the
/// last line is emitted by `finish` even without a trailing newline.
/// Lines stay bytes; invalid UTF-8 is replaced only when a line is read as a `String`.
struct LineSplitter {
    static let defaultMaxLineBytes = 64 * 1024

    let maxLineBytes: Int
    private var pending: [UInt8] = []

    init(maxLineBytes: Int = LineSplitter.defaultMaxLineBytes) {
        precondition(maxLineBytes >= 4)
        self.maxLineBytes = maxLineBytes
    }

    /// Consumes `bytes`, appending each completed line to `lines`.
    mutating func append(_ bytes: UnsafeRawBufferPointer, into lines: inout OutputLines) {
        guard let base = bytes.baseAddress else { return }
        var start = 0
        let end = bytes.count
        while start < end {
            let rest = end - start
            if let hit = memchr(base + start, 0x0A, rest) {
                let length = base.distance(to: UnsafeRawPointer(hit)) - start
                let piece = UnsafeRawBufferPointer(start: base + start, count: length)
                if pending.isEmpty {
                    if length <= maxLineBytes {
                        lines.append(piece)
                    } else {
                        pending.append(contentsOf: piece)
                        flushOverlong(into: &lines)
                        appendPending(to: &lines)
                    }
                } else {
                    pending.append(contentsOf: piece)
                    flushOverlong(into: &lines)
                    appendPending(to: &lines)
                }
                start += length + 1
            } else {
                pending.append(contentsOf: UnsafeRawBufferPointer(start: base + start, count: rest))
                flushOverlong(into: &lines)
                start = end
            }
        }
    }

    /// Emits the last line if the stream did not end with a newline.
    mutating func finish(into lines: inout OutputLines) {
        if !pending.isEmpty { appendPending(to: &lines) }
    }

    private mutating func appendPending(to lines: inout OutputLines) {
        lines.append(bytesOf: pending)
        pending.removeAll(keepingCapacity: pending.capacity <= 2 * maxLineBytes)
    }

    /// While more than `maxLineBytes` are pending, emits a bounded piece.
    private mutating func flushOverlong(into lines: inout OutputLines) {
        while pending.count > maxLineBytes {
            var cut = maxLineBytes
            // Back up over UTF-8 continuation bytes (at most 3) so a character is not split.
            var back = 0
            while back < 3, cut > 1, pending[cut] & 0xC0 == 0x80 {
                cut -= 1
                back += 1
            }
            if pending[cut] & 0xC0 == 0x80 { cut = maxLineBytes }
            lines.append(bytesOf: pending[..<cut])
            pending.removeFirst(cut)
        }
    }
}
