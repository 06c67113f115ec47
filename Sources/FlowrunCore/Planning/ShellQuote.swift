/// POSIX shell quoting: turns any string into exactly one shell word.
public enum ShellQuote {
    /// Quotes `value` so that `sh` reads it back as one word with the same bytes.
    ///
    /// Plain words made only of safe characters are left as they are; anything
    /// else is put in single quotes, with each `'` written as `'\''`.
    public static func word(_ value: String) -> String {
        if !value.isEmpty, value.utf8.allSatisfy(isSafe) { return value }
        var out = "'"
        for ch in value.unicodeScalars {
            if ch == "'" { out += "'\\''" } else { out.unicodeScalars.append(ch) }
        }
        out += "'"
        return out
    }

    private static func isSafe(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "/"),
             UInt8(ascii: ":"), UInt8(ascii: ","), UInt8(ascii: "+"), UInt8(ascii: "="),
             UInt8(ascii: "@"), UInt8(ascii: "%"):
            true
        default:
            false
        }
    }
}
