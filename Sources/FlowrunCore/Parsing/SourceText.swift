import Synchronization

/// The bytes of a workflow file, with a sparse index for turning locations
/// back into source lines.
///
/// The index keeps a checkpoint (byte offset, line, column) every few KiB,
/// so finding any line:column scans at most that much: rendering a snippet
/// for each of many diagnostics stays linear in their number, and the index
/// itself stays small (a few hundred KiB for the largest file read). It is
/// built on the first question about a location: a valid file never asks,
/// and `counting(_:)` costs nothing until then.
public struct SourceText: Sendable {
    /// The file's name as the user gave it; used in diagnostics.
    public var path: String
    /// UTF-8 bytes, a leading byte-order mark removed.
    public let bytes: [UInt8]
    /// Which characters end a line.
    public let lineBreaks: LineBreaks
    private let index: LineIndex

    /// What ends a line: `\r\n`, `\n` and a lone `\r` always; for YAML also
    /// NEL (U+0085), LINE SEPARATOR (U+2028) and PARAGRAPH SEPARATOR (U+2029),
    /// which libyaml counts as line breaks in the locations it reports.
    public enum LineBreaks: Sendable {
        case standard
        case yaml
    }

    /// Bytes between two checkpoints, at least.
    static let checkpointSpacing = 4096

    /// A byte offset at the start of a character, and its line and column.
    private struct Checkpoint {
        var offset: Int
        var line: Int32
        var column: Int32

        func isBefore(line: Int, column: Int) -> Bool {
            (Int(self.line), Int(self.column)) <= (line, column)
        }
    }

    /// The checkpoints, made once on first use and shared by every copy of the text.
    private final class LineIndex: Sendable {
        private let checkpoints = Mutex<[Checkpoint]?>(nil)

        func checkpoints(_ bytes: [UInt8], unicodeBreaks: Bool) -> [Checkpoint] {
            checkpoints.withLock { known in
                if let known { return known }
                let built = LineIndex.build(bytes, unicodeBreaks: unicodeBreaks)
                known = built
                return built
            }
        }

        private static func build(_ bytes: [UInt8], unicodeBreaks: Bool) -> [Checkpoint] {
            bytes.withUnsafeBufferPointer { bytes in
                var checkpoints = [Checkpoint(offset: 0, line: 1, column: 1)]
                var cursor = Cursor(file: "", unicodeBreaks: unicodeBreaks)
                var next = SourceText.checkpointSpacing
                while cursor.offset < bytes.count {
                    cursor.step(bytes)
                    if cursor.offset >= next, cursor.offset < bytes.count, bytes[cursor.offset] & 0xC0 != 0x80 {
                        checkpoints.append(Checkpoint(offset: cursor.offset, line: Int32(clamping: cursor.line),
                                                      column: Int32(clamping: cursor.column)))
                        next = cursor.offset + SourceText.checkpointSpacing
                    }
                }
                return checkpoints
            }
        }
    }

    public init(path: String, bytes: [UInt8], lineBreaks: LineBreaks = .standard) {
        self.init(path: path, withoutMark: bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes,
                  lineBreaks: lineBreaks)
    }

    /// The same text with lines counted as `lineBreaks` says.
    public func counting(_ lineBreaks: LineBreaks) -> SourceText {
        lineBreaks == self.lineBreaks ? self : SourceText(path: path, withoutMark: bytes, lineBreaks: lineBreaks)
    }

    private init(path: String, withoutMark bytes: [UInt8], lineBreaks: LineBreaks) {
        self.path = path
        self.bytes = bytes
        self.lineBreaks = lineBreaks
        self.index = LineIndex()
    }

    /// A walk over the bytes that keeps line and column: `\r\n`, `\n` and a
    /// lone `\r` each end a line, and with `unicodeBreaks` NEL, U+2028 and
    /// U+2029 too; columns count Unicode scalars.
    private struct Cursor {
        let file: String
        let unicodeBreaks: Bool
        var offset = 0
        var line = 1
        var column = 1

        init(file: String, unicodeBreaks: Bool, offset: Int = 0, line: Int = 1, column: Int = 1) {
            self.file = file
            self.unicodeBreaks = unicodeBreaks
            self.offset = offset
            self.line = line
            self.column = column
        }

        var location: SourceLocation { SourceLocation(file: file, line: line, column: column) }

        mutating func step(_ bytes: UnsafeBufferPointer<UInt8>) {
            let b = bytes[offset]
            // Printable ASCII, nearly every byte of a workflow: one column on.
            if b >= 0x20, b < 0x7F {
                offset += 1
                column += 1
                return
            }
            if unicodeBreaks, b == 0xC2 || b == 0xE2, let length = SourceText.unicodeBreak(bytes, at: offset) {
                offset += length
                line += 1
                column = 1
                return
            }
            offset += 1
            if b == 0x0A || (b == 0x0D && !(offset < bytes.count && bytes[offset] == 0x0A)) {
                line += 1
                column = 1
            } else if b & 0xC0 != 0x80, b != 0x0D {
                column += 1
            }
        }
    }

    /// The location of a byte offset; columns count Unicode scalars.
    public func location(ofByte offset: Int) -> SourceLocation {
        let end = min(offset, bytes.count)
        var cursor = cursor(atLast: { $0.offset <= end })
        bytes.withUnsafeBufferPointer { bytes in
            while cursor.offset < end { cursor.step(bytes) }
        }
        return cursor.location
    }

    /// A cursor at the last checkpoint that `isBefore` accepts (checkpoints are in file order).
    private func cursor(atLast isBefore: (Checkpoint) -> Bool) -> Cursor {
        let checkpoints = index.checkpoints(bytes, unicodeBreaks: lineBreaks == .yaml)
        var low = 0
        var high = checkpoints.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if isBefore(checkpoints[mid]) { low = mid } else { high = mid - 1 }
        }
        let start = checkpoints[low]
        return Cursor(file: path, unicodeBreaks: lineBreaks == .yaml, offset: start.offset,
                      line: Int(start.line), column: Int(start.column))
    }

    /// The byte offset of a location and the column found there: the start
    /// of that character, or the end of its line when the column is past it;
    /// nil when the line does not exist.
    func offset(of location: SourceLocation) -> (offset: Int, column: Int)? {
        var cursor = cursor(atLast: { $0.isBefore(line: location.line, column: location.column) })
        return bytes.withUnsafeBufferPointer { bytes in
            while cursor.offset < bytes.count {
                if cursor.line == location.line {
                    let b = bytes[cursor.offset]
                    if isLineBreak(at: cursor.offset, bytes) || (cursor.column >= location.column && b & 0xC0 != 0x80) {
                        return (cursor.offset, cursor.column)
                    }
                }
                cursor.step(bytes)
                if cursor.line > location.line { return nil }
            }
            return cursor.line == location.line ? (cursor.offset, cursor.column) : nil
        }
    }

    /// The text of a 1-based line without its line break; nil past the end.
    public func line(_ number: Int) -> String? {
        guard number >= 1, let start = offset(of: SourceLocation(file: path, line: number, column: 1))?.offset else { return nil }
        var end = start
        bytes.withUnsafeBufferPointer { bytes in
            while end < bytes.count, !isLineBreak(at: end, bytes) { end += 1 }
        }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// At most `width` characters of the line holding `location`, the column
    /// kept inside: the whole line when it is short enough, else a window
    /// around the column. `caret` is the column's index in `text`; `cut` says
    /// whether text before the window was left out.
    public func excerpt(around location: SourceLocation, width: Int) -> (text: String, caret: Int, cut: Bool)? {
        guard location.line >= 1, let (target, found) = offset(of: location) else { return nil }
        func previous(_ i: Int) -> Int {
            var j = i - 1
            while j > 0, bytes[j] & 0xC0 == 0x80 { j -= 1 }
            return j
        }
        func next(_ i: Int) -> Int {
            var j = i + 1
            while j < bytes.count, bytes[j] & 0xC0 == 0x80 { j += 1 }
            return j
        }
        func atLineStart(_ i: Int) -> Bool { i == 0 || endsLineBreak(before: i) }
        var start = target
        var before = 0
        while before < width / 2, !atLineStart(start) { start = previous(start); before += 1 }
        var end = target
        var count = before
        while count < width, end < bytes.count, !bytes.withUnsafeBufferPointer({ isLineBreak(at: end, $0) }) {
            end = next(end)
            count += 1
        }
        // Near the end of a long line, show more of what comes before.
        while count < width, !atLineStart(start) { start = previous(start); before += 1; count += 1 }
        let text = String(decoding: bytes[start..<end], as: UTF8.self)
        // The column may lie past the end of the line (a problem at its end).
        let caret = before + max(0, location.column - found)
        return (text, caret, !atLineStart(start))
    }

    /// Whether a line break starts at byte `i`.
    private func isLineBreak(at i: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let b = bytes[i]
        if b == 0x0A || b == 0x0D { return true }
        return lineBreaks == .yaml && (b == 0xC2 || b == 0xE2) && Self.unicodeBreak(bytes, at: i) != nil
    }

    /// Whether a line break ends just before byte `i`.
    private func endsLineBreak(before i: Int) -> Bool {
        let b = bytes[i - 1]
        if b == 0x0A || b == 0x0D { return true }
        guard lineBreaks == .yaml else { return false }
        if b == 0x85 { return i >= 2 && bytes[i - 2] == 0xC2 }
        return (b == 0xA8 || b == 0xA9) && i >= 3 && bytes[i - 2] == 0x80 && bytes[i - 3] == 0xE2
    }

    /// The length of NEL (C2 85), U+2028 (E2 80 A8) or U+2029 (E2 80 A9) at `i`; nil for anything else.
    static func unicodeBreak(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        if bytes[i] == 0xC2 { return i + 1 < bytes.count && bytes[i + 1] == 0x85 ? 2 : nil }
        guard bytes[i] == 0xE2, i + 2 < bytes.count, bytes[i + 1] == 0x80 else { return nil }
        return bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9 ? 3 : nil
    }
}
