#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a task's fingerprint is computed from: everything that decides what it does.
///
/// The inherited environment is left out (only the task's own `env`, after
/// expansion): `${{ env.NAME }}` puts what a task reads of it into its command
/// or env, and a fingerprint of the whole environment would change at every login.
public struct FingerprintInput: Sendable {
    /// A source file: its path as matched (relative to the working directory) and its contents' digest.
    public struct Source: Sendable, Hashable {
        public var path: String
        public var digest: SHA256Digest

        public init(path: String, digest: SHA256Digest) {
            self.path = path
            self.digest = digest
        }
    }

    /// The expanded action, as words: `["run", command]`, `["sleep", "1.5"]`, or each step's words in order.
    public var action: [String]
    public var shell: [String]
    /// The task's environment after expansion; order does not matter, a later duplicate wins.
    public var environment: [(name: String, value: String)]
    public var workingDirectory: String
    /// Source files, in any order.
    public var sources: [Source]

    public init(
        action: [String], shell: [String] = [], environment: [(name: String, value: String)] = [],
        workingDirectory: String, sources: [Source] = []
    ) {
        self.action = action
        self.shell = shell
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.sources = sources
    }
}

/// The SHA-256 of a task's `FingerprintInput`: equal inputs give equal
/// fingerprints in every process, whatever order env entries or files came in.
///
/// Each field is written as a tag byte, its length (8 bytes, little-endian)
/// and its UTF-8 bytes, so no two different inputs encode to the same bytes
/// (`["a b"]` and `["a", "b"]` differ). A format byte leads, to change the
/// encoding later without reusing old fingerprints by accident.
public struct Fingerprint: Sendable, Hashable, CustomStringConvertible {
    public let digest: SHA256Digest

    public init(digest: SHA256Digest) {
        self.digest = digest
    }

    public init(_ input: FingerprintInput) {
        let stream = SHA256Stream()
        var version = Self.encodingVersion
        withUnsafeBytes(of: &version) { stream.update($0) }
        func field(_ tag: UInt8, _ text: String) {
            // Tag and length from the stack: no array per field.
            var header = (tag, UInt64(text.utf8.count).littleEndian)
            withUnsafeBytes(of: &header.0) { stream.update($0) }
            withUnsafeBytes(of: &header.1) { stream.update($0) }
            stream.update(text)
        }
        for word in input.action { field(0x01, word) }
        for word in input.shell { field(0x02, word) }
        var environment: [String: String] = [:]
        for entry in input.environment { environment[entry.name] = entry.value }
        for name in environment.keys.sorted(by: Self.byteOrder) {
            field(0x03, name)
            field(0x04, environment[name]!)
        }
        field(0x05, input.workingDirectory)
        for source in input.sources.sorted(by: { Self.byteOrder($0.path, $1.path) }) {
            field(0x06, source.path)
            field(0x07, source.digest.hex)
        }
        digest = stream.finish()
    }

    public var hex: String { digest.hex }
    public var description: String { digest.hex }

    static let encodingVersion: UInt8 = 1

    /// Order by UTF-8 bytes: the same in every locale and process.
    static func byteOrder(_ a: String, _ b: String) -> Bool {
        // One memcmp over the contiguous bytes (sorting 100,000 names byte by byte through
        // the generic path was 4.5% of a big run's CPU); the generic path otherwise.
        let ordered = a.utf8.withContiguousStorageIfAvailable { x in
            b.utf8.withContiguousStorageIfAvailable { y -> Bool in
                let common = min(x.count, y.count)
                let order = common == 0 ? 0 : memcmp(x.baseAddress!, y.baseAddress!, common)
                return order != 0 ? order < 0 : x.count < y.count
            }
        }
        return (ordered ?? nil) ?? a.utf8.lexicographicallyPrecedes(b.utf8)
    }
}
