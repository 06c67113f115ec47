/// What flowrun knows about one output stream, gathered by the CLI, so that
/// the decisions made from it (color, live progress, width) are pure and
/// testable with a pretend terminal.
public struct TerminalTraits: Sendable, Hashable {
    /// Whether the stream is a terminal (`isatty`).
    public var isTerminal: Bool
    /// `TERM`, if set.
    public var term: String?
    /// `NO_COLOR` is set to a non-empty value (no-color.org).
    public var noColor: Bool
    /// `COLUMNS` if set to a positive number, else the terminal's width (`TIOCGWINSZ`), else nil.
    public var columns: Int?

    /// Width assumed when nothing tells one.
    public static let defaultWidth = 80

    public init(isTerminal: Bool, term: String? = nil, noColor: Bool = false, columns: Int? = nil) {
        self.isTerminal = isTerminal
        self.term = term
        self.noColor = noColor
        self.columns = columns
    }

    /// Whether to color this stream under `choice`.
    public func colors(_ choice: ColorChoice) -> Bool {
        switch choice {
        case .always: true
        case .never: false
        case .auto: isTerminal && !noColor && term != "dumb"
        }
    }

    /// Whether a status line can be redrawn in place: a terminal that
    /// understands `\r` and erase-line (not `TERM=dumb`). `NO_COLOR` does not matter.
    public var canRedraw: Bool { isTerminal && term != "dumb" }

    /// Columns to lay text out in.
    public var width: Int { columns ?? Self.defaultWidth }
}
