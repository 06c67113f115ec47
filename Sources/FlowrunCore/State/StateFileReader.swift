#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads state files, turning every problem into a warning and "absent".
///
/// A file that cannot be parsed is moved aside (when `quarantine` is set;
/// never in `plan`) as `NAME.corrupt-TIMESTAMP`: kept for a bug report, out
/// of the way of the next write. A file of another `format` is left alone.
struct StateFileReader {
    let quarantine: Bool
    let onWarning: @Sendable (DiagnosticMessage) -> Void

    func task(_ path: String) -> TaskRecord? {
        guard let json = json(path) else { return nil }
        return TaskRecord(json) ?? corrupt(path)
    }

    func workflow(_ path: String) -> WorkflowRecord? {
        guard let json = json(path) else { return nil }
        return WorkflowRecord(json) ?? corrupt(path)
    }

    /// A JSON state file whose `format` is ours; nil (after a warning where due) otherwise.
    func json(_ path: String) -> StateJSON? {
        guard let bytes = bytes(path) else { return nil }
        guard let json = StateJSON(bytes: bytes), let format = json["format"] else { return corrupt(path) }
        guard format.int == StateFormat.version else {
            guard let found = format.int.map(String.init) ?? format.string else { return corrupt(path) }
            onWarning(.stateFormatUnsupported(path: path, found: found, expected: StateFormat.version))
            return nil
        }
        return json
    }

    func bytes(_ path: String) -> [UInt8]? {
        switch AtomicFile.read(path) {
        case .missing: return nil
        case .bytes(let bytes): return bytes
        case .failed(let reason):
            onWarning(.stateFileUnreadable(path: path, reason: reason))
            return nil
        }
    }

    /// Warns, moves the file aside, and gives "absent".
    func corrupt<T>(_ path: String) -> T? {
        var movedTo: String?
        if quarantine {
            let target = path + ".corrupt-" + Self.timestamp()
            if rename(path, target) == 0 { movedTo = target }
        }
        onWarning(.stateFileCorrupt(path: path, movedTo: movedTo))
        return nil
    }

    static let digestsHeader = "# flowrun file digests, format \(StateFormat.version): sha256 size inode mtime-ns ctime-ns hashed-at path"

    /// `files.tsv`: one line per file, tab-separated, so that 10,000 files parse in milliseconds.
    func digests(_ path: String) -> [String: FileDigests.Entry]? {
        guard let bytes = bytes(path) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let header = lines.first, lines.last == "" else { return corrupt(path) }
        lines.removeLast()
        guard header == Self.digestsHeader else {
            if header.hasPrefix("# flowrun file digests, format ") {
                let found = header.dropFirst("# flowrun file digests, format ".count).prefix { $0 != ":" }
                if found != "\(StateFormat.version)" {
                    onWarning(.stateFormatUnsupported(path: path, found: String(found), expected: StateFormat.version))
                    return nil
                }
            }
            return corrupt(path)
        }
        var entries: [String: FileDigests.Entry] = [:]
        entries.reserveCapacity(lines.count)
        for line in lines.dropFirst() {
            let fields = line.split(separator: "\t", maxSplits: 6, omittingEmptySubsequences: false)
            guard fields.count == 7, let digest = SHA256Digest(hex: fields[0]), let size = Int64(fields[1]),
                  let inode = UInt64(fields[2]), let modified = Int64(fields[3]), let changed = Int64(fields[4]),
                  let hashedAt = Int64(fields[5]), fields[6].hasPrefix("/")
            else { return corrupt(path) }
            let status = FileStatus(kind: .file, size: size, inode: inode, device: 0, modified: modified, changed: changed)
            entries[String(fields[6])] = FileDigests.Entry(status: status, digest: digest, hashedAt: hashedAt)
        }
        return entries
    }

    static func digestsText(_ entries: [String: FileDigests.Entry]) -> [UInt8] {
        var out = digestsHeader + "\n"
        for path in entries.keys.sorted() where !path.contains("\n") && !path.contains("\t") {
            let entry = entries[path]!
            out += "\(entry.digest.hex)\t\(entry.status.size)\t\(entry.status.inode)\t\(entry.status.modified)\t"
            out += "\(entry.status.changed)\t\(entry.hashedAt)\t\(path)\n"
        }
        return Array(out.utf8)
    }

    /// `20261201T091500Z`, UTC: sorts by time and is a plain file-name suffix.
    static func timestamp(_ time: WallTime = .now()) -> String {
        var seconds = time_t(time.seconds)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(parts.tm_year + 1900)\(two(parts.tm_mon + 1))\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour))\(two(parts.tm_min))\(two(parts.tm_sec))Z"
    }
}
