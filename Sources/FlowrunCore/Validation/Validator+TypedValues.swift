/// Typed node readers: each reports a wrong type at the node and returns nil.
extension Validator.Pass {
    mutating func mapping(_ node: Node, key: String) -> Node.Entries? {
        if case .mapping(let entries) = node.value { return entries }
        error(.wrongType(key: key, expected: .mapping, found: .kind(node.kind)), at: node.location)
        return nil
    }

    mutating func sequence(_ node: Node, key: String) -> Node.Items? {
        if case .sequence(let items) = node.value { return items }
        error(.wrongType(key: key, expected: .list, found: .kind(node.kind)), at: node.location)
        return nil
    }

    /// A string; numbers and booleans are taken as written (`1` is "1").
    mutating func text(_ node: Node, key: String) -> String? {
        guard let text = node.nonNullText else {
            error(.wrongType(key: key, expected: .string, found: .kind(node.kind)), at: node.location)
            return nil
        }
        return text
    }

    /// `sources`/`generates`: a list of glob patterns (or one), plain text without templates.
    mutating func globsOf(_ node: Node, key: String) -> [String] {
        let items: [Node]
        if case .scalar = node.value { items = [node] } else { items = sequence(node, key: key).map(Array.init) ?? [] }
        var globs: [String] = []
        for item in items {
            guard let pattern = text(item, key: key) else { continue }
            if pattern.isEmpty {
                error(.emptyPattern(key: key), at: item.location)
            } else if pattern.contains("${{") {
                error(.templateNotAllowed(key: key), at: item.location)
            } else {
                globs.append(pattern)
            }
        }
        return globs
    }

    mutating func boolean(_ node: Node, key: String) -> Bool? {
        if case .scalar(let scalar) = node.value, case .bool(let value) = scalar.resolved { return value }
        var found = DiagnosticMessage.Found.kind(node.kind)
        // YAML 1.1 habits: say why `yes` is not a boolean here.
        if case .scalar(let scalar) = node.value, scalar.isPlain,
           ["yes", "no", "on", "off", "y", "n"].contains(scalar.text.lowercased()) {
            found = .yaml11Boolean(scalar.text)
        }
        error(.wrongType(key: key, expected: .boolean, found: found), at: node.location)
        return nil
    }

    mutating func integer(_ node: Node, key: String, range: ClosedRange<Int>) -> Int? {
        guard case .scalar(let scalar) = node.value else {
            error(.wrongType(key: key, expected: .wholeNumber, found: .kind(node.kind)), at: node.location)
            return nil
        }
        switch scalar.resolved {
        case .int(let value?):
            if range.contains(value) { return value }
            error(.numberOutOfRange(key: key, value: scalar.text, range: DiagnosticMessage.AllowedRange(range)), at: node.location)
        case .int(nil):
            error(.numberOutOfRange(key: key, value: scalar.text, range: DiagnosticMessage.AllowedRange(range)), at: node.location)
        case .float:
            error(.notAnInteger(key: key, value: scalar.text), at: node.location)
        default:
            error(.wrongType(key: key, expected: .wholeNumber, found: .kind(node.kind)), at: node.location)
        }
        return nil
    }

    mutating func duration(_ node: Node, key: String, allowsZero: Bool) -> Duration? {
        // `5m`, `30s`: read from the bytes, no string made; such text is a
        // string under the core schema, so the general path reads it the same.
        if let style = node.scalarStyle, style != .block,
           let seconds = node.withScalarBytes({ DurationParser.wholeNumberWithUnit($0) }),
           seconds > 0, seconds <= DurationParser.maximumSeconds, (seconds * 1000).rounded() >= 1 {
            return .milliseconds(Int64((seconds * 1000).rounded()))
        }
        guard case .scalar(let scalar) = node.value else {
            error(.wrongType(key: key, expected: .duration, found: .kind(node.kind)), at: node.location)
            return nil
        }
        var seconds: Double?
        switch scalar.resolved {
        case .int(let value?): seconds = Double(value)
        case .int(nil): seconds = .infinity
        case .float(let value): seconds = value
        case .string(let text): seconds = DurationParser.seconds(text)
        case .null, .bool:
            error(.wrongType(key: key, expected: .duration, found: .kind(node.kind)), at: node.location)
            return nil
        }
        guard let seconds, !seconds.isNaN else {
            error(.invalidDuration(scalar.text), at: node.location)
            return nil
        }
        if seconds < 0 || (seconds == 0 && !allowsZero) {
            error(.durationNotPositive(key: key), at: node.location)
            return nil
        }
        if seconds > DurationParser.maximumSeconds {
            error(.numberOutOfRange(key: key, value: scalar.text, range: .atMostSeconds(Int(DurationParser.maximumSeconds))), at: node.location)
            return nil
        }
        let milliseconds = Int64((seconds * 1000).rounded())
        // Durations count whole milliseconds: `timeout: 0.0001` must not become a zero timeout.
        if milliseconds == 0 && !allowsZero {
            error(.durationNotPositive(key: key), at: node.location)
            return nil
        }
        return .milliseconds(milliseconds)
    }

    /// A scalar's text as written; for a list or mapping, its kind.
    func scalarText(_ node: Node) -> String {
        if case .scalar(let s) = node.value { return s.text }
        return node.kind.text
    }
}

/// A mapping's entries looked up by key. Workflow mappings have a handful of
/// keys, so a scan beats hashing every key of every task into a dictionary.
struct KeyedEntries {
    /// A key as its first eight bytes in one number, its length and its record:
    /// no `String` is made of it.
    struct Key {
        var word: UInt64
        var length: Int
        var keyIndex: Int
    }

    /// Not retained: a `KeyedEntries` lives no longer than the mapping it was made of.
    private unowned(unsafe) let arena: NodeArena?
    /// The first four keys inline (a task has three or so), the rest in `more`.
    private var first = (Key(word: 0, length: -1, keyIndex: -1), Key(word: 0, length: -1, keyIndex: -1),
                         Key(word: 0, length: -1, keyIndex: -1), Key(word: 0, length: -1, keyIndex: -1))
    private var more: [Key] = []
    /// A bit per key length present: a task is asked for some twenty keys and
    /// has three, and most lookups end on this one test.
    private var present: UInt64 = 0
    /// A bit per key length and first byte present, for `mayHave(any:)`.
    private var presentKeys: UInt64 = 0
    let count: Int

    init(_ entries: some Collection<MappingEntry>) {
        arena = entries.first?.arena
        var n = 0
        var present: UInt64 = 0
        var presentKeys: UInt64 = 0
        for entry in entries {
            var key = Key(word: 0, length: 0, keyIndex: entry.keyIndex)
            entry.arena.withText(entry.arena.target(entry.keyIndex)) { bytes in
                key.word = Self.word(bytes)
                key.length = bytes.count
                present |= Self.bit(length: bytes.count)
                presentKeys |= KeyList.bit(bytes)
            }
            switch n {
            case 0: first.0 = key
            case 1: first.1 = key
            case 2: first.2 = key
            case 3: first.3 = key
            default: more.append(key)
            }
            n += 1
        }
        count = n
        self.present = present
        self.presentKeys = presentKeys
    }

    /// False only when none of `keys` is here: a task without any of a
    /// group of rarely used keys skips the group's lookups at once.
    func mayHave(any keys: KeyList) -> Bool { presentKeys & keys.bits != 0 }

    /// The keys in file order.
    func forEach(_ body: (Key) -> Void) {
        for i in 0..<min(count, 4) {
            switch i {
            case 0: body(first.0)
            case 1: body(first.1)
            case 2: body(first.2)
            default: body(first.3)
            }
        }
        more.forEach(body)
    }

    func text(of key: Key) -> String { arena.map { $0.text($0.target(key.keyIndex)) } ?? "" }

    func location(of key: Key) -> SourceLocation {
        arena.map { $0.location(key.keyIndex) } ?? SourceLocation(file: "", line: 0, column: 0)
    }

    /// Whether `key` is `text`, by its bytes.
    func key(_ key: Key, is text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let arena, key.length == text.count, key.word == Self.word(text) else { return false }
        return text.count <= 8 || arena.textEquals(arena.target(key.keyIndex), text)
    }

    /// The key at a place in file order.
    private func key(at i: Int) -> Key {
        switch i {
        case 0: first.0
        case 1: first.1
        case 2: first.2
        case 3: first.3
        default: more[i - 4]
        }
    }

    subscript(key: String) -> MappingEntry? {
        let length = key.utf8.count
        guard present & Self.bit(length: length) != 0 else { return nil }
        var key = key
        let word = key.withUTF8 { Self.word($0) }
        for i in 0..<count {
            let candidate = self.key(at: i)
            guard candidate.word == word, candidate.length == length, let arena else { continue }
            if length <= 8 || key.withUTF8({ arena.textEquals(arena.target(candidate.keyIndex), $0) }) {
                return MappingEntry(arena: arena, keyIndex: candidate.keyIndex)
            }
        }
        return nil
    }

    static func bit(length: Int) -> UInt64 { 1 << UInt64(length & 63) }

    static func word(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        if bytes.count >= 8 { return UnsafeRawPointer(bytes.baseAddress!).loadUnaligned(as: UInt64.self).littleEndian }
        var word: UInt64 = 0
        for i in 0..<bytes.count { word |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        return word
    }
}

/// A list of allowed keys with each one's first eight bytes and length, made
/// once: checking a task's keys compares numbers, not strings.
struct KeyList {
    let keys: [String]
    private let words: [(word: UInt64, length: Int)]
    /// A bit per key, by its length and first byte.
    let bits: UInt64

    init(_ keys: [String]) {
        self.keys = keys
        words = keys.map { key in
            var key = key
            return key.withUTF8 { (KeyedEntries.word($0), $0.count) }
        }
        bits = keys.reduce(0) { bits, key in
            var key = key
            return bits | key.withUTF8 { KeyList.bit($0) }
        }
    }

    static func bit(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        1 << UInt64((key.count &* 7 &+ Int(key.first ?? 0)) & 63)
    }

    func contains(_ key: KeyedEntries.Key, of entries: KeyedEntries) -> Bool {
        for (i, probe) in words.enumerated() where probe.word == key.word && probe.length == key.length {
            if key.length <= 8 { return true }
            var allowed = keys[i]
            if allowed.withUTF8({ entries.key(key, is: $0) }) { return true }
        }
        return false
    }
}
