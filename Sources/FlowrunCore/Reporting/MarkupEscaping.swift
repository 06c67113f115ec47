/// The escaping HTML and XML share: `&`, `<` and `>` always; in an attribute
/// also `"`, newline and tab as character references, so that attribute
/// normalization keeps them. Each language adds its own cases first.
enum MarkupEscaping {
    /// `value` escaped; `special` gives a language's own text for a scalar,
    /// or nil for the shared handling.
    static func escaped(_ value: String, attribute: Bool, special: (Unicode.Scalar) -> String?) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            if let text = special(scalar) {
                out += text
                continue
            }
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where attribute: out += "&quot;"
            case "\n" where attribute: out += "&#10;"
            case "\t" where attribute: out += "&#9;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
