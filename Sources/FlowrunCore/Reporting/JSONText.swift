/// Writes JSON string literals; the one JSON escaper of flowrun.
public enum JSONText {
    /// `value` as a JSON string literal: quotes, backslashes and control
    /// characters escaped (control characters and bidi overrides as `\uXXXX`,
    /// except the usual short forms for newline, carriage return and tab).
    public static func quoted(_ value: String) -> String {
        // Byte by byte: megabytes of task output go through here, and a
        // per-scalar String append is slow. Input is valid UTF-8, so the
        // characters to escape are recognized by their encoded bytes.
        let bytes = value.utf8
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 2)
        out.append(0x22)
        func unicodeEscape(_ code: UInt32) {
            let digits = Array("0123456789ABCDEF".utf8)
            out += [0x5C, 0x75]
            for shift in stride(from: 12, through: 0, by: -4) { out.append(digits[Int((code >> UInt32(shift)) & 0xF)]) }
        }
        var iterator = bytes.makeIterator()
        var pending: [UInt8] = []
        while let byte = pending.isEmpty ? iterator.next() : pending.removeFirst() {
            switch byte {
            case 0x22: out += [0x5C, 0x22]
            case 0x5C: out += [0x5C, 0x5C]
            case 0x0A: out += [0x5C, 0x6E]
            case 0x0D: out += [0x5C, 0x72]
            case 0x09: out += [0x5C, 0x74]
            case 0x00..<0x20, 0x7F: unicodeEscape(UInt32(byte))
            // Also C1 controls (U+0080–U+009F: C2 80–9F), bidi marks and
            // overrides and the line/paragraph separators (E2 80 8E/8F/A8–AE,
            // E2 81 A6–A9): valid in JSON, but they reorder or break what a
            // terminal shows when the document is printed.
            case 0xC2:
                guard let next = iterator.next() else { out.append(byte); continue }
                if (0x80...0x9F).contains(next) { unicodeEscape(UInt32(next)) } else { out += [byte, next] }
            case 0xE2:
                guard let second = iterator.next() else { out.append(byte); continue }
                guard second == 0x80 || second == 0x81, let third = iterator.next() else {
                    out.append(byte)
                    pending.append(second)
                    continue
                }
                let code = 0x2000 | (UInt32(second & 0x3F) << 6) | UInt32(third & 0x3F)
                let escaped = code == 0x200E || code == 0x200F || (0x2028...0x202E).contains(code) || (0x2066...0x2069).contains(code)
                if escaped { unicodeEscape(code) } else { out += [byte, second, third] }
            default: out.append(byte)
            }
        }
        out.append(0x22)
        return String(decoding: out, as: UTF8.self)
    }

    /// Writes `value` as a JSON string literal, as `quoted` gives it; text
    /// with nothing to escape (most names and results) is written as it is.
    public static func write<Out: TextOutputStream>(_ value: String, to out: inout Out) {
        if needsEscaping(value) {
            out.write(quoted(value))
        } else {
            out.write("\"")
            out.write(value)
            out.write("\"")
        }
    }

    /// True when `quoted` would change a byte of `value`: a quote, a backslash,
    /// a control character, or the lead byte of a C1 control or bidi mark.
    static func needsEscaping(_ value: String) -> Bool {
        value.utf8.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x7F || $0 == 0xC2 || $0 == 0xE2 }
    }

    /// A JSON string literal, or `null`.
    public static func quoted(_ value: String?) -> String {
        value.map { quoted($0) } ?? "null"
    }
}
