#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `stat(2)` says about a file: enough to tell, as git's index does, that it has not changed.
public struct FileStatus: Sendable, Hashable {
    /// What a path names.
    public enum Kind: Sendable, Hashable {
        case file
        case directory
        case other
    }

    public var kind: Kind
    public var size: Int64
    public var inode: UInt64
    public var device: UInt64
    /// Modification and status-change times, nanoseconds since the epoch.
    public var modified: Int64
    public var changed: Int64

    public init(kind: Kind, size: Int64, inode: UInt64, device: UInt64, modified: Int64, changed: Int64) {
        self.kind = kind
        self.size = size
        self.inode = inode
        self.device = device
        self.modified = modified
        self.changed = changed
    }

    /// The status of `path`, following symbolic links; nil when it does not exist or cannot be read.
    public static func of(_ path: String, followingLinks: Bool = true) -> FileStatus? {
        var info = stat()
        let status = followingLinks ? stat(path, &info) : lstat(path, &info)
        guard status == 0 else { return nil }
        let type = info.st_mode & S_IFMT
        let kind: Kind = type == S_IFREG ? .file : type == S_IFDIR ? .directory : .other
        #if canImport(Darwin)
        let modified = Int64(info.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(info.st_mtimespec.tv_nsec)
        let changed = Int64(info.st_ctimespec.tv_sec) * 1_000_000_000 + Int64(info.st_ctimespec.tv_nsec)
        #else
        let modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        let changed = Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec)
        #endif
        return FileStatus(
            kind: kind, size: Int64(info.st_size), inode: UInt64(info.st_ino), device: UInt64(info.st_dev),
            modified: modified, changed: changed)
    }

    /// True when `other` describes the same, unchanged file (the device may differ after a remount).
    public func isUnchanged(from other: FileStatus) -> Bool {
        size == other.size && inode == other.inode && modified == other.modified && changed == other.changed
    }
}

/// The names in a folder, with what each is when the folder listing says so cheaply.
enum DirectoryListing {
    struct Entry {
        var name: String
        /// nil when the listing did not say (then `stat` decides).
        var isDirectory: Bool?
        var isSymbolicLink: Bool
    }

    /// The entries of `path` except `.` and `..`, sorted by bytes; empty when it cannot be read.
    static func entries(_ path: String) -> [Entry] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var entries: [Entry] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            let type = entry.pointee.d_type
            let isDirectory: Bool? = type == UInt8(DT_DIR) ? true : type == UInt8(DT_UNKNOWN) ? nil : false
            entries.append(Entry(name: name, isDirectory: isDirectory, isSymbolicLink: type == UInt8(DT_LNK)))
        }
        return entries.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    }
}
