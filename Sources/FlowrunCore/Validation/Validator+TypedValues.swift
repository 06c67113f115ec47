/// Typed node readers: each reports a wrong type at the node and returns nil.
extension Validator.Pass {
    mutating func mapping(_ node: Node, key: String) -> [MappingEntry]? {
        if case .mapping(let entries) = node.value { return entries }
        error(.wrongType(key: key, expected: .mapping, found: .kind(node.kind)), at: node.location)
        return nil
    }

    mutating func sequence(_ node: Node, key: String) -> [Node]? {
        if case .sequence(let items) = node.value { return items }
        error(.wrongType(key: key, expected: .list, found: .kind(node.kind)), at: node.location)
        return nil
    }

    /// A string; numbers and booleans are taken as written (`1` is "1").
    mutating func text(_ node: Node, key: String) -> String? {
        guard case .scalar(let scalar) = node.value, scalar.resolved != .null else {
            error(.wrongType(key: key, expected: .string, found: .kind(node.kind)), at: node.location)
            return nil
        }
        return scalar.text
    }

    /// `sources`/`generates`: a list of glob patterns (or one), plain text without templates.
    mutating func globsOf(_ node: Node, key: String) -> [String] {
        let items: [Node]
        if case .scalar = node.value { items = [node] } else { items = sequence(node, key: key) ?? [] }
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
    let entries: [MappingEntry]

    init(_ entries: [MappingEntry]) {
        self.entries = entries
    }

    /// A task asks for some twenty keys and has a few: most lookups miss, so
    /// a key of another length is passed over before any string comparison.
    subscript(key: String) -> MappingEntry? {
        let length = key.utf8.count
        for i in entries.indices where entries[i].key.utf8.count == length && entries[i].key == key {
            return entries[i]
        }
        return nil
    }
}
