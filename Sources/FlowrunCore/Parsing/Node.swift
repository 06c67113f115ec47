/// A YAML or JSON value with the location where it starts in the source.
///
/// Both readers produce this tree, so the validator never knows which
/// syntax a workflow was written in.
public struct Node: Sendable {
    /// The shape of a node.
    public enum Value: Sendable {
        case scalar(Scalar)
        case sequence([Node])
        case mapping([MappingEntry])
    }

    public var value: Value
    public var location: SourceLocation

    public init(_ value: Value, at location: SourceLocation) {
        self.value = value
        self.location = location
    }

    /// A short description of the node's kind for messages: "a string", "a list", ...
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
}

/// One `key: value` pair of a mapping; keys are always strings.
public struct MappingEntry: Sendable {
    public var key: String
    public var keyLocation: SourceLocation
    public var value: Node

    public init(key: String, keyLocation: SourceLocation, value: Node) {
        self.key = key
        self.keyLocation = keyLocation
        self.value = value
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
        return bytes.withUTF8 { Scalar.resolve($0, text) }
    }

    /// Typing by the bytes: a validation of a large file types every key and
    /// value, and string comparisons against the dozens of words were most of it.
    private static func resolve(_ utf8: UnsafeBufferPointer<UInt8>, _ text: String) -> Resolved {
        // Most plain scalars are words: decide from the first byte before anything else.
        guard let first = utf8.first else { return .null }
        guard mayBeTyped(first) else { return .string(text) }
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
            return .string(text)
        }
        if isDecimalInteger(utf8) { return .int(Int(text)) }
        if utf8.count > 2, utf8[0] == UInt8(ascii: "0") {
            let digits = UnsafeBufferPointer(rebasing: utf8[2...])
            if utf8[1] == UInt8(ascii: "o"), digits.allSatisfy({ (0x30...0x37).contains($0) }) {
                return .int(Int(String(decoding: digits, as: UTF8.self), radix: 8))
            }
            if utf8[1] == UInt8(ascii: "x"), digits.allSatisfy(isHexDigit) {
                return .int(Int(String(decoding: digits, as: UTF8.self), radix: 16))
            }
        }
        if isFloat(utf8), let value = Double(text) { return .float(value) }
        return .string(text)
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
