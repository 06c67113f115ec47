/// Reads a dotenv file: `NAME=VALUE` lines, `#` comments and blank lines, an
/// optional `export `, values bare, `'literal'` or `"with \n \" \\ escapes"`.
/// Every malformed line is reported at its `FILE:LINE:COL`; the others are kept.
public struct DotenvReader: Sendable {
    /// One `NAME=VALUE` line.
    public struct Entry: Sendable, Hashable {
        public var name: String
        public var value: String
        public var location: SourceLocation
    }

    public init() {}

    public func read(_ source: SourceText) -> (entries: [Entry], diagnostics: [Diagnostic]) {
        var entries: [Entry] = []
        var diagnostics: [Diagnostic] = []
        let text = String(decoding: source.bytes, as: UTF8.self)
        var lineNumber = 0
        // A lone `\r` or `\r\n` ends a line as `\n` does, as SourceText counts them.
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            lineNumber += 1
            let line = Array(rawLine.unicodeScalars)
            func at(_ index: Int) -> SourceLocation { SourceLocation(file: source.path, line: lineNumber, column: index + 1) }
            var i = 0
            func skipBlanks() { while i < line.count, line[i] == " " || line[i] == "\t" { i += 1 } }
            skipBlanks()
            if i == line.count || line[i] == "#" { continue }
            if line.count - i > 7, String(String.UnicodeScalarView(line[i..<(i + 7)])) == "export ", line[(i + 7)...].contains("=") {
                i += 7
                skipBlanks()
            }
            let nameStart = i
            while i < line.count, line[i] != "=", line[i] != " ", line[i] != "\t" { i += 1 }
            let name = String(String.UnicodeScalarView(line[nameStart..<i]))
            skipBlanks()
            guard i < line.count, line[i] == "=" else {
                diagnostics.append(.error(.dotenvSyntax(.expectedEquals), at: at(i)))
                continue
            }
            guard NameRules.isValid(name, as: .environment) else {
                diagnostics.append(.error(.invalidEnvironmentName(DisplayText.escaped(name)), at: at(nameStart)))
                continue
            }
            i += 1
            skipBlanks()
            let valueStart = i
            var value = String.UnicodeScalarView()
            if i < line.count, line[i] == "'" || line[i] == "\"" {
                let quote = line[i]
                i += 1
                var closed = false
                while i < line.count {
                    let c = line[i]
                    if c == quote { closed = true; i += 1; break }
                    if quote == "\"", c == "\\", i + 1 < line.count {
                        switch line[i + 1] {
                        case "n": value.append("\n")
                        case "t": value.append("\t")
                        case "r": value.append("\r")
                        case "\"": value.append("\"")
                        case "\\": value.append("\\")
                        case "$": value.append("$")
                        default:
                            diagnostics.append(.error(.dotenvSyntax(.unknownEscape(String(line[i + 1]))), at: at(i)))
                            value.append(line[i + 1])
                        }
                        i += 2
                        continue
                    }
                    value.append(c)
                    i += 1
                }
                guard closed else {
                    diagnostics.append(.error(.dotenvSyntax(.unterminatedQuote), at: at(valueStart)))
                    continue
                }
                skipBlanks()
                if i < line.count, line[i] != "#" {
                    diagnostics.append(.error(.dotenvSyntax(.textAfterQuote), at: at(i)))
                    continue
                }
            } else {
                // Bare: up to a ` #` comment, trailing blanks dropped.
                var end = line.count
                var k = i
                while k < line.count {
                    if line[k] == "#", k > i, line[k - 1] == " " || line[k - 1] == "\t" { end = k; break }
                    k += 1
                }
                while end > i, line[end - 1] == " " || line[end - 1] == "\t" { end -= 1 }
                value.append(contentsOf: line[i..<end])
            }
            entries.append(Entry(name: name, value: String(value), location: at(nameStart)))
        }
        return (entries, diagnostics)
    }
}
