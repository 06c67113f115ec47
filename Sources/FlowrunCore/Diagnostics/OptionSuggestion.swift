/// Keeps swift-argument-parser's "did you mean" hint for an unknown option
/// only when it is a likely typo.
///
/// The parser suggests its nearest option however far it is (`--bogus` gets
/// `--jobs`); flowrun's own hints use `Spelling`'s threshold, and so does this.
public enum OptionSuggestion {
    /// The message without its suggestion when the suggestion is not close to
    /// the option written; nil when the message needs no change.
    public static func pruned(_ message: String) -> String? {
        guard let hint = message.firstRange(of: " Did you mean '") else { return nil }
        guard let end = message[hint.upperBound...].firstRange(of: "'?") else { return nil }
        let suggested = String(message[hint.upperBound..<end.lowerBound])
        guard let unknown = message[..<hint.lowerBound].firstRange(of: "Unknown option '") else { return nil }
        guard let close = message[unknown.upperBound..<hint.lowerBound].lastIndex(of: "'") else { return nil }
        let written = String(message[unknown.upperBound..<close])
        func bare(_ option: String) -> String { String(option.drop { $0 == "-" }) }
        if Spelling.closest(to: bare(written), among: [bare(suggested)]) != nil { return nil }
        var pruned = message
        pruned.removeSubrange(hint.lowerBound..<end.upperBound)
        return pruned
    }
}
