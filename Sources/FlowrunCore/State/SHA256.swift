import CFlowrunShims

/// A SHA-256 digest: 32 bytes, shown as 64 lowercase hex digits.
public struct SHA256Digest: Sendable, Hashable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        self.bytes = bytes
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
        self.bytes = bytes
    }

    public var hex: String {
        let table = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(table[Int(byte >> 4)])
            out.append(table[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
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
        var out = [UInt8](repeating: 0, count: 32)
        if let digest {
            flowrun_sha256_finish(digest, &out)
            self.digest = nil
        }
        return SHA256Digest(bytes: out)!
    }

    /// The digest of `bytes` in one call.
    public static func digest(_ bytes: [UInt8]) -> SHA256Digest {
        let stream = SHA256Stream()
        stream.update(bytes)
        return stream.finish()
    }
}
