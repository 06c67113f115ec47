/// A string with `${{ REF }}` references, parsed but not yet resolved against values.
public struct Template: Sendable, Hashable {
    /// One piece of a template: text as written, or a reference to substitute.
    public enum Part: Sendable, Hashable {
        case literal(String)
        case reference(Reference, SourceLocation)
    }

    public var parts: [Part]

    public init(parts: [Part]) {
        self.parts = parts
    }

    /// A template without expressions.
    public init(literal: String) {
        self.parts = literal.isEmpty ? [] : [.literal(literal)]
    }

    /// The references the template uses, in order.
    public var references: [Reference] {
        parts.compactMap { if case .reference(let r, _) = $0 { r } else { nil } }
    }
}
