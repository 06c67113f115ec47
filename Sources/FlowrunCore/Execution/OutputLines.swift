/// A batch of complete output lines, kept as the bytes that were read.
///
/// Lines are stored back to back without their newlines, with the end offset
/// of each. Reading a line as a `String` decodes it (invalid UTF-8 becomes
/// U+FFFD); writers that only copy output, like the prefixed live view, use
/// the bytes and never build a `String` per line. One batch per pipe read:
/// a million lines cost a few thousand allocations, not a million.
public struct OutputLines: Sendable, Equatable, RandomAccessCollection, ExpressibleByArrayLiteral {
    public private(set) var bytes: [UInt8] = []
    /// `ends[i]` is where line `i` ends in `bytes` (exclusive).
    public private(set) var ends: [Int] = []

    public init() {}

    public init(_ lines: some Sequence<String>) {
        for line in lines { append(line) }
    }

    public init(arrayLiteral lines: String...) {
        self.init(lines)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { ends.count }

    /// Line `index`, decoded.
    public subscript(index: Int) -> String {
        String(decoding: bytes[start(of: index)..<ends[index]], as: UTF8.self)
    }

    /// Where line `index` starts in `bytes`.
    public func start(of index: Int) -> Int {
        index == 0 ? 0 : ends[index - 1]
    }

    /// Total bytes of all lines, newlines not counted.
    public var byteCount: Int { bytes.count }

    public mutating func append(_ line: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: line)
        ends.append(bytes.count)
    }

    public mutating func append(_ line: String) {
        bytes.append(contentsOf: line.utf8)
        ends.append(bytes.count)
    }

    public mutating func append<C: Collection<UInt8>>(bytesOf line: C) {
        bytes.append(contentsOf: line)
        ends.append(bytes.count)
    }

    public mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
    }

    /// Every line with `prefix` before it and a newline after, as one buffer.
    public func prefixed(by prefix: [UInt8]) -> [UInt8] {
        let total = bytes.count + ends.count * (prefix.count + 1)
        return [UInt8](unsafeUninitializedCapacity: total) { out, count in
            bytes.withUnsafeBufferPointer { source in
                prefix.withUnsafeBufferPointer { head in
                    var at = 0
                    var start = 0
                    for end in ends {
                        out.baseAddress!.advanced(by: at).update(from: head.baseAddress!, count: head.count)
                        at += head.count
                        let length = end - start
                        if length > 0 {
                            out.baseAddress!.advanced(by: at).update(from: source.baseAddress!.advanced(by: start), count: length)
                        }
                        at += length
                        out[at] = 0x0A
                        at += 1
                        start = end
                    }
                }
            }
            count = total
        }
    }
}
