#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every node of one parsed file as fixed-size records in file order (a
/// node, then its children), over the file's bytes: a scalar's text is a
/// range of the source, made a `String` only when asked for.
///
/// The tree of `Node` values and `MappingEntry` arrays it replaces took about
/// 250 bytes a task and a heap block per mapping, list and long string, freed
/// one by one; a record is 20 bytes, and the records live in large chunks
/// that the validator lets go of, stage by stage, once it has built them.
/// Built once by `TreeBuilder`, then only read (and released).
final class NodeArena: @unchecked Sendable {
    /// One node. For a scalar `a..<b` is its text in the source (or its
    /// source range when the text is kept apart, -1 for none); for a list or
    /// mapping `a` is its number of items or entries and `b` the index one
    /// past its last descendant; for an alias `a` is the node it repeats.
    struct Record {
        var line: Int32
        var column: Int32
        var a: Int32
        var b: Int32
        var kind: UInt8
    }

    /// The low bits of `Record.kind`.
    enum Kind: UInt8 {
        case plain = 0, quoted, block, sequence, mapping, alias
    }

    static let kindMask: UInt8 = 0x07
    /// The text is in `ownedTexts`, not a range of the source.
    static let ownedText: UInt8 = 0x08
    /// A duplicate or merge key, or its value: not part of its mapping.
    static let skipped: UInt8 = 0x10
    /// The scalar has a source range: its text range, widened by the quotes for a quoted one.
    static let hasRange: UInt8 = 0x20

    static let chunkShift = 15
    static let chunkSize = 1 << chunkShift

    let source: [UInt8]
    /// 1:1 of the file; every location is it moved.
    let origin: SourceLocation

    /// What changes, behind a pointer: a stored `var` of a class is checked
    /// for exclusive access at run time on every read, and records are read
    /// millions of times.
    private struct State {
        var chunks: UnsafeMutablePointer<UnsafeMutablePointer<Record>?>
        var chunkCapacity: Int
        var chunkCount = 0
        var count = 0
        /// Texts that differ from what was written (escapes, folding, block scalars), by node.
        var ownedTexts: [Int32: String] = [:]
        /// Set when an alias is made: a later node may then repeat any earlier one,
        /// so no chunk may be let go before the end.
        var hasAliases = false
    }

    private let state: UnsafeMutablePointer<State>

    var count: Int { state.pointee.count }
    var hasAliases: Bool { state.pointee.hasAliases }

    /// One empty list, for views of no nodes.
    static let empty: NodeArena = {
        let arena = NodeArena(source: [], origin: SourceLocation(file: "", line: 1, column: 1))
        _ = arena.append(Record(line: 1, column: 1, a: 0, b: 1, kind: Kind.sequence.rawValue))
        return arena
    }()

    init(source: [UInt8], origin: SourceLocation) {
        self.source = source
        self.origin = origin
        let chunks = UnsafeMutablePointer<UnsafeMutablePointer<Record>?>.allocate(capacity: 4)
        state = .allocate(capacity: 1)
        state.initialize(to: State(chunks: chunks, chunkCapacity: 4))
    }

    deinit {
        for i in 0..<state.pointee.chunkCount {
            state.pointee.chunks[i]?.deallocate()
        }
        state.pointee.chunks.deallocate()
        state.deinitialize(count: 1)
        state.deallocate()
    }

    /// Adds a record; returns its index.
    func append(_ record: Record) -> Int {
        let index = state.pointee.count
        let chunk = index >> Self.chunkShift
        if chunk == state.pointee.chunkCount {
            if chunk == state.pointee.chunkCapacity {
                let grown = UnsafeMutablePointer<UnsafeMutablePointer<Record>?>.allocate(capacity: 2 * chunk)
                grown.moveInitialize(from: state.pointee.chunks, count: chunk)
                state.pointee.chunks.deallocate()
                state.pointee.chunks = grown
                state.pointee.chunkCapacity = 2 * chunk
            }
            (state.pointee.chunks + chunk).initialize(to: .allocate(capacity: Self.chunkSize))
            state.pointee.chunkCount += 1
        }
        (state.pointee.chunks[chunk]! + (index & (Self.chunkSize - 1))).initialize(to: record)
        state.pointee.count = index + 1
        if record.kind & Self.kindMask == Kind.alias.rawValue { state.pointee.hasAliases = true }
        return index
    }

    func setOwnedText(_ text: String, of index: Int) {
        state.pointee.ownedTexts[Int32(index)] = text
    }

    /// The record's place; traps for one let go of.
    private func pointer(_ index: Int) -> UnsafeMutablePointer<Record> {
        precondition(index >= 0 && index < state.pointee.count)
        guard let chunk = state.pointee.chunks[index >> Self.chunkShift] else { preconditionFailure("node \(index) was released") }
        return chunk + (index & (Self.chunkSize - 1))
    }

    subscript(index: Int) -> Record {
        get { pointer(index).pointee }
        set { pointer(index).pointee = newValue }
    }

    func kind(_ index: Int) -> Kind { Kind(rawValue: self[index].kind & Self.kindMask)! }

    /// The node an alias repeats; any other node itself.
    func target(_ index: Int) -> Int {
        let record = self[index]
        return record.kind & Self.kindMask == Kind.alias.rawValue ? Int(record.a) : index
    }

    /// One past the last record of the node's subtree.
    func end(_ index: Int) -> Int {
        let record = self[index]
        switch record.kind & Self.kindMask {
        case Kind.sequence.rawValue, Kind.mapping.rawValue: return Int(record.b)
        default: return index + 1
        }
    }

    func location(_ index: Int) -> SourceLocation {
        let record = self[index]
        return origin.moved(line: Int(record.line), column: Int(record.column))
    }

    /// A scalar's text (not through an alias).
    func text(_ index: Int) -> String {
        let record = self[index]
        if record.kind & Self.ownedText != 0 { return state.pointee.ownedTexts[Int32(index)] ?? "" }
        return source.withUnsafeBufferPointer { bytes in
            String(decoding: UnsafeBufferPointer(rebasing: bytes[Int(record.a)..<Int(record.b)]), as: UTF8.self)
        }
    }

    /// Calls `body` with a scalar's text as bytes, making no `String` for text that is written as is.
    func withText<R>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let record = self[index]
        if record.kind & Self.ownedText != 0 {
            var text = state.pointee.ownedTexts[Int32(index)] ?? ""
            return text.withUTF8(body)
        }
        return source.withUnsafeBufferPointer { bytes in
            body(UnsafeBufferPointer(rebasing: bytes[Int(record.a)..<Int(record.b)]))
        }
    }

    /// Whether a scalar's text is `key`, compared byte for byte.
    func textEquals(_ index: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let record = self[index]
        if record.kind & Self.ownedText == 0, Int(record.b - record.a) != key.count { return false }
        return withText(index) { text in
            text.count == key.count && (key.isEmpty || memcmp(text.baseAddress!, key.baseAddress!, key.count) == 0)
        }
    }

    func textEquals(_ index: Int, _ key: String) -> Bool {
        var key = key
        return key.withUTF8 { textEquals(index, $0) }
    }

    /// A scalar's source range: from the quote, `|` or first character to its end.
    func sourceRange(_ index: Int) -> Range<Int>? {
        let record = self[index]
        if record.kind & Self.hasRange == 0 { return nil }
        if record.kind & Self.ownedText != 0 { return Int(record.a)..<Int(record.b) }
        let quoted = record.kind & Self.kindMask == Kind.quoted.rawValue
        return quoted ? Int(record.a) - 1..<Int(record.b) + 1 : Int(record.a)..<Int(record.b)
    }

    /// Whether the node's chunk is still held.
    func isLive(_ index: Int) -> Bool { state.pointee.chunks[index >> Self.chunkShift] != nil }

    /// Lets go of every chunk that lies wholly inside `range`; no node there may be read again.
    func release(_ range: Range<Int>) {
        guard !hasAliases else { return }
        var chunk = (range.lowerBound + Self.chunkSize - 1) >> Self.chunkShift
        while (chunk + 1) << Self.chunkShift <= range.upperBound, chunk < state.pointee.chunkCount {
            state.pointee.chunks[chunk]?.deallocate()
            state.pointee.chunks[chunk] = nil
            chunk += 1
        }
    }
}
