/// The bounds every workflow file must stay within, whatever its syntax.
///
/// They make any input cost bounded time and memory: an alias bomb or a
/// deeply nested file is rejected while it is read, not after it is expanded.
public struct ReaderLimits: Sendable {
    public var maxFileBytes = 16 << 20
    public var maxScalarBytes = 1 << 20
    public var maxDepth = 64
    public var maxAliasUses = 100
    /// Nodes that alias uses may add to the document in total.
    public var maxAliasExpansion = 100_000

    public init() {}
}
