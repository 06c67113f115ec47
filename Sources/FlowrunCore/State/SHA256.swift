import CFlowrunShims

/// A SHA-256 digest: 32 bytes, shown as 64 lowercase hex digits.
///
/// Held inline as four words, not an array: a run keeps one per task (a
/// 32-byte array was a 64-byte allocation each, 6.4 MB at 100,000 tasks).
public struct SHA256Digest: Sendable, Hashable, CustomStringConvertible {
    /// The bytes in order, eight to a word, the first in the highest byte.
    private var words: (UInt64, UInt64, UInt64, UInt64)

    public init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        self = bytes.withUnsafeBytes { Self(exactly: $0) }
    }

    /// From 32 bytes in order.
    init(exactly bytes: UnsafeRawBufferPointer) {
        func word(_ at: Int) -> UInt64 { bytes[at..<at + 8].reduce(0) { $0 << 8 | UInt64($1) } }
        words = (word(0), word(8), word(16), word(24))
    }

    /// Parses 64 hex digits (either case); nil for anything else.
    public init?(hex: some StringProtocol) {
        let digits = Array(hex.utf8)
        guard digits.count == 64 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        for i in stride(from: 0, to: 64, by: 2) {
            guard let high = Self.nibble(digits[i]), let low = Self.nibble(digits[i + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        self.init(bytes: bytes)
    }

    public var bytes: [UInt8] {
        [words.0, words.1, words.2, words.3].flatMap { word in (0..<8).map { UInt8(truncatingIfNeeded: word >> (56 - 8 * $0)) } }
    }

    public static func == (a: SHA256Digest, b: SHA256Digest) -> Bool {
        a.words.0 == b.words.0 && a.words.1 == b.words.1 && a.words.2 == b.words.2 && a.words.3 == b.words.3
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }

    public var hex: String {
        let table: StaticString = "0123456789abcdef"
        return String(unsafeUninitializedCapacity: 64) { out in
            var at = 0
            for word in [words.0, words.1, words.2, words.3] {
                for shift in stride(from: 60, through: 0, by: -4) {
                    out[at] = table.utf8Start[Int(word >> UInt64(shift) & 0x0F)]
                    at += 1
                }
            }
            return 64
        }
    }

    public var description: String { hex }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x61...0x66: c - 0x61 + 10
        case 0x41...0x46: c - 0x41 + 10
        default: nil
        }
    }
}

/// SHA-256 fed in pieces, through the system's libcrypto (EVP), which
/// `CFlowrunShims` loads at the first digest (CommonCrypto on macOS).
///
/// A class: it owns the C digest, freed with it. Call `finish()` once.
public final class SHA256Stream {
    private var digest: OpaquePointer?

    /// Why no digest can be made (no libcrypto could be loaded), or nil.
    public static var unavailable: String? { flowrun_sha256_unavailable().map { String(cString: $0) } }

    /// Loads the library on a thread of its own (about 1 ms on Linux) while
    /// the caller goes on, e.g. with loading and planning the workflow.
    public static func preload() { flowrun_sha256_preload() }

    public init() {
        // NULL when no SHA-256 library can be loaded (a broken install: the
        // package depends on it) or memory is exhausted, as any allocation.
        guard let digest = flowrun_sha256_new() else {
            fatalError(flowrun_sha256_unavailable().map { String(cString: $0) } ?? "SHA-256: out of memory")
        }
        self.digest = digest
    }

    deinit {
        if let digest {
            var discarded = [UInt8](repeating: 0, count: 32)
            flowrun_sha256_finish(digest, &discarded)
        }
    }

    public func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty, let digest else { return }
        flowrun_sha256_update(digest, base, bytes.count)
    }

    public func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    public func update(_ text: String) {
        var text = text
        text.withUTF8 { update(UnsafeRawBufferPointer($0)) }
    }

    public func finish() -> SHA256Digest {
        // On the stack: one digest per task, no array to allocate.
        var out: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &out) { raw in
            if let digest {
                flowrun_sha256_finish(digest, raw.baseAddress!.assumingMemoryBound(to: UInt8.self))
                self.digest = nil
            }
        }
        return withUnsafeBytes(of: &out) { SHA256Digest(exactly: $0) }
    }

    /// The digest of `bytes` in one call.
    public static func digest(_ bytes: [UInt8]) -> SHA256Digest {
        let stream = SHA256Stream()
        stream.update(bytes)
        return stream.finish()
    }
}
