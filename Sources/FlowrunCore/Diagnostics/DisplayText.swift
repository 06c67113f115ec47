/// Makes untrusted text safe to show on a terminal.
public enum DisplayText {
    /// Escapes control characters (C0, DEL, C1) and bidirectional overrides
    /// so that names and commands echoed back cannot move the cursor, recolor
    /// the terminal, or reorder what the reader sees. Long text is cut.
    public static func escaped(_ text: String, limit: Int = 200) -> String {
        var out = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count >= limit {
                out += "…"
                break
            }
            count += 1
            switch scalar.value {
            case 0x09: out += "\\t"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x00..<0x20, 0x7F..<0xA0, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069:
                out += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
