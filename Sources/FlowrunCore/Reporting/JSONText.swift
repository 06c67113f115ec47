/// Writes JSON string literals; the one JSON escaper of flowrun.
public enum JSONText {
    /// `value` as a JSON string literal: quotes, backslashes and control
    /// characters escaped (control characters and bidi overrides as `\uXXXX`,
    /// except the usual short forms for newline, carriage return and tab).
    public static func quoted(_ value: String) -> String {
        var out = "\""
        out.reserveCapacity(value.utf8.count + 2)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            // Also C1 controls, bidi marks/overrides and the line/paragraph
            // separators: valid in JSON, but they reorder or break what a
            // terminal shows when the document is printed.
            case _ where scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value)
                || [0x200E, 0x200F, 0x2028, 0x2029].contains(scalar.value)
                || (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value):
                let hex = String(scalar.value, radix: 16, uppercase: true)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
        return out
    }

    /// A JSON string literal, or `null`.
    public static func quoted(_ value: String?) -> String {
        value.map { quoted($0) } ?? "null"
    }
}
