/// Finds the files that `sources`/`generates` patterns name under a folder.
///
/// Literal segments are looked up, not listed, so `src/main.c` costs one
/// `stat`. `**` does not follow symbolic links to folders (no cycles) and
/// skips dot folders; a pattern may leave the folder with `..` or be absolute.
public struct GlobExpander: Sendable {
    /// A path a pattern matched.
    public struct Match: Sendable, Hashable {
        /// As the pattern spelled it: relative to the base folder unless the pattern was absolute.
        public var path: String
        public var status: FileStatus
    }

    public init() {}

    /// Every existing path any of `patterns` matches under `directory`, each once, sorted by path.
    /// `filesOnly` drops folders and special files (for `sources`).
    public func expand(_ patterns: [GlobPattern], in directory: String, filesOnly: Bool) -> [Match] {
        var found: [String: Match] = [:]
        for pattern in patterns {
            let base = pattern.isAbsolute ? "" : directory
            walk(pattern.segments[...], base: base, relative: pattern.isAbsolute ? "/" : "") { match in
                if !filesOnly || match.status.kind == .file { found[match.path] = match }
            }
        }
        return found.values.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
    }

    private func join(_ a: String, _ b: String) -> String {
        a.isEmpty ? b : a.hasSuffix("/") ? a + b : a + "/" + b
    }

    private func walk(
        _ segments: ArraySlice<GlobPattern.Segment>, base: String, relative: String, found: (Match) -> Void
    ) {
        let here = relative.isEmpty ? base : join(base, relative)
        guard let segment = segments.first else {
            if !relative.isEmpty, relative != "/", let status = FileStatus.of(here) {
                found(Match(path: relative, status: status))
            }
            return
        }
        let rest = segments.dropFirst()
        switch segment {
        case .literal(let name):
            let path = join(relative, name)
            if rest.isEmpty {
                if let status = FileStatus.of(join(base, path)) { found(Match(path: path, status: status)) }
            } else if FileStatus.of(join(base, path))?.kind == .directory {
                walk(rest, base: base, relative: path, found: found)
            }
        case .wildcard(let pattern):
            for entry in DirectoryListing.entries(here) where GlobPattern.matches(name: Array(entry.name.utf8), pattern: pattern) {
                let path = join(relative, entry.name)
                if rest.isEmpty {
                    if let status = FileStatus.of(join(base, path)) { found(Match(path: path, status: status)) }
                } else if entry.isDirectory ?? (FileStatus.of(join(base, path))?.kind == .directory) || entry.isSymbolicLink {
                    walk(rest, base: base, relative: path, found: found)
                }
            }
        case .anyFolders:
            // Zero folders, then each folder below (not through links, not into dot folders).
            walk(rest, base: base, relative: relative, found: found)
            for entry in DirectoryListing.entries(here) where !entry.name.hasPrefix(".") && !entry.isSymbolicLink {
                let path = join(relative, entry.name)
                let isDirectory = entry.isDirectory ?? (FileStatus.of(join(base, path), followingLinks: false)?.kind == .directory)
                if isDirectory { walk(segments, base: base, relative: path, found: found) }
            }
        }
    }
}
