/// Assembles located nodes from a stream of parse events, enforcing the
/// `ReaderLimits` and the rules that hold for YAML and JSON alike: string keys
/// only, no duplicate keys (reported at the second occurrence).
struct TreeBuilder {
    /// Thrown for problems after which reading cannot go on.
    struct Fatal: Error {
        var diagnostic: Diagnostic
    }

    /// An open collection. Its items or entries so far are the tail of
    /// `openItems` or `openEntries` from `start` on: every open collection
    /// appends to one shared buffer, and a closed one takes an array of
    /// exactly its size (no growth by doubling per collection, no spare
    /// capacity kept in the tree).
    private struct Frame {
        var isMapping: Bool
        var location: SourceLocation
        var anchor: String?
        var start: Int
        /// Nodes inside this collection, itself included, aliases expanded.
        var size = 1
        var skipNextValue = false
        var pendingKey: (key: String, location: SourceLocation)?
        /// Index of the entries by key (offsets from `start`), built once a mapping is large.
        var index: [String: Int]?
    }

    let limits: ReaderLimits
    private var stack: [Frame] = []
    private let openItems = OpenStack<Node>()
    private let openEntries = OpenStack<MappingEntry>()
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
        stack.append(Frame(isMapping: false, location: location, anchor: anchor, start: openItems.count))
    }

    mutating func beginMapping(at location: SourceLocation, anchor: String?) throws(Fatal) {
        try checkDepth(location)
        stack.append(Frame(isMapping: true, location: location, anchor: anchor, start: openEntries.count))
    }

    /// Closes the innermost collection.
    mutating func end() throws(Fatal) {
        guard let frame = stack.popLast() else { return }
        let value: Node.Value
        if frame.isMapping {
            value = .mapping(openEntries.take(from: frame.start))
        } else {
            value = .sequence(openItems.take(from: frame.start))
        }
        try complete(Node(value, at: frame.location), size: frame.size, anchor: frame.anchor)
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
        guard !stack.isEmpty else {
            root = node
            return
        }
        let top = stack.count - 1
        stack[top].size += size
        guard stack[top].isMapping else {
            openItems.append(node)
            return
        }
        if let pendingKey = stack[top].pendingKey {
            stack[top].pendingKey = nil
            if stack[top].skipNextValue {
                stack[top].skipNextValue = false
            } else {
                openEntries.append(MappingEntry(key: pendingKey.key, keyLocation: pendingKey.location, value: node))
                if stack[top].index != nil { stack[top].index![pendingKey.key] = openEntries.count - 1 - stack[top].start }
            }
            return
        }
        let key = try keyText(node)
        if key == "<<", case .scalar(let s) = node.value, s.isPlain {
            report(.error(.mergeKeyNotSupported, at: node.location))
            stack[top].skipNextValue = true
        } else if let first = firstIndex(of: key, inFrame: top) {
            report(.error(.duplicateKey(key), at: node.location,
                          notes: [.init(location: openEntries[stack[top].start + first].keyLocation, message: .firstDefinedHere)]))
            stack[top].skipNextValue = true
        }
        stack[top].pendingKey = (key, node.location)
    }

    /// Finds a key among a mapping's earlier entries; small mappings scan, large ones keep an index.
    private mutating func firstIndex(of key: String, inFrame top: Int) -> Int? {
        if let index = stack[top].index { return index[key] }
        let start = stack[top].start
        let count = openEntries.count - start
        if count < 16 { return (0..<count).first { openEntries[start + $0].key == key } }
        var built: [String: Int] = [:]
        for i in 0..<count where built[openEntries[start + i].key] == nil { built[openEntries[start + i].key] = i }
        stack[top].index = built
        return built[key]
    }

    private func keyText(_ node: Node) throws(Fatal) -> String {
        guard case .scalar(let scalar) = node.value, case .string(let text) = scalar.resolved else {
            throw Fatal(diagnostic: .error(.nonStringKey(found: node.kind), at: node.location))
        }
        return text
    }
}
