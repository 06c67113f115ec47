/// One line of a text report made in a reused byte buffer: pieces are copied in
/// as UTF-8, padding is bytes, and only the finished line becomes a String.
/// Widths are counted in Characters, as the report's columns are.
struct LineBuffer {
    private var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(256) }

    mutating func clear() { bytes.removeAll(keepingCapacity: true) }

    static func += (line: inout LineBuffer, text: String) { line.bytes.append(contentsOf: text.utf8) }

    /// `count` spaces; none for a count below one.
    mutating func spaces(_ count: Int) {
        if count > 0 { bytes.append(contentsOf: repeatElement(0x20, count: count)) }
    }

    /// `text` padded with spaces to `width` Characters, on the right (or the left).
    mutating func pad(_ text: String, _ width: Int, left: Bool = false) {
        let gap = width - text.count
        if left { spaces(gap) }
        self += text
        if !left { spaces(gap) }
    }

    /// Drops the spaces at its end (empty trailing columns).
    mutating func trimTrailingSpaces() {
        while bytes.last == 0x20 { bytes.removeLast() }
    }

    var text: String { String(decoding: bytes, as: UTF8.self) }
}
