/// A string with `${{ REF }}` references, parsed but not yet resolved against values.
public struct Template: Sendable, Hashable {
    /// One piece of a template: text as written, or a reference to substitute.
    public enum Part: Sendable, Hashable {
        case literal(String)
        case reference(Reference, SourceLocation)
    }

    /// Most templates are one piece of text (a `run` without `${{`): that
    /// one is kept as its string, not as an array of one part, which was a
    /// heap block per template (5.6 MB at 50,000 tasks).
    private enum Storage: Sendable, Hashable {
        case text(String)
        case parts([Part])
    }

    private var storage: Storage

    /// The pieces in order; text alone is one `.literal`, the empty text none.
    public var parts: [Part] {
        get {
            switch storage {
            case .text(let text): [.literal(text)]
            case .parts(let parts): parts
            }
        }
        set { storage = Self.storage(newValue) }
    }

    public init(parts: [Part]) {
        self.storage = Self.storage(parts)
    }

    /// A template without expressions.
    public init(literal: String) {
        self.storage = literal.isEmpty ? .parts([]) : .text(literal)
    }

    /// One literal is kept as `.text`, so that equal parts make equal storage.
    private static func storage(_ parts: [Part]) -> Storage {
        if parts.count == 1, case .literal(let text) = parts[0] { return .text(text) }
        return .parts(parts)
    }

    /// How many parts there are, without making the array of them.
    var partCount: Int {
        switch storage {
        case .text: 1
        case .parts(let parts): parts.count
        }
    }

    /// Whether any part is a reference.
    var hasReferences: Bool {
        guard case .parts(let parts) = storage else { return false }
        return parts.contains { if case .reference = $0 { true } else { false } }
    }

    /// The references the template uses, in order.
    public var references: [Reference] {
        guard case .parts(let parts) = storage else { return [] }
        return parts.compactMap { if case .reference(let r, _) = $0 { r } else { nil } }
    }
}
