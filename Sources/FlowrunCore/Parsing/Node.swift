/// A YAML or JSON value with the location where it starts in the source.
///
/// Both readers produce this tree, so the validator never knows which
/// syntax a workflow was written in. A node is a place in its file's
/// `NodeArena`: lists and mappings are views of the records that follow it,
/// and a scalar's text becomes a `String` only when its value is asked for.
public struct Node: Sendable {
    /// The shape of a node.
    public enum Value: Sendable {
        case scalar(Scalar)
        case sequence(Items)
        case mapping(Entries)
    }

    let arena: NodeArena
    /// The record; for an alias, the alias's own (its location), not the node it repeats.
    let index: Int

    init(_ arena: NodeArena, _ index: Int) {
        self.arena = arena
        self.index = index
    }

    public var location: SourceLocation { arena.location(index) }

    public var value: Value {
        let target = arena.target(index)
        switch arena.kind(target) {
        case .sequence: return .sequence(Items(arena: arena, parent: target))
        case .mapping: return .mapping(Entries(arena: arena, parent: target))
        case .plain, .quoted, .block, .alias: return .scalar(scalar(target))
        }
    }

    /// The scalar at `target`; through an alias it has no source range (the
    /// text is where the anchor is, so nothing inside is located relative to the alias).
    private func scalar(_ target: Int) -> Scalar {
        let style: Scalar.Style = switch arena.kind(target) {
        case .plain: .plain
        case .block: .block
        default: .quoted
        }
        return Scalar(arena.text(target), style: style, sourceRange: target == index ? arena.sourceRange(target) : nil)
    }

    /// A scalar's style, read without making its text; nil for a list or mapping.
    var scalarStyle: Scalar.Style? {
        switch arena.kind(arena.target(index)) {
        case .plain: .plain
        case .quoted: .quoted
        case .block: .block
        case .sequence, .mapping, .alias: nil
        }
    }

    /// A scalar's source range as `Scalar.sourceRange` gives it, without making its text.
    var scalarSourceRange: Range<Int>? {
        let target = arena.target(index)
        return target == index ? arena.sourceRange(target) : nil
    }

    /// Calls `body` with a scalar's text as bytes (through an alias), no `String` made.
    func withScalarBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        arena.withText(arena.target(index), body)
    }

    /// A scalar's text when it is not null under the core schema (a quoted
    /// scalar never is); nil for a null, a list or a mapping. One `String` made.
    var nonNullText: String? {
        let target = arena.target(index)
        switch arena.kind(target) {
        case .quoted, .block: return arena.text(target)
        case .plain:
            let isNull = arena.withText(target) { Scalar.typesAsNull($0) }
            return isNull ? nil : arena.text(target)
        case .sequence, .mapping, .alias: return nil
        }
    }

    /// What kind of value the node holds.
    public var kind: ValueKind {
        switch value {
        case .sequence: .list
        case .mapping: .mapping
        case .scalar(let scalar):
            switch scalar.resolved {
            case .null: .null
            case .bool: .boolean
            case .int, .float: .number
            case .string: .string
            }
        }
    }

    /// The items of a list, in order.
    public struct Items: Collection, Sendable {
        let arena: NodeArena
        let parent: Int

        public var startIndex: Int { Items.unskipped(arena, parent + 1, end: endIndex) }
        public var endIndex: Int { arena.end(parent) }
        public var count: Int { Int(arena[parent].a) }
        public var isEmpty: Bool { count == 0 }
        public subscript(position: Int) -> Node { Node(arena, position) }
        public func index(after i: Int) -> Int { Items.unskipped(arena, arena.end(i), end: endIndex) }

        /// No items: an empty list of a file of no nodes.
        static let none = Items(arena: NodeArena.empty, parent: 0)

        /// The first record from `i` on that is not a skipped duplicate.
        static func unskipped(_ arena: NodeArena, _ i: Int, end: Int) -> Int {
            var i = i
            while i < end, arena[i].kind & NodeArena.skipped != 0 { i = arena.end(i) }
            return i
        }
    }

    /// The entries of a mapping, in order, duplicates and merge keys left out.
    public struct Entries: Collection, Sendable {
        let arena: NodeArena
        let parent: Int

        /// Positions are the keys' records.
        public var startIndex: Int { Items.unskipped(arena, parent + 1, end: endIndex) }
        public var endIndex: Int { arena.end(parent) }
        public var count: Int { Int(arena[parent].a) }
        public var isEmpty: Bool { count == 0 }
        public subscript(position: Int) -> MappingEntry { MappingEntry(arena: arena, keyIndex: position) }
        public func index(after i: Int) -> Int { Items.unskipped(arena, arena.end(i + 1), end: endIndex) }

        public func last(where predicate: (MappingEntry) throws -> Bool) rethrows -> MappingEntry? {
            var found: MappingEntry?
            for entry in self where try predicate(entry) { found = entry }
            return found
        }
    }
}

/// One `key: value` pair of a mapping; keys are always strings.
public struct MappingEntry: Sendable {
    let arena: NodeArena
    let keyIndex: Int

    public var key: String { arena.text(arena.target(keyIndex)) }
    public var keyLocation: SourceLocation { arena.location(keyIndex) }
    public var value: Node { Node(arena, keyIndex + 1) }

    /// Whether the key is `key`, byte for byte, without making a `String` of it.
    func hasKey(_ key: String) -> Bool {
        arena.textEquals(arena.target(keyIndex), key)
    }
}

/// A scalar as written; `isPlain` scalars are typed by the YAML 1.2 core schema,
/// quoted and block scalars are always strings.
public struct Scalar: Sendable {
    /// How a scalar was written; decides typing and where its text starts.
    public enum Style: Sendable {
        case plain
        /// `'…'` or `"…"` (and every JSON string): the text starts one column after the node.
        case quoted
        /// `|` or `>`: the text starts on a later line.
        case block
    }

    public var text: String
    public var style: Style
    /// The byte range as two 32-bit offsets (-1 for none): a scalar is one
    /// of the most numerous values in memory, and a file is at most
    /// `ReaderLimits.maxFileBytes` long, far below 2 GiB.
    private var rangeStart: Int32 = -1
    private var rangeEnd: Int32 = -1

    /// Byte offsets in the source from where the node starts (a quote, `|`, or
    /// the first character) to where it ends; nil for an alias to a scalar or
    /// a scalar made in code. Lets templates be located exactly even when
    /// escapes or line folding make `text` differ from what was written.
    public var sourceRange: Range<Int>? {
        get { rangeStart < 0 ? nil : Int(rangeStart)..<Int(rangeEnd) }
        set {
            if let newValue, let start = Int32(exactly: newValue.lowerBound), let end = Int32(exactly: newValue.upperBound) {
                (rangeStart, rangeEnd) = (start, end)
            } else {
                (rangeStart, rangeEnd) = (-1, -1)
            }
        }
    }

    public init(_ text: String, style: Style, sourceRange: Range<Int>? = nil) {
        self.text = text
        self.style = style
        self.sourceRange = sourceRange
    }

    public var isPlain: Bool { style == .plain }

    /// A scalar's type under the YAML 1.2 core schema.
    public enum Resolved: Sendable, Equatable {
        case null
        case bool(Bool)
        /// An integer; nil when it does not fit in 64 bits.
        case int(Int?)
        case float(Double)
        case string(String)
    }

    /// Types a plain scalar by the YAML 1.2 core schema: `on`/`yes`/`no`/`off`
    /// stay strings, `010` is decimal 10, `1:30` is a string.
    public var resolved: Resolved {
        guard isPlain else { return .string(text) }
        let text = text
        var bytes = text
        return bytes.withUTF8 { Scalar.resolve($0, { text }) }
    }

    /// Whether a plain scalar of these bytes is null under the core schema.
    static func typesAsNull(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = utf8.first else { return true }
        guard utf8.count <= 4, first == UInt8(ascii: "~") || first == UInt8(ascii: "n") || first == UInt8(ascii: "N") else {
            return false
        }
        return nullWords.contains(packed(utf8))
    }

    /// Whether a plain scalar of these bytes is a string under the core schema.
    /// Decided from the bytes, as `resolve` decides; a `String` is made only for a number's digits.
    static func typesAsString(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = utf8.first else { return false }
        guard mayBeTyped(first) else { return true }
        // A key such as `name` or `timeout`: of the typed words only `~`, null,
        // true and false start with a letter, and none is longer than five bytes.
        if !(isDigit(first) || first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".")) {
            return utf8.count > 5 || !letterWords.contains(packed(utf8))
        }
        // A digit, sign or dot: `resolve` decides (it checks `.inf` and `.nan` first).
        if case .string = resolve(utf8, { String(decoding: utf8, as: UTF8.self) }) { return true }
        return false
    }

    /// Typing by the bytes: a validation of a large file types every key and
    /// value, and string comparisons against the dozens of words were most of it.
    private static func resolve(_ utf8: UnsafeBufferPointer<UInt8>, _ text: () -> String) -> Resolved {
        // Most plain scalars are words: decide from the first byte before anything else.
        guard let first = utf8.first else { return .null }
        guard mayBeTyped(first) else { return .string(text()) }
        if utf8.count <= 5 {
            let word = packed(utf8)
            if nullWords.contains(word) { return .null }
            if trueWords.contains(word) { return .bool(true) }
            if falseWords.contains(word) { return .bool(false) }
            if infinityWords.contains(word) { return .float(.infinity) }
            if negativeInfinityWords.contains(word) { return .float(-.infinity) }
            if nanWords.contains(word) { return .float(.nan) }
        }
        guard isDigit(first) || first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".") else {
            return .string(text())
        }
        if isDecimalInteger(utf8) { return .int(Int(text())) }
        if utf8.count > 2, utf8[0] == UInt8(ascii: "0") {
            let digits = UnsafeBufferPointer(rebasing: utf8[2...])
            if utf8[1] == UInt8(ascii: "o"), digits.allSatisfy({ (0x30...0x37).contains($0) }) {
                return .int(Int(String(decoding: digits, as: UTF8.self), radix: 8))
            }
            if utf8[1] == UInt8(ascii: "x"), digits.allSatisfy(isHexDigit) {
                return .int(Int(String(decoding: digits, as: UTF8.self), radix: 16))
            }
        }
        if isFloat(utf8), let value = Double(text()) { return .float(value) }
        return .string(text())
    }

    /// Up to eight bytes as one number, the first byte lowest.
    private static func packed<C: Collection<UInt8>>(_ bytes: C) -> UInt64 {
        var word: UInt64 = 0
        for (i, b) in bytes.prefix(8).enumerated() { word |= UInt64(b) << (8 * UInt64(i)) }
        return word
    }

    private static func packedWords(_ words: [String]) -> [UInt64] { words.map { packed(Array($0.utf8)) } }
    private static let nullWords = packedWords(["~", "null", "Null", "NULL"])
    private static let trueWords = packedWords(["true", "True", "TRUE"])
    private static let falseWords = packedWords(["false", "False", "FALSE"])
    private static let infinityWords = packedWords([".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"])
    private static let negativeInfinityWords = packedWords(["-.inf", "-.Inf", "-.INF"])
    private static let nanWords = packedWords([".nan", ".NaN", ".NAN"])
    /// The typed words that start with a letter or `~`, in one list.
    private static let letterWords = nullWords + trueWords + falseWords

    /// Whether a plain scalar starting with `b` can be anything but a string:
    /// `~`, `null`, `true`, `false` (in their three spellings), `.inf`, `.nan`, or a number.
    private static func mayBeTyped(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
             UInt8(ascii: "~"), UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "t"), UInt8(ascii: "T"),
             UInt8(ascii: "f"), UInt8(ascii: "F"):
            true
        default:
            false
        }
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    private static func isHexDigit(_ b: UInt8) -> Bool {
        isDigit(b) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66)
    }

    /// `[-+]?[0-9]+`
    private static func isDecimalInteger(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        if i < s.count, s[i] == UInt8(ascii: "-") || s[i] == UInt8(ascii: "+") { i += 1 }
        guard i < s.count else { return false }
        return s[i...].allSatisfy(isDigit)
    }

    /// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
    private static func isFloat(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        if i < s.count, s[i] == UInt8(ascii: "-") || s[i] == UInt8(ascii: "+") { i += 1 }
        var mantissaDigits = 0
        while i < s.count, isDigit(s[i]) { i += 1; mantissaDigits += 1 }
        if i < s.count, s[i] == UInt8(ascii: ".") {
            i += 1
            while i < s.count, isDigit(s[i]) { i += 1; mantissaDigits += 1 }
        }
        guard mantissaDigits > 0 else { return false }
        if i < s.count, s[i] == UInt8(ascii: "e") || s[i] == UInt8(ascii: "E") {
            i += 1
            if i < s.count, s[i] == UInt8(ascii: "-") || s[i] == UInt8(ascii: "+") { i += 1 }
            var expDigits = 0
            while i < s.count, isDigit(s[i]) { i += 1; expDigits += 1 }
            guard expDigits > 0 else { return false }
        }
        return i == s.count
    }
}
