/// Reads a task's `FLOWRUN_OUTPUT` file, in GitHub Actions' `GITHUB_OUTPUT` form.
///
/// `NAME=VALUE` sets an output (the value is the rest of the line, `=` and all);
/// `NAME<<DELIM`, then lines, then a line that is exactly `DELIM`, sets a
/// multi-line one (lines joined by `\n`, no trailing newline). Blank lines are
/// ignored; a `\r` before a line's `\n` is dropped. A name written twice keeps
/// the last value, as in GitHub Actions.
public enum OutputFile {
    /// Most bytes a task's output file may hold.
    public static let sizeLimit = 1 << 20

    /// Why an output file could not be read.
    public enum Problem: Error, Sendable, Hashable {
        case tooLarge(limit: Int)
        /// Line `line` (1-based) is neither `NAME=VALUE` nor `NAME<<DELIM`.
        case malformedLine(line: Int)
        case invalidName(line: Int)
        /// The heredoc opened on `line` has no closing `delimiter`.
        case unterminated(line: Int, delimiter: String)
        case invalidUTF8
    }

    /// Parses the file's bytes into outputs, in the order first written.
    public static func parse(_ bytes: [UInt8]) -> Result<[TaskOutput], Problem> {
        guard bytes.count <= sizeLimit else { return .failure(.tooLarge(limit: sizeLimit)) }
        guard let text = String(validating: bytes, as: UTF8.self) else { return .failure(.invalidUTF8) }
        // By bytes: as Characters, `\r\n` is one grapheme and would not split at `\n`.
        var lines = text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
            Substring(line.last == 0x0D ? line.dropLast() : line)
        }
        if lines.last?.isEmpty == true { lines.removeLast() }
        var outputs: [TaskOutput] = []
        func set(_ name: String, _ value: String) {
            if let index = outputs.firstIndex(where: { $0.name == name }) {
                outputs[index].value = value
            } else {
                outputs.append(TaskOutput(name: name, value: value))
            }
        }
        var index = 0
        while index < lines.count {
            let line = lines[index]
            let number = index + 1
            index += 1
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            let equals = line.firstRange(of: "=")
            let heredoc = line.firstRange(of: "<<")
            if let heredoc, equals.map({ heredoc.lowerBound < $0.lowerBound }) ?? true {
                let name = String(line[..<heredoc.lowerBound])
                let delimiter = String(line[heredoc.upperBound...])
                guard isName(name) else { return .failure(.invalidName(line: number)) }
                guard !delimiter.isEmpty else { return .failure(.malformedLine(line: number)) }
                var body: [Substring] = []
                var closed = false
                while index < lines.count {
                    let next = lines[index]
                    index += 1
                    if next == delimiter {
                        closed = true
                        break
                    }
                    body.append(next)
                }
                guard closed else { return .failure(.unterminated(line: number, delimiter: delimiter)) }
                set(name, body.joined(separator: "\n"))
            } else if let equals {
                let name = String(line[..<equals.lowerBound])
                guard isName(name) else { return .failure(.invalidName(line: number)) }
                set(name, String(line[equals.upperBound...]))
            } else {
                return .failure(.malformedLine(line: number))
            }
        }
        return .success(outputs)
    }

    /// Output names: `[A-Za-z_][A-Za-z0-9_-]*`.
    public static func isName(_ name: some StringProtocol) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, !(first >= 0x30 && first <= 0x39), first != 0x2D else { return false }
        return bytes.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2D
        }
    }
}
