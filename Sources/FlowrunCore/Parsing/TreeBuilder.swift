/// Assembles located nodes from a stream of parse events, enforcing the
/// `ReaderLimits` and the rules that hold for YAML and JSON alike: string keys
/// only, no duplicate keys (reported at the second occurrence).
struct TreeBuilder {
    /// Thrown for problems after which reading cannot go on.
    struct Fatal: Error {
        var diagnostic: Diagnostic
    }

    private enum Frame {
        case sequence(Open, [Node])
        case mapping(Open, [MappingEntry], pendingKey: (key: String, location: SourceLocation)?, index: [String: Int]?)
    }

    /// What every open collection carries.
    private struct Open {
        var location: SourceLocation
        var anchor: String?
        /// Nodes inside this collection, itself included, aliases expanded.
        var size = 1
        var skipNextValue = false
    }

    let limits: ReaderLimits
    private var stack: [Frame] = []
    private(set) var root: Node?
    private(set) var diagnostics: [Diagnostic] = []
    private var anchors: [String: (node: Node, size: Int)] = [:]
    private var aliasUses = 0
    private var aliasExpansion = 0

    init(limits: ReaderLimits) {
        self.limits = limits
    }

    var depth: Int { stack.count }

    mutating func beginSequence(at location: SourceLocation, anchor: String?) throws(Fatal) {
        try checkDepth(location)
        stack.append(.sequence(Open(location: location, anchor: anchor), []))
    }

    mutating func beginMapping(at location: SourceLocation, anchor: String?) throws(Fatal) {
        try checkDepth(location)
        stack.append(.mapping(Open(location: location, anchor: anchor), [], pendingKey: nil, index: nil))
    }

    /// Closes the innermost collection.
    mutating func end() throws(Fatal) {
        guard let frame = stack.popLast() else { return }
        switch frame {
        case .sequence(let open, let items):
            try complete(Node(.sequence(items), at: open.location), size: open.size, anchor: open.anchor)
        case .mapping(let open, let entries, _, _):
            try complete(Node(.mapping(entries), at: open.location), size: open.size, anchor: open.anchor)
        }
    }

    mutating func scalar(_ scalar: Scalar, at location: SourceLocation, anchor: String?) throws(Fatal) {
        if scalar.text.utf8.count > limits.maxScalarBytes {
            throw Fatal(diagnostic: .error(.scalarTooLarge(limit: limits.maxScalarBytes), at: location))
        }
        try complete(Node(.scalar(scalar), at: location), size: 1, anchor: anchor)
    }

    mutating func alias(_ name: String, at location: SourceLocation) throws(Fatal) {
        aliasUses += 1
        if aliasUses > limits.maxAliasUses {
            throw Fatal(diagnostic: .error(.tooManyAliases(limit: limits.maxAliasUses), at: location))
        }
        guard let target = anchors[name] else {
            throw Fatal(diagnostic: .error(.yamlSyntax(problem: "unknown alias `*\(name)`", context: nil), at: location))
        }
        aliasExpansion += target.size
        if aliasExpansion > limits.maxAliasExpansion {
            throw Fatal(diagnostic: .error(.aliasExpansionTooLarge(limit: limits.maxAliasExpansion), at: location))
        }
        var node = target.node
        node.location = location
        // The text is where the anchor is, not here: forget the range so
        // nothing inside is located relative to the alias.
        if case .scalar(var scalar) = node.value {
            scalar.sourceRange = nil
            node.value = .scalar(scalar)
        }
        try complete(node, size: target.size, anchor: nil)
    }

    mutating func report(_ diagnostic: Diagnostic) {
        diagnostics.append(diagnostic)
    }

    private func checkDepth(_ location: SourceLocation) throws(Fatal) {
        if stack.count >= limits.maxDepth {
            throw Fatal(diagnostic: .error(.nestingTooDeep(limit: limits.maxDepth), at: location))
        }
    }

    /// Hands a finished node to its parent: a list item, a mapping key, or a mapping value.
    private mutating func complete(_ node: Node, size: Int, anchor: String?) throws(Fatal) {
        if let anchor { anchors[anchor] = (node, size) }
        guard let top = stack.popLast() else {
            root = node
            return
        }
        switch top {
        case .sequence(var open, var items):
            open.size += size
            items.append(node)
            stack.append(.sequence(open, items))
        case .mapping(var open, var entries, let pendingKey, var index):
            open.size += size
            if let pendingKey {
                if open.skipNextValue {
                    open.skipNextValue = false
                } else {
                    entries.append(MappingEntry(key: pendingKey.key, keyLocation: pendingKey.location, value: node))
                    if index != nil { index![pendingKey.key] = entries.count - 1 }
                }
                stack.append(.mapping(open, entries, pendingKey: nil, index: index))
                return
            }
            let key = try keyText(node)
            if key == "<<", case .scalar(let s) = node.value, s.isPlain {
                report(.error(.mergeKeyNotSupported, at: node.location))
                open.skipNextValue = true
            } else if let first = firstIndex(of: key, in: entries, index: &index) {
                report(.error(.duplicateKey(key), at: node.location,
                              notes: [.init(location: entries[first].keyLocation, message: "first defined here")]))
                open.skipNextValue = true
            }
            stack.append(.mapping(open, entries, pendingKey: (key, node.location), index: index))
        }
    }

    /// Finds a key among earlier entries; small mappings scan, large ones keep an index.
    private func firstIndex(of key: String, in entries: [MappingEntry], index: inout [String: Int]?) -> Int? {
        if let index { return index[key] }
        if entries.count < 16 { return entries.firstIndex { $0.key == key } }
        var built: [String: Int] = [:]
        for (i, entry) in entries.enumerated() where built[entry.key] == nil { built[entry.key] = i }
        index = built
        return built[key]
    }

    private func keyText(_ node: Node) throws(Fatal) -> String {
        guard case .scalar(let scalar) = node.value, case .string(let text) = scalar.resolved else {
            throw Fatal(diagnostic: .error(.nonStringKey(found: node.kindDescription), at: node.location))
        }
        return text
    }
}
