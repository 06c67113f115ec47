/// Assembles located nodes from a stream of parse events, enforcing the
/// `ReaderLimits` and the rules that hold for YAML and JSON alike: string keys
/// only, no duplicate keys (reported at the second occurrence).
struct TreeBuilder {
    /// Thrown for problems after which reading cannot go on.
    struct Fatal: Error {
        var diagnostic: Diagnostic
    }

    /// An open collection: its record, and what is known of it so far.
    private struct Frame {
        var record: Int
        var anchor: String?
        var isMapping: Bool
        /// Items, or entries not skipped.
        var count: Int32 = 0
        /// Nodes inside this collection, itself included, aliases expanded.
        var size = 1
        var skipNextValue = false
        /// The record of the key whose value comes next.
        var pendingKey: Int?
        /// Index of the entries by key (their key records), built once a mapping is large.
        var index: [String: Int]?
    }

    /// A scalar's text as the reader has it: where it is written, or its own string.
    enum Text {
        /// The text is these bytes of the source, as written.
        case written(Range<Int>)
        /// The text differs from what is written (escapes, folding, a block scalar).
        case decoded(String)
    }

    let limits: ReaderLimits
    let arena: NodeArena
    private var stack: [Frame] = []
    private var rootIndex: Int?
    private(set) var diagnostics: [Diagnostic] = []
    private var anchors: [String: (index: Int, size: Int)] = [:]
    private var aliasUses = 0
    private var aliasExpansion = 0

    init(limits: ReaderLimits, source: SourceText) {
        self.limits = limits
        self.arena = NodeArena(source: source.bytes, origin: SourceLocation(file: source.path, line: 1, column: 1))
    }

    var root: Node? { rootIndex.map { Node(arena, $0) } }

    var depth: Int { stack.count }

    mutating func beginSequence(at location: SourceLocation, anchor: String?) throws(Fatal) {
        try begin(.sequence, at: location, anchor: anchor)
    }

    mutating func beginMapping(at location: SourceLocation, anchor: String?) throws(Fatal) {
        try begin(.mapping, at: location, anchor: anchor)
    }

    private mutating func begin(_ kind: NodeArena.Kind, at location: SourceLocation, anchor: String?) throws(Fatal) {
        try checkDepth(location)
        let record = arena.append(NodeArena.Record(
            line: Int32(clamping: location.line), column: Int32(clamping: location.column), a: 0, b: 0, kind: kind.rawValue))
        stack.append(Frame(record: record, anchor: anchor, isMapping: kind == .mapping))
    }

    /// Closes the innermost collection.
    mutating func end() throws(Fatal) {
        guard let frame = stack.popLast() else { return }
        arena[frame.record].a = frame.count
        arena[frame.record].b = Int32(arena.count)
        try complete(frame.record, size: frame.size, anchor: frame.anchor)
    }

    /// Adds a scalar. `sourceRange` is where it is written, from its quote or
    /// `|` on; `.written` text lies inside it (all of it for a plain scalar,
    /// all but the quotes for a quoted one).
    mutating func scalar(
        _ text: Text, style: Scalar.Style, sourceRange: Range<Int>?, at location: SourceLocation, anchor: String?
    ) throws(Fatal) {
        let length: Int
        switch text {
        case .written(let range): length = range.count
        case .decoded(let string): length = string.utf8.count
        }
        if length > limits.maxScalarBytes {
            throw Fatal(diagnostic: .error(.scalarTooLarge(limit: limits.maxScalarBytes), at: location))
        }
        var kind: UInt8 = switch style {
        case .plain: NodeArena.Kind.plain.rawValue
        case .quoted: NodeArena.Kind.quoted.rawValue
        case .block: NodeArena.Kind.block.rawValue
        }
        if sourceRange != nil { kind |= NodeArena.hasRange }
        var record = NodeArena.Record(line: Int32(clamping: location.line), column: Int32(clamping: location.column),
                                      a: -1, b: -1, kind: kind)
        switch text {
        case .written(let range):
            (record.a, record.b) = (Int32(range.lowerBound), Int32(range.upperBound))
            let index = arena.append(record)
            try complete(index, size: 1, anchor: anchor)
        case .decoded(let string):
            record.kind |= NodeArena.ownedText
            if let sourceRange { (record.a, record.b) = (Int32(sourceRange.lowerBound), Int32(sourceRange.upperBound)) }
            let index = arena.append(record)
            arena.setOwnedText(string, of: index)
            try complete(index, size: 1, anchor: anchor)
        }
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
        let index = arena.append(NodeArena.Record(
            line: Int32(clamping: location.line), column: Int32(clamping: location.column),
            a: Int32(arena.target(target.index)), b: 0, kind: NodeArena.Kind.alias.rawValue))
        try complete(index, size: target.size, anchor: nil)
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
    private mutating func complete(_ index: Int, size: Int, anchor: String?) throws(Fatal) {
        if let anchor { anchors[anchor] = (index, size) }
        guard !stack.isEmpty else {
            rootIndex = index
            return
        }
        let top = stack.count - 1
        stack[top].size += size
        guard stack[top].isMapping else {
            stack[top].count += 1
            return
        }
        if let pendingKey = stack[top].pendingKey {
            stack[top].pendingKey = nil
            if stack[top].skipNextValue {
                stack[top].skipNextValue = false
                arena[index].kind |= NodeArena.skipped
            } else {
                stack[top].count += 1
                if stack[top].index != nil { stack[top].index![arena.text(arena.target(pendingKey))] = pendingKey }
            }
            return
        }
        let node = Node(arena, index)
        let key = try keyTarget(node)
        if arena.kind(key) == .plain, arena.textEquals(key, "<<") {
            report(.error(.mergeKeyNotSupported, at: node.location))
            stack[top].skipNextValue = true
            arena[index].kind |= NodeArena.skipped
        } else if let first = firstEntry(withKeyOf: key, before: index, inFrame: top) {
            report(.error(.duplicateKey(arena.text(key)), at: node.location,
                          notes: [.init(location: arena.location(first), message: .firstDefinedHere)]))
            stack[top].skipNextValue = true
            arena[index].kind |= NodeArena.skipped
        }
        stack[top].pendingKey = index
    }

    /// The key record of an earlier entry of the open mapping whose key has the
    /// text of `key`; small mappings scan, large ones keep an index.
    private mutating func firstEntry(withKeyOf key: Int, before limit: Int, inFrame top: Int) -> Int? {
        if let index = stack[top].index { return index[arena.text(key)] }
        let arena = arena
        // The open mapping's entries so far: a key, then its value's records.
        func forEachKey(_ body: (Int) -> Bool) {
            var i = stack[top].record + 1
            while i < limit {
                if arena[i].kind & NodeArena.skipped == 0, !body(i) { return }
                i = arena.end(i + 1)
            }
        }
        if stack[top].count < 16 {
            return arena.withText(key) { bytes in
                var i = stack[top].record + 1
                while i < limit {
                    let record = arena[i]
                    // Keys written as is of another length differ: no bytes compared.
                    let mayEqual = record.kind & NodeArena.skipped == 0
                        && (record.kind & (NodeArena.ownedText | NodeArena.kindMask) > NodeArena.Kind.block.rawValue
                            || Int(record.b - record.a) == bytes.count)
                    if mayEqual, arena.textEquals(arena.target(i), bytes) { return i }
                    i = arena.end(i + 1)
                }
                return nil
            }
        }
        var built: [String: Int] = [:]
        forEachKey { entry in
            let text = arena.text(arena.target(entry))
            if built[text] == nil { built[text] = entry }
            return true
        }
        stack[top].index = built
        return built[arena.text(key)]
    }

    /// The record holding a key's text (through an alias); a key that is not a string is fatal.
    private func keyTarget(_ node: Node) throws(Fatal) -> Int {
        let target = arena.target(node.index)
        let isString = switch arena.kind(target) {
        case .quoted, .block: true
        case .plain: arena.withText(target) { Scalar.typesAsString($0) }
        case .sequence, .mapping, .alias: false
        }
        guard isString else { throw Fatal(diagnostic: .error(.nonStringKey(found: node.kind), at: node.location)) }
        return target
    }
}
