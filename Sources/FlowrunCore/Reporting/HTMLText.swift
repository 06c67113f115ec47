/// Writes HTML text and attribute values; the one HTML escaper of flowrun.
///
/// Markup characters become character references. Characters that would
/// change what a reader sees without being seen themselves (C0 and C1
/// controls, DEL, bidirectional marks and overrides, line and paragraph
/// separators, noncharacters) are shown as `\u{…}` escapes instead, so a
/// task's output cannot reorder or hide the text around it.
public enum HTMLText {
    /// `value` as element content; escapes of invisible characters are
    /// wrapped in `<span class="esc">` so the page can set them apart.
    /// Newlines and tabs are kept (the text may sit in a `<pre>`).
    public static func content(_ value: String) -> String {
        escaped(value, attribute: false)
    }

    /// `value` as a double-quoted attribute value, without the quotes.
    /// Newlines are kept as `&#10;`, which a `<title>` or tooltip shows as a line break.
    public static func attribute(_ value: String) -> String {
        escaped(value, attribute: true)
    }

    /// True for the characters shown as escapes rather than as themselves.
    static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A: false
        case 0x00..<0x20, 0x7F..<0xA0: true
        case 0x200E, 0x200F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: true
        case 0xFDD0...0xFDEF: true
        case _ where scalar.value & 0xFFFE == 0xFFFE: true
        default: false
        }
    }

    private static func escaped(_ value: String, attribute: Bool) -> String {
        MarkupEscaping.escaped(value, attribute: attribute) { scalar in
            switch scalar {
            case "\"": "&quot;"
            case "'": "&#39;"
            case _ where isInvisible(scalar):
                attribute ? escape(scalar) : "<span class=\"esc\">" + escape(scalar) + "</span>"
            default: nil
            }
        }
    }

    private static func escape(_ scalar: Unicode.Scalar) -> String {
        "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
    }
}
