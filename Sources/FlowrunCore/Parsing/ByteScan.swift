#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte searches in text. `String.contains(_:)` of a string goes through
/// _StringProcessing's Unicode-aware matching: it was a quarter of
/// `validate`'s time on a large file (`${{`) and 0.4 ms of every run's start
/// for a state folder of ~100 names (`.tmp-`). An ASCII needle matches the
/// same either way.
enum ByteScan {
    /// Whether `text` holds the bytes of `needle` anywhere: `memchr` from one
    /// occurrence of its first byte to the next, then a compare of the rest.
    static func holds(_ text: String, _ needle: StaticString) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            needle.withUTF8Buffer { marker in
                let length = marker.count
                guard length > 0 else { return true }
                guard let base = bytes.baseAddress, let wanted = marker.baseAddress, bytes.count >= length else { return false }
                var i = 0
                while i + length <= bytes.count, let found = memchr(base + i, Int32(wanted[0]), bytes.count - length + 1 - i) {
                    i = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                    if memcmp(base + i + 1, wanted + 1, length - 1) == 0 { return true }
                    i += 1
                }
                return false
            }
        }
    }
}
