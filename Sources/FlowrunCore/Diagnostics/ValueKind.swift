/// The kind of a node's value, as YAML 1.2's core schema resolves it.
public enum ValueKind: Sendable, Hashable {
    case list
    case mapping
    case null
    case boolean
    case number
    case string
}
