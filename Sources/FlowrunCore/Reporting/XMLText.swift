/// Writes XML text and attribute values; the one XML escaper of flowrun.
///
/// Characters XML 1.0 cannot carry at all (C0 controls other than tab,
/// newline and carriage return; U+FFFE, U+FFFF) are replaced with U+FFFD,
/// because no escape makes them legal and one of them would make the whole
/// document unreadable.
public enum XMLText {
    /// Stands in for a character XML cannot carry.
    public static let replacement: Unicode.Scalar = "\u{FFFD}"

    /// `value` as element content: `&`, `<`, `>` escaped; `\r` kept as `&#13;`.
    public static func content(_ value: String) -> String {
        escaped(value, attribute: false)
    }

    /// `value` as a double-quoted attribute value, without the quotes: also
    /// `"` escaped, and tab, newline and carriage return as character
    /// references so that attribute normalization keeps them.
    public static func attribute(_ value: String) -> String {
        escaped(value, attribute: true)
    }

    /// True when XML 1.0 allows `scalar` in a document.
    public static func isLegal(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD: true
        case 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }

    private static func escaped(_ value: String, attribute: Bool) -> String {
        MarkupEscaping.escaped(value, attribute: attribute) { scalar in
            switch scalar {
            case "\r": "&#13;"
            case _ where !isLegal(scalar): String(replacement)
            default: nil
            }
        }
    }
}
