/// The bytes of a workflow file with a lazily built index of line starts, for
/// turning byte offsets into locations and locations back into source lines.
public struct SourceText: Sendable {
    /// The file's name as the user gave it; used in diagnostics.
    public var path: String
    /// UTF-8 bytes, a leading byte-order mark removed.
    public var bytes: [UInt8]

    public init(path: String, bytes: [UInt8]) {
        self.path = path
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            self.bytes = Array(bytes.dropFirst(3))
        } else {
            self.bytes = bytes
        }
    }

    /// Byte offsets where lines start. `\r\n`, `\n` and a lone `\r` each end a line.
    public func lineStarts() -> [Int] {
        var starts = [0]
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b == 0x0A {
                starts.append(i + 1)
            } else if b == 0x0D {
                if i + 1 < n, bytes[i + 1] == 0x0A { i += 1 }
                starts.append(i + 1)
            }
            i += 1
        }
        return starts
    }

    /// The location of a byte offset; columns count Unicode scalars.
    public func location(ofByte offset: Int) -> SourceLocation {
        var line = 1
        var lineStart = 0
        var i = 0
        let end = min(offset, bytes.count)
        while i < end {
            let b = bytes[i]
            if b == 0x0A || (b == 0x0D && !(i + 1 < bytes.count && bytes[i + 1] == 0x0A)) {
                line += 1
                lineStart = i + 1
            }
            i += 1
        }
        var column = 1
        for j in lineStart..<end where bytes[j] & 0xC0 != 0x80 { column += 1 }
        return SourceLocation(line: line, column: column)
    }

    /// The text of a 1-based line without its line break; nil past the end.
    public func line(_ number: Int) -> String? {
        let starts = lineStarts()
        guard number >= 1, number <= starts.count else { return nil }
        let start = starts[number - 1]
        var end = number < starts.count ? starts[number] : bytes.count
        while end > start, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}
