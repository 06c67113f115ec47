/// The workflow's result list as the text report shows it: the seed's Python
/// tuple, bounded so that a task printing megabytes cannot flood the report.
///
/// Each value is cut to its first line and `valueWidth` characters, marked
/// with `…` inside its quotes; after `itemLimit` values the rest are counted
/// (`… 180 more`). The full values are in the JSON report.
enum ResultList {
    /// Longest part of one value shown, in characters: a SHA-256 in hex fits.
    static let valueWidth = 64
    /// Most values shown.
    static let itemLimit = 20

    /// The bounded tuple, and whether anything was left out.
    static func render(_ values: [String?]) -> (text: String, cut: Bool) {
        var cut = values.count > itemLimit
        var items: [String] = []
        for value in values.prefix(itemLimit) {
            guard let value else {
                items.append("None")
                continue
            }
            let (shown, wasCut) = firstLine(of: value)
            cut = cut || wasCut
            items.append(RunReport.pythonRepr(shown, cut: wasCut))
        }
        if values.count > itemLimit { items.append("… \(values.count - itemLimit) more") }
        if items.count == 1 { return ("(\(items[0]),)", cut) }
        return ("(" + items.joined(separator: ", ") + ")", cut)
    }

    /// Up to `valueWidth` characters of the value's first line; true when that is not all of it.
    private static func firstLine(of value: String) -> (String, Bool) {
        var shown = ""
        var count = 0
        for character in value {
            if character == "\n" || character == "\r\n" || count == valueWidth { return (shown, true) }
            shown.append(character)
            count += 1
        }
        return (shown, false)
    }
}
