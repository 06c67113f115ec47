/// Reads strict JSON (RFC 8259) into the same located nodes as `YAMLReader`.
///
/// Why not libyaml or Foundation: libyaml reads JSON as flow YAML, so it
/// accepts what JSON forbids (trailing commas, comments, single quotes, bare
/// words) and does not pair UTF-16 surrogate escapes; Foundation's parsers
/// give no line and column on Linux. A strict reader is small, and tracking
/// line and column as it goes keeps every position exact at linear cost.
public struct JSONReader: Sendable {
    public var limits: ReaderLimits

    public init(limits: ReaderLimits = ReaderLimits()) {
        self.limits = limits
    }

    /// Parses one JSON value. Returns the root (nil after a fatal error) and every diagnostic found.
    public func read(_ source: SourceText) -> (root: Node?, diagnostics: [Diagnostic]) {
        var builder = TreeBuilder(limits: limits, source: source)
        let result: Result<Void, TreeBuilder.Fatal> = source.bytes.withUnsafeBufferPointer { buffer in
            var cursor = Cursor(file: source.path, bytes: buffer)
            do throws(TreeBuilder.Fatal) {
                try cursor.skipWhitespace()
                guard !cursor.atEnd else {
                    throw TreeBuilder.Fatal(diagnostic: .error(.fileEmpty, at: cursor.location))
                }
                try cursor.parseValue(into: &builder)
                try cursor.skipWhitespace()
                if !cursor.atEnd {
                    throw cursor.fatal(.jsonSyntax("unexpected `\(cursor.currentCharacter)` after the JSON value"))
                }
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        if case .failure(let fatal) = result {
            return (nil, builder.diagnostics + [fatal.diagnostic])
        }
        return (builder.root, builder.diagnostics)
    }
}

/// A position in the bytes with its line and column kept up to date.
private struct Cursor {
    /// 1:1 of the file: every location is this one moved, no name looked up.
    let origin: SourceLocation
    let bytes: UnsafeBufferPointer<UInt8>
    var offset = 0
    var line = 1
    var column = 1

    init(file: String, bytes: UnsafeBufferPointer<UInt8>) {
        self.origin = SourceLocation(file: file, line: 1, column: 1)
        self.bytes = bytes
    }

    var atEnd: Bool { offset >= bytes.count }
    var location: SourceLocation { origin.moved(line: line, column: column) }
    var current: UInt8 { bytes[offset] }

    /// The character at the cursor, for messages.
    var currentCharacter: String {
        guard !atEnd else { return "end of file" }
        var end = offset + 1
        while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[offset..<end]), as: UTF8.self)
        // Quoted back in a message: a control or bidi character must not reach the terminal raw.
        return text.unicodeScalars.first.map { $0.value < 0x20 ? codePoint($0.value) : DisplayText.escaped(text) } ?? text
    }

    /// What was found where `expected` should be; names the usual non-JSON habits.
    func unexpected(expected: String) -> TreeBuilder.Fatal {
        if !atEnd, current == UInt8(ascii: "/") {
            return fatal(.jsonSyntax("comments are not allowed"))
        }
        if !atEnd, current == UInt8(ascii: "'") {
            return fatal(.jsonSyntax("strings and keys use double quotes, found `'`"))
        }
        return fatal(.jsonSyntax("expected \(expected), found \(atEnd ? "end of file" : "`\(currentCharacter)`")"))
    }

    func fatal(_ message: DiagnosticMessage, at location: SourceLocation? = nil) -> TreeBuilder.Fatal {
        TreeBuilder.Fatal(diagnostic: .error(message, at: location ?? self.location))
    }

    mutating func advance() {
        let b = bytes[offset]
        offset += 1
        if b == 0x0A || (b == 0x0D && !(offset < bytes.count && bytes[offset] == 0x0A)) {
            line += 1
            column = 1
        } else if b & 0xC0 != 0x80 {
            column += 1
        }
    }

    mutating func skipWhitespace() throws(TreeBuilder.Fatal) {
        while !atEnd {
            switch current {
            case 0x20, 0x09, 0x0A, 0x0D: advance()
            default: return
            }
        }
    }

    mutating func expect(_ byte: UInt8, _ what: String) throws(TreeBuilder.Fatal) {
        guard !atEnd, current == byte else { throw unexpected(expected: what) }
        advance()
    }

    /// After an object member or array item: true at `,` (another follows),
    /// false at `closing` (consumed); a comma right before `closing` is an error.
    mutating func nextItem(closing: UInt8) throws(TreeBuilder.Fatal) -> Bool {
        try skipWhitespace()
        if !atEnd, current == UInt8(ascii: ",") {
            let comma = location
            advance()
            try skipWhitespace()
            if !atEnd, current == closing { throw fatal(.jsonTrailingComma, at: comma) }
            return true
        }
        try expect(closing, "`,` or `\(String(UnicodeScalar(closing)))`")
        return false
    }

    mutating func parseValue(into builder: inout TreeBuilder) throws(TreeBuilder.Fatal) {
        try skipWhitespace()
        guard !atEnd else { throw fatal(.jsonSyntax("unexpected end of file, expected a value")) }
        let start = location
        switch current {
        case UInt8(ascii: "{"):
            try builder.beginMapping(at: start, anchor: nil)
            advance()
            try skipWhitespace()
            if !atEnd, current == UInt8(ascii: "}") {
                advance()
                try builder.end()
                return
            }
            while true {
                try skipWhitespace()
                guard !atEnd, current == UInt8(ascii: "\"") else { throw unexpected(expected: "a string key") }
                let keyLocation = location
                let keyStart = offset
                let key = try parseString()
                try builder.scalar(key, style: .quoted, sourceRange: keyStart..<offset, at: keyLocation, anchor: nil)
                try skipWhitespace()
                try expect(UInt8(ascii: ":"), "`:` after the key")
                try parseValue(into: &builder)
                if try nextItem(closing: UInt8(ascii: "}")) { continue }
                try builder.end()
                return
            }
        case UInt8(ascii: "["):
            try builder.beginSequence(at: start, anchor: nil)
            advance()
            try skipWhitespace()
            if !atEnd, current == UInt8(ascii: "]") {
                advance()
                try builder.end()
                return
            }
            while true {
                try parseValue(into: &builder)
                if try nextItem(closing: UInt8(ascii: "]")) { continue }
                try builder.end()
                return
            }
        case UInt8(ascii: "\""):
            let startOffset = offset
            let text = try parseString()
            try builder.scalar(text, style: .quoted, sourceRange: startOffset..<offset, at: start, anchor: nil)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let startOffset = offset
            try parseNumber()
            try builder.scalar(.written(startOffset..<offset), style: .plain, sourceRange: nil, at: start, anchor: nil)
        default:
            for word in ["true", "false", "null"] where matches(word) {
                let startOffset = offset
                for _ in word.utf8 { advance() }
                try builder.scalar(.written(startOffset..<offset), style: .plain, sourceRange: nil, at: start, anchor: nil)
                return
            }
            throw unexpected(expected: "a value")
        }
    }

    func matches(_ word: String) -> Bool {
        let utf8 = Array(word.utf8)
        guard offset + utf8.count <= bytes.count else { return false }
        for (i, b) in utf8.enumerated() where bytes[offset + i] != b { return false }
        let after = offset + utf8.count
        if after < bytes.count, isWordByte(bytes[after]) { return false }
        return true
    }

    private func isWordByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    mutating func parseNumber() throws(TreeBuilder.Fatal) {
        func digits(_ cursor: inout Cursor) -> Int {
            var n = 0
            while !cursor.atEnd, cursor.current >= 0x30, cursor.current <= 0x39 { cursor.advance(); n += 1 }
            return n
        }
        if current == UInt8(ascii: "-") { advance() }
        guard !atEnd, current >= 0x30, current <= 0x39 else { throw fatal(.jsonSyntax("expected a digit")) }
        if current == UInt8(ascii: "0") {
            advance()
            if !atEnd, current >= 0x30, current <= 0x39 { throw fatal(.jsonSyntax("numbers must not have leading zeros")) }
        } else {
            _ = digits(&self)
        }
        if !atEnd, current == UInt8(ascii: ".") {
            advance()
            guard digits(&self) > 0 else { throw fatal(.jsonSyntax("expected a digit after `.`")) }
        }
        if !atEnd, current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            advance()
            if !atEnd, current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { advance() }
            guard digits(&self) > 0 else { throw fatal(.jsonSyntax("expected a digit in the exponent")) }
        }
        if !atEnd, isWordByte(current) || current == UInt8(ascii: ".") {
            throw fatal(.jsonSyntax("unexpected `\(currentCharacter)` in a number"))
        }
    }

    /// Parses a string at `"`, decoding escapes (surrogate pairs joined); a
    /// string without escapes is its bytes in the source.
    mutating func parseString() throws(TreeBuilder.Fatal) -> TreeBuilder.Text {
        advance()  // opening quote
        let textStart = offset
        var escaped = false
        var out: [UInt8] = []
        var runStart = offset
        while true {
            guard !atEnd else { throw fatal(.jsonSyntax("unterminated string")) }
            let b = current
            if b == UInt8(ascii: "\"") {
                let textEnd = offset
                advance()
                guard escaped else { return .written(textStart..<textEnd) }
                out.append(contentsOf: bytes[runStart..<textEnd])
                return .decoded(String(decoding: out, as: UTF8.self))
            }
            if b < 0x20 {
                throw fatal(.jsonSyntax("control character \(codePoint(UInt32(b))) in a string; write it as an escape"))
            }
            if b != UInt8(ascii: "\\") {
                advance()
                continue
            }
            escaped = true
            out.append(contentsOf: bytes[runStart..<offset])
            let escapeLocation = location
            advance()
            guard !atEnd else { throw fatal(.jsonSyntax("unterminated string")) }
            let e = current
            advance()
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4(escapeLocation)
                if (0xD800...0xDBFF).contains(scalar) {
                    guard matches2(UInt8(ascii: "\\"), UInt8(ascii: "u")) else {
                        throw fatal(.jsonUnpairedSurrogate, at: escapeLocation)
                    }
                    advance(); advance()
                    let low = try hex4(escapeLocation)
                    guard (0xDC00...0xDFFF).contains(low) else { throw fatal(.jsonUnpairedSurrogate, at: escapeLocation) }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    throw fatal(.jsonUnpairedSurrogate, at: escapeLocation)
                }
                out.append(contentsOf: String(Character(Unicode.Scalar(scalar)!)).utf8)
            default:
                let shown = e < 0x20 || e >= 0x80 ? "\\" : "\\" + String(UnicodeScalar(e))
                throw fatal(.jsonInvalidEscape(shown), at: escapeLocation)
            }
            runStart = offset
        }
    }

    private func matches2(_ a: UInt8, _ b: UInt8) -> Bool {
        offset + 1 < bytes.count && bytes[offset] == a && bytes[offset + 1] == b
    }

    private mutating func hex4(_ escapeLocation: SourceLocation) throws(TreeBuilder.Fatal) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard !atEnd else { throw fatal(.jsonInvalidEscape("\\u"), at: escapeLocation) }
            let b = current
            let digit: UInt32
            switch b {
            case 0x30...0x39: digit = UInt32(b - 0x30)
            case 0x41...0x46: digit = UInt32(b - 0x41 + 10)
            case 0x61...0x66: digit = UInt32(b - 0x61 + 10)
            default: throw fatal(.jsonInvalidEscape("\\u"), at: escapeLocation)
            }
            value = value * 16 + digit
            advance()
        }
        return value
    }
}

/// `U+0009`: a code point as the Unicode standard writes it.
private func codePoint(_ value: UInt32) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return "U+" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
}
