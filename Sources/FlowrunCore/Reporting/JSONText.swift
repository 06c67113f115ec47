/// Writes JSON string literals; the one JSON escaper of flowrun.
public enum JSONText {
    /// `value` as a JSON string literal: quotes, backslashes and control
    /// characters escaped (control characters and bidi overrides as `\uXXXX`,
    /// except the usual short forms for newline, carriage return and tab).
    public static func quoted(_ value: String) -> String {
        var value = value
        return value.withUTF8 { quoted(bytes: $0) }
    }

    /// Byte by byte over the UTF-8 (valid, so the characters to escape are
    /// recognized by their encoded bytes), copying each run of bytes that
    /// need nothing in one piece: megabytes of task output go through here.
    private static func quoted(bytes: UnsafeBufferPointer<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 16 + 2)
        out.append(0x22)
        func unicodeEscape(_ code: UInt32) {
            let digits: StaticString = "0123456789ABCDEF"
            out.append(0x5C)
            out.append(0x75)
            for shift in stride(from: 12, through: 0, by: -4) {
                out.append(digits.utf8Start[Int((code >> UInt32(shift)) & 0xF)])
            }
        }
        let count = bytes.count
        var index = 0
        var plain = 0
        while index < count {
            let byte = bytes[index]
            // Everything else is copied as it is, in runs.
            guard mayChange(byte) else {
                index += 1
                continue
            }
            if plain < index { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[plain..<index])) }
            index += 1
            switch byte {
            case 0x22: out.append(0x5C); out.append(0x22)
            case 0x5C: out.append(0x5C); out.append(0x5C)
            case 0x0A: out.append(0x5C); out.append(0x6E)
            case 0x0D: out.append(0x5C); out.append(0x72)
            case 0x09: out.append(0x5C); out.append(0x74)
            // Also C1 controls (U+0080–U+009F: C2 80–9F), bidi marks and
            // overrides and the line/paragraph separators (E2 80 8E/8F/A8–AE,
            // E2 81 A6–A9): valid in JSON, but they reorder or break what a
            // terminal shows when the document is printed.
            case 0xC2:
                out.append(byte)
                if index < count, (0x80...0x9F).contains(bytes[index]) {
                    out.removeLast()
                    unicodeEscape(UInt32(bytes[index]))
                    index += 1
                }
            case 0xE2:
                if index + 1 < count, bytes[index] == 0x80 || bytes[index] == 0x81 {
                    let code = 0x2000 | (UInt32(bytes[index] & 0x3F) << 6) | UInt32(bytes[index + 1] & 0x3F)
                    if code == 0x200E || code == 0x200F || (0x2028...0x202E).contains(code) || (0x2066...0x2069).contains(code) {
                        unicodeEscape(code)
                        index += 2
                    } else {
                        out.append(byte)
                    }
                } else {
                    out.append(byte)
                }
            default: unicodeEscape(UInt32(byte))  // the other controls and DEL
            }
            plain = index
        }
        if plain < count { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[plain..<count])) }
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
        value.utf8.contains(where: mayChange)
    }

    /// A byte `quoted` may write otherwise: a quote, a backslash, a control
    /// character, or the lead byte of a C1 control or bidi mark.
    @inline(__always)
    private static func mayChange(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x7F || byte == 0xC2 || byte == 0xE2
    }

    /// A JSON string literal, or `null`.
    public static func quoted(_ value: String?) -> String {
        value.map { quoted($0) } ?? "null"
    }
}
