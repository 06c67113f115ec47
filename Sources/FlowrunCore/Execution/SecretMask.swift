/// Replaces every occurrence of a secret value with `***`.
///
/// A multi-line secret is masked line by line, because output is masked after
/// it has been split into lines. Longer values are replaced first so that a
/// secret containing another one is masked whole.
public struct SecretMask: Sendable {
    /// The text that stands in for a secret.
    public static let replacement = "***"

    private let needles: [String]

    public init(_ secrets: [String]) {
        var pieces = Set<String>()
        for secret in secrets {
            for line in secret.split(separator: "\n", omittingEmptySubsequences: true) {
                let piece = line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
                if !piece.isEmpty { pieces.insert(piece) }
            }
        }
        needles = pieces.sorted { $0.utf8.count != $1.utf8.count ? $0.utf8.count > $1.utf8.count : $0 < $1 }
    }

    /// True when there is nothing to mask.
    public var isEmpty: Bool { needles.isEmpty }

    /// `text` with every secret replaced.
    public func apply(_ text: String) -> String {
        if needles.isEmpty { return text }
        var out = text
        for needle in needles where out.contains(needle) {
            out = out.replacing(needle, with: Self.replacement)
        }
        return out
    }

    /// Masks each element in place.
    public func apply(_ lines: inout [String]) {
        if needles.isEmpty { return }
        for index in lines.indices { lines[index] = apply(lines[index]) }
    }
}
