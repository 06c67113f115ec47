import Synchronization

/// A place in a source file: the file as it was read (its path as the user
/// or an `include` named it, `<stdin>` for standard input), and a 1-based
/// line and column; columns count Unicode scalars.
///
/// As swift-format's `Finding.Location`, it names its file, so a diagnostic
/// can point into an included file as well as into the file loaded.
///
/// Every node of a parsed file carries a location or two, so it is kept in
/// 12 bytes with nothing to retain: the file as a number in
/// `SourceFileNames` (one per name ever read, for the life of the process),
/// line and column in 32 bits each (no file read is near 2^31 lines).
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    private var fileNumber: Int32
    private var storedLine: Int32
    private var storedColumn: Int32

    public var file: String {
        get { SourceFileNames.name(fileNumber) }
        set { fileNumber = SourceFileNames.number(newValue) }
    }

    public var line: Int {
        get { Int(storedLine) }
        set { storedLine = Int32(clamping: newValue) }
    }

    public var column: Int {
        get { Int(storedColumn) }
        set { storedColumn = Int32(clamping: newValue) }
    }

    public init(file: String, line: Int, column: Int) {
        self.fileNumber = SourceFileNames.number(file)
        self.storedLine = Int32(clamping: line)
        self.storedColumn = Int32(clamping: column)
    }

    /// The same file, another line and column.
    public func moved(line: Int, column: Int) -> SourceLocation {
        var moved = self
        moved.line = line
        moved.column = column
        return moved
    }

    /// Within one file, by position; files apart, by name (only for a stable order).
    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        if lhs.fileNumber != rhs.fileNumber { return lhs.file < rhs.file }
        return (lhs.storedLine, lhs.storedColumn) < (rhs.storedLine, rhs.storedColumn)
    }

    /// `LINE:COLUMN`; the renderer decides how to show the file.
    public var description: String { "\(line):\(column)" }
}

/// The file names locations refer to, each under one number: equal numbers
/// are equal names, so locations compare and hash without the strings.
enum SourceFileNames {
    private struct Table {
        var names: [String] = [""]
        var numbers: [String: Int32] = ["": 0]
    }

    private static let table = Mutex(Table())

    static func number(_ name: String) -> Int32 {
        table.withLock { table in
            if let known = table.numbers[name] { return known }
            let number = Int32(table.names.count)
            table.names.append(name)
            table.numbers[name] = number
            return number
        }
    }

    static func name(_ number: Int32) -> String {
        table.withLock { $0.names[Int(number)] }
    }
}
