/// GitHub Actions' workflow commands (`::name props::data`), which the
/// runner reads from a step's output: log groups, error annotations and
/// masks. The one place their escaping is written.
public enum GitHubCommands {
    /// `::group::TITLE`, which opens a collapsible group in the log.
    public static func group(_ title: String) -> String {
        "::group::\(data(title))\n"
    }

    /// `::endgroup::`.
    public static let endGroup = "::endgroup::\n"

    /// `::add-mask::VALUE`: the runner hides VALUE in every later log line.
    /// One command per line of a multi-line secret, as the runner masks line by line.
    public static func addMask(_ secret: String) -> String {
        secret.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
            .map { "::add-mask::\(data(String($0)))\n" }.joined()
    }

    /// How bad an annotation is.
    public enum Level: String, Sendable {
        case error
        case warning
        case notice
    }

    /// `::error file=F,line=L,title=T::MESSAGE`: an annotation on the run,
    /// and on the file's line in a pull request when `file` and `line` are given.
    public static func annotation(_ level: Level, title: String, message: String, file: String? = nil, line: Int? = nil) -> String {
        var properties: [String] = []
        if let file {
            properties.append("file=" + property(file))
            if let line { properties.append("line=\(line)") }
        }
        properties.append("title=" + property(title))
        return "::\(level.rawValue) \(properties.joined(separator: ","))::\(data(message))\n"
    }

    /// A command's data: `%`, CR and LF escaped so that it stays one line.
    static func data(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A property's value: also `:` and `,`, which end it.
    static func property(_ text: String) -> String {
        data(text).replacing(":", with: "%3A").replacing(",", with: "%2C")
    }
}
