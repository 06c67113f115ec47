/// Reads a state file's JSON into plain values; the JSON is checked by `JSONReader`.
///
/// State files are flowrun's own, so a value of the wrong shape is not a
/// diagnostic at a line but "this file is corrupt": every accessor returns nil.
struct StateJSON {
    let node: Node

    /// Parses `bytes`; nil when they are not one JSON value.
    init?(bytes: [UInt8]) {
        var limits = ReaderLimits()
        limits.maxFileBytes = 64 << 20
        limits.maxScalarBytes = 16 << 20
        let (root, diagnostics) = JSONReader(limits: limits).read(SourceText(path: "", bytes: bytes))
        guard let root, !diagnostics.contains(where: { $0.severity == .error }) else { return nil }
        node = root
    }

    init(node: Node) {
        self.node = node
    }

    subscript(key: String) -> StateJSON? {
        guard case .mapping(let entries) = node.value, let entry = entries.last(where: { $0.key == key }) else { return nil }
        return StateJSON(node: entry.value)
    }

    var string: String? {
        guard case .scalar(let scalar) = node.value, case .string(let text) = scalar.resolved else { return nil }
        return text
    }

    var isNull: Bool {
        guard case .scalar(let scalar) = node.value, case .null = scalar.resolved else { return false }
        return true
    }

    var int: Int? {
        guard case .scalar(let scalar) = node.value, case .int(let value) = scalar.resolved else { return nil }
        return value
    }

    var double: Double? {
        guard case .scalar(let scalar) = node.value else { return nil }
        switch scalar.resolved {
        case .int(let value?): return Double(value)
        case .float(let value): return value
        default: return nil
        }
    }

    var array: [StateJSON]? {
        guard case .sequence(let items) = node.value else { return nil }
        return items.map { StateJSON(node: $0) }
    }

    /// A mapping's entries in file order.
    var entries: [(key: String, value: StateJSON)]? {
        guard case .mapping(let entries) = node.value else { return nil }
        return entries.map { ($0.key, StateJSON(node: $0.value)) }
    }

    /// A mapping of strings to strings.
    var stringMap: [String: String]? {
        guard let entries else { return nil }
        var map: [String: String] = [:]
        for (key, value) in entries {
            guard let text = value.string else { return nil }
            map[key] = text
        }
        return map
    }
}
