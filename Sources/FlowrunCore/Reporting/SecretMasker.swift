/// Replaces every secret value in text by `***`.
public struct SecretMasker: Sendable {
    /// Values longest first, so a secret that contains another is masked whole.
    public let values: [String]

    public init(_ values: [String]) {
        self.values = values.filter { !$0.isEmpty }.sorted { $0.count > $1.count }
    }

    public var isEmpty: Bool { values.isEmpty }

    public func mask(_ text: String) -> String {
        guard !values.isEmpty else { return text }
        var out = text
        for value in values where out.contains(value) { out = out.replacing(value, with: "***") }
        return out
    }
}
