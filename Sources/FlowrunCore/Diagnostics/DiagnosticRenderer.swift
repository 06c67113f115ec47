/// Writes diagnostics as text, JSON or GitHub Actions annotations.
///
/// Text follows the compiler convention `FILE:LINE:COL: error: MESSAGE`,
/// then the source line and a caret under the column.
public struct DiagnosticRenderer: Sendable {
    /// The output forms `flowrun validate --format` offers.
    public enum Format: String, Sendable, CaseIterable {
        case text
        case json
        case github
    }

    /// Source lines longer than this are cut around the column.
    public static let maxSnippetWidth = 200

    public var colored: Bool

    public init(colored: Bool = false) {
        self.colored = colored
    }

    /// One diagnostic as text, ending with a newline.
    ///
    /// - Parameters:
    ///   - path: how to show the file `source` was read from (its locations
    ///     name `source.path`); locations in other files show their own name.
    ///   - included: the other files a location may name, for their snippets.
    public func text(_ diagnostic: Diagnostic, path: String, source: SourceText?, included: [SourceText] = []) -> String {
        let files = Files(path: path, source: source, included: included)
        var out = header(path: files.shown(diagnostic.location), location: diagnostic.location,
                         severity: diagnostic.severity.rawValue, message: diagnostic.message.text)
        if let location = diagnostic.location, let text = files.source(of: location) { out += snippet(text, location) }
        for note in diagnostic.notes {
            out += header(path: files.shown(note.location), location: note.location, severity: "note",
                          message: note.message.text)
            if let text = files.source(of: note.location) { out += snippet(text, note.location) }
        }
        return out
    }

    /// The files a diagnostic may point into, and how each is shown.
    private struct Files {
        var path: String
        var source: SourceText?
        var included: [SourceText]

        /// The main file shows as `path`; a file beside it (read relative to
        /// its folder) relative to how `path` shows that folder; any other as
        /// the location names it.
        func shown(_ location: SourceLocation?) -> String {
            guard let location, let source, location.file != source.path else { return path }
            guard let slash = source.path.lastIndex(of: "/") else { return location.file }
            let folder = source.path[...slash]
            guard location.file.hasPrefix(folder) else { return location.file }
            let rest = location.file.dropFirst(folder.count)
            return (path.lastIndex(of: "/").map { String(path[...$0]) } ?? "") + rest
        }

        func source(of location: SourceLocation) -> SourceText? {
            guard let source else { return nil }
            if location.file == source.path { return source }
            return included.first { $0.path == location.file }
        }
    }

    private func header(path: String, location: SourceLocation?, severity: String, message: String) -> String {
        // Messages quote the file's own text (keys, names, characters): escape
        // it here, the one place all of them pass, so none reaches the terminal raw.
        let path = DisplayText.escaped(path, limit: 4096)
        let message = DisplayText.escaped(message, limit: 4096)
        let place = location.map { "\(path):\($0.line):\($0.column)" } ?? path
        let label: String
        if colored {
            let color = switch severity {
            case "error": "\u{1B}[1;31m"
            case "warning": "\u{1B}[1;33m"
            default: "\u{1B}[1;36m"
            }
            label = "\(color)\(severity):\u{1B}[0m \u{1B}[1m\(message)\u{1B}[0m"
        } else {
            label = "\(severity): \(message)"
        }
        return "\(place): \(label)\n"
    }

    /// The source line (escaped, cut to the width) and a caret under the column.
    func snippet(_ source: SourceText, _ location: SourceLocation) -> String {
        // Only a window of a long line is read: a minified 16 MiB JSON file
        // is one line, and may have an error on every task.
        guard let excerpt = source.excerpt(around: location, width: Self.maxSnippetWidth) else { return "" }
        let scalars = Array(excerpt.text.unicodeScalars)
        let caret = excerpt.caret
        let prefix = excerpt.cut ? "…" : ""
        // Escape each scalar on its own so the caret column can follow the widening.
        var shown = prefix
        var caretColumn = prefix.isEmpty ? 0 : 1
        for (index, scalar) in scalars.enumerated() {
            let piece = scalar == "\t" ? " " : DisplayText.escaped(String(scalar))
            if index < caret { caretColumn += piece.unicodeScalars.count }
            shown += piece
        }
        // A column past the end of the line (a problem found at its end).
        caretColumn += max(0, caret - scalars.count)
        let marker = colored ? "\u{1B}[1;32m^\u{1B}[0m" : "^"
        return "  \(shown)\n  \(String(repeating: " ", count: caretColumn))\(marker)\n"
    }

    /// A diagnostic about the command line rather than a file (an unknown
    /// `--var`), as `flowrun: error: MESSAGE`.
    public func commandLine(_ diagnostic: Diagnostic) -> String {
        "flowrun: \(diagnostic.severity.rawValue): \(DisplayText.escaped(diagnostic.message.text, limit: 4096))\n"
    }

    /// A message with no place in a file, as `flowrun: SEVERITY: MESSAGE`.
    public func commandLine(_ severity: Diagnostic.Severity, _ message: DiagnosticMessage) -> String {
        commandLine(Diagnostic(severity, message, at: nil))
    }

    /// GitHub Actions workflow command: `::error file=F,line=L,col=C::MESSAGE`.
    public func github(_ diagnostic: Diagnostic, path: String, source: SourceText? = nil) -> String {
        let file = Files(path: path, source: source, included: []).shown(diagnostic.location)
        var properties = "file=\(escapeProperty(DisplayText.escaped(file, limit: 4096)))"
        if let location = diagnostic.location {
            properties += ",line=\(location.line),col=\(location.column)"
        }
        return "::\(diagnostic.severity.rawValue) \(properties)::\(escapeData(DisplayText.escaped(diagnostic.message.text, limit: 4096)))\n"
    }

    /// All diagnostics of several files as one JSON array; a diagnostic in
    /// another file than the one loaded (an included one) names that file.
    public func json(_ files: [(path: String, diagnostics: [Diagnostic])], sources: [SourceText?] = []) -> String {
        var items: [String] = []
        for (index, file) in files.enumerated() {
            let shown = Files(path: file.path, source: index < sources.count ? sources[index] : nil, included: [])
            for d in file.diagnostics {
                var fields = [
                    "\"file\":\(JSONText.quoted(shown.shown(d.location)))",
                    "\"severity\":\(JSONText.quoted(d.severity.rawValue))",
                    "\"code\":\(JSONText.quoted(d.message.code))",
                    "\"message\":\(JSONText.quoted(d.message.text))",
                ]
                if let l = d.location { fields.append("\"line\":\(l.line),\"column\":\(l.column)") }
                // A note in another file (an `included from` note) names it; one in the same file needs not.
                let notes = d.notes.map { note in
                    let file = note.location.file == d.location?.file ? "" : "\"file\":\(JSONText.quoted(shown.shown(note.location))),"
                    return "{\(file)\"line\":\(note.location.line),\"column\":\(note.location.column),\"message\":\(JSONText.quoted(note.message.text))}"
                }
                fields.append("\"notes\":[\(notes.joined(separator: ","))]")
                items.append("{\(fields.joined(separator: ","))}")
            }
        }
        return items.isEmpty ? "[]\n" : "[\n  \(items.joined(separator: ",\n  "))\n]\n"
    }

    private func escapeData(_ s: String) -> String {
        s.replacing("%", with: "%25").replacing("\r", with: "%0D").replacing("\n", with: "%0A")
    }

    private func escapeProperty(_ s: String) -> String {
        escapeData(s).replacing(":", with: "%3A").replacing(",", with: "%2C")
    }
}
