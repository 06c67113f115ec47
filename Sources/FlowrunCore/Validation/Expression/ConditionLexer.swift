/// Splits an `if:` expression into tokens, each with its offset in the text.
struct ConditionLexer {
    enum Kind: Equatable {
        /// A name or dotted path: `vars.x`, `stages.a.tasks.b.result`, `success`.
        case word(String)
        case string(String)
        case open, close, comma, not, and, or, equal, notEqual
        case end
    }

    struct Token {
        var kind: Kind
        /// Offset in Unicode scalars from the start of the expression.
        var offset: Int
    }

    /// The tokens, or the problem and its offset.
    static func tokens(_ text: String) -> Result<[Token], ConditionLexer.Failure> {
        let s = Array(text.unicodeScalars)
        var tokens: [Token] = []
        var i = 0
        func isWord(_ c: Unicode.Scalar) -> Bool {
            (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c == "_" || c == "." || c == "-"
        }
        while i < s.count {
            let c = s[i]
            if c == " " || c == "\t" || c == "\n" || c == "\r" { i += 1; continue }
            let start = i
            func next(_ second: Unicode.Scalar) -> Bool { i + 1 < s.count && s[i + 1] == second }
            switch c {
            case "(": tokens.append(Token(kind: .open, offset: i)); i += 1
            case ")": tokens.append(Token(kind: .close, offset: i)); i += 1
            case ",": tokens.append(Token(kind: .comma, offset: i)); i += 1
            case "!" where next("="): tokens.append(Token(kind: .notEqual, offset: i)); i += 2
            case "!": tokens.append(Token(kind: .not, offset: i)); i += 1
            case "=" where next("="): tokens.append(Token(kind: .equal, offset: i)); i += 2
            case "&" where next("&"): tokens.append(Token(kind: .and, offset: i)); i += 2
            case "|" where next("|"): tokens.append(Token(kind: .or, offset: i)); i += 2
            case "'", "\"":
                var value = String.UnicodeScalarView()
                i += 1
                var closed = false
                while i < s.count {
                    if s[i] == c {
                        // `''` inside single quotes is one quote, as in YAML and GitHub Actions.
                        if c == "'", i + 1 < s.count, s[i + 1] == "'" { value.append("'"); i += 2; continue }
                        closed = true
                        i += 1
                        break
                    }
                    if c == "\"", s[i] == "\\", i + 1 < s.count {
                        value.append(s[i + 1] == "n" ? "\n" : s[i + 1])
                        i += 2
                        continue
                    }
                    value.append(s[i])
                    i += 1
                }
                guard closed else { return .failure(Failure(problem: .unterminatedString, offset: start)) }
                tokens.append(Token(kind: .string(String(value)), offset: start))
            default:
                guard isWord(c) else {
                    return .failure(Failure(problem: .unexpected(String(c)), offset: start))
                }
                while i < s.count, isWord(s[i]) { i += 1 }
                tokens.append(Token(kind: .word(String(String.UnicodeScalarView(s[start..<i]))), offset: start))
            }
        }
        tokens.append(Token(kind: .end, offset: s.count))
        return .success(tokens)
    }

    struct Failure: Error {
        var problem: DiagnosticMessage.ConditionProblem
        var offset: Int
    }
}
