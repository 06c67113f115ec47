/// A `sources`/`generates` pattern: `/`-separated segments with `*`, `?`,
/// `[…]` (`[!…]` or `[^…]` negates, `a-z` ranges, `\` escapes) and `**`
/// (any number of folders, zero included).
///
/// As in the shell, a wildcard does not match a name's leading `.` unless the
/// segment itself starts with `.`; `**` does not descend into dot folders.
public struct GlobPattern: Sendable, Hashable {
    /// One `/`-separated part of a pattern.
    public enum Segment: Sendable, Hashable {
        /// A name without wildcards: looked up directly, not listed.
        case literal(String)
        case wildcard([UInt8])
        /// `**`: zero or more folders.
        case anyFolders
    }

    public let text: String
    /// True when the pattern starts with `/`.
    public let isAbsolute: Bool
    public let segments: [Segment]

    public init(_ text: String) {
        self.text = text
        isAbsolute = text.hasPrefix("/")
        var segments: [Segment] = []
        for part in text.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "**" {
                if segments.last != .anyFolders { segments.append(.anyFolders) }
            } else if part == "." {
                continue
            } else if part.contains(where: { "*?[\\".contains($0) }) {
                segments.append(.wildcard(Array(part.utf8)))
            } else {
                segments.append(.literal(String(part)))
            }
        }
        self.segments = segments
    }

    /// Whether a whole relative path (`a/b/c`) matches.
    public func matches(path: String) -> Bool {
        let names = path.split(separator: "/", omittingEmptySubsequences: true).map { Array($0.utf8) }
        return Self.match(segments[...], names[...])
    }

    private static func match(_ segments: ArraySlice<Segment>, _ names: ArraySlice<[UInt8]>) -> Bool {
        guard let first = segments.first else { return names.isEmpty }
        switch first {
        case .anyFolders:
            var rest = names
            while true {
                if match(segments.dropFirst(), rest) { return true }
                guard let name = rest.first, name.first != UInt8(ascii: ".") else { return false }
                rest = rest.dropFirst()
            }
        case .literal(let text):
            guard let name = names.first, Array(text.utf8) == name else { return false }
            return match(segments.dropFirst(), names.dropFirst())
        case .wildcard(let pattern):
            guard let name = names.first, matches(name: name, pattern: pattern) else { return false }
            return match(segments.dropFirst(), names.dropFirst())
        }
    }

    /// Whether one file name matches one wildcard segment.
    public static func matches(name: [UInt8], pattern: [UInt8]) -> Bool {
        if name.first == UInt8(ascii: "."), pattern.first != UInt8(ascii: ".") { return false }
        return wildcard(pattern[...], name[...])
    }

    /// Iterative `*` matching with one backtrack point: linear in practice, never exponential.
    private static func wildcard(_ pattern: ArraySlice<UInt8>, _ name: ArraySlice<UInt8>) -> Bool {
        var p = pattern.startIndex
        var n = name.startIndex
        var starP: Int?
        var starN = n
        while n < name.endIndex {
            if p < pattern.endIndex {
                switch pattern[p] {
                case UInt8(ascii: "*"):
                    starP = p
                    starN = n
                    p += 1
                    continue
                case UInt8(ascii: "?"):
                    p += 1
                    n += 1
                    continue
                case UInt8(ascii: "["):
                    if let (matched, next) = bracket(pattern, at: p, byte: name[n]) {
                        if matched {
                            p = next
                            n += 1
                            continue
                        }
                    } else if name[n] == UInt8(ascii: "[") {
                        // An unclosed `[` is a literal bracket.
                        p += 1
                        n += 1
                        continue
                    }
                case UInt8(ascii: "\\") where p + 1 < pattern.endIndex:
                    if pattern[p + 1] == name[n] {
                        p += 2
                        n += 1
                        continue
                    }
                case let c where c == name[n]:
                    p += 1
                    n += 1
                    continue
                default:
                    break
                }
            }
            guard let star = starP else { return false }
            p = star + 1
            starN += 1
            n = starN
        }
        while p < pattern.endIndex, pattern[p] == UInt8(ascii: "*") { p += 1 }
        return p == pattern.endIndex
    }

    /// Matches `byte` against the bracket expression at `start`; nil when the bracket is not closed.
    private static func bracket(_ pattern: ArraySlice<UInt8>, at start: Int, byte: UInt8) -> (Bool, Int)? {
        var i = start + 1
        var negated = false
        if i < pattern.endIndex, pattern[i] == UInt8(ascii: "!") || pattern[i] == UInt8(ascii: "^") {
            negated = true
            i += 1
        }
        var matched = false
        var first = true
        while i < pattern.endIndex {
            var low = pattern[i]
            if low == UInt8(ascii: "]"), !first { return (matched != negated, i + 1) }
            first = false
            if low == UInt8(ascii: "\\"), i + 1 < pattern.endIndex {
                i += 1
                low = pattern[i]
            }
            var high = low
            if i + 2 < pattern.endIndex, pattern[i + 1] == UInt8(ascii: "-"), pattern[i + 2] != UInt8(ascii: "]") {
                high = pattern[i + 2]
                i += 2
            }
            if low <= byte && byte <= high { matched = true }
            i += 1
        }
        return nil
    }
}
