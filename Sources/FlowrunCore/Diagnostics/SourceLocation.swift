/// A place in a source file: the file as it was read (its path as the user
/// or an `include` named it, `<stdin>` for standard input), and a 1-based
/// line and column; columns count Unicode scalars.
///
/// As swift-format's `Finding.Location`, it names its file, so a diagnostic
/// can point into an included file as well as into the file loaded.
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var file: String
    /// Line and column are stored in 32 bits: every node of a parsed file
    /// carries a location or two, and no file read is near 2^31 lines.
    private var storedLine: Int32
    private var storedColumn: Int32

    public var line: Int {
        get { Int(storedLine) }
        set { storedLine = Int32(clamping: newValue) }
    }

    public var column: Int {
        get { Int(storedColumn) }
        set { storedColumn = Int32(clamping: newValue) }
    }

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.storedLine = Int32(clamping: line)
        self.storedColumn = Int32(clamping: column)
    }

    /// The same file, another line and column.
    public func moved(line: Int, column: Int) -> SourceLocation {
        SourceLocation(file: file, line: line, column: column)
    }

    /// Within one file, by position; files apart, by name (only for a stable order).
    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        if lhs.file != rhs.file { return lhs.file < rhs.file }
        return (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }

    /// `LINE:COLUMN`; the renderer decides how to show the file.
    public var description: String { "\(line):\(column)" }
}
