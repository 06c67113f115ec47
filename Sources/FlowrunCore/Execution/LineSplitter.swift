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
/// Invalid UTF-8 is decoded with replacement characters.
struct LineSplitter {
    static let defaultMaxLineBytes = 64 * 1024

    let maxLineBytes: Int
    private var pending: [UInt8] = []

    init(maxLineBytes: Int = LineSplitter.defaultMaxLineBytes) {
        precondition(maxLineBytes >= 4)
        self.maxLineBytes = maxLineBytes
    }

    /// Consumes `bytes`, appending each completed line to `lines`.
    mutating func append(_ bytes: UnsafeRawBufferPointer, into lines: inout [String]) {
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
                        lines.append(String(decoding: piece, as: UTF8.self))
                    } else {
                        pending.append(contentsOf: piece)
                        flushOverlong(into: &lines)
                        lines.append(decodePending())
                    }
                } else {
                    pending.append(contentsOf: piece)
                    flushOverlong(into: &lines)
                    lines.append(decodePending())
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
    mutating func finish(into lines: inout [String]) {
        if !pending.isEmpty { lines.append(decodePending()) }
    }

    private mutating func decodePending() -> String {
        let line = String(decoding: pending, as: UTF8.self)
        pending.removeAll(keepingCapacity: pending.capacity <= 2 * maxLineBytes)
        return line
    }

    /// While more than `maxLineBytes` are pending, emits a bounded piece.
    private mutating func flushOverlong(into lines: inout [String]) {
        while pending.count > maxLineBytes {
            var cut = maxLineBytes
            // Back up over UTF-8 continuation bytes (at most 3) so a character is not split.
            var back = 0
            while back < 3, cut > 1, pending[cut] & 0xC0 == 0x80 {
                cut -= 1
                back += 1
            }
            if pending[cut] & 0xC0 == 0x80 { cut = maxLineBytes }
            lines.append(String(decoding: pending[..<cut], as: UTF8.self))
            pending.removeFirst(cut)
        }
    }
}
