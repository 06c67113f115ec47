#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every file read for one workflow, within one byte budget: the file
/// loaded, each file it includes (every inclusion counted, so that including
/// one file many times cannot multiply its size) and their dotenv files.
///
/// The one place that touches the file system for loading; what it reads is
/// handed on as `SourceText`.
public struct WorkflowSources: Sendable {
    public var limits: ReaderLimits
    /// Bytes still allowed: `limits.maxFileBytes` less everything read so far.
    public private(set) var remaining: Int

    public init(limits: ReaderLimits = ReaderLimits()) {
        self.limits = limits
        self.remaining = limits.maxFileBytes
    }

    /// Reads `path` (`-` for standard input) and counts its bytes. A file
    /// past what remains fails with `fileTooLarge`; `overBudget` tells
    /// whether the sum, rather than the file alone, is too large.
    public mutating func read(path: String) -> Result<SourceText, Diagnostic> {
        var bounded = limits
        bounded.maxFileBytes = remaining
        let result = SourceReader(limits: bounded).read(path: path)
        if case .success(let source) = result { remaining -= source.bytes.count }
        return result
    }

    /// Counts `bytes` read once already (a file included again); false when they do not fit.
    public mutating func charge(_ bytes: Int) -> Bool {
        guard bytes <= remaining else { return false }
        remaining -= bytes
        return true
    }

    /// Whether a `fileTooLarge` from `read` means the sum is too large: less than one file's cap was left.
    public var overBudget: Bool { remaining < limits.maxFileBytes }

    /// `path` with links and `.`/`..` resolved, to tell two names of one file apart from two files; nil when it does not exist.
    public static func canonical(_ path: String) -> String? {
        guard path != "<stdin>", let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// `path` as seen from `directory` (the including file's folder): absolute paths stay as they are.
    public static func resolve(_ path: String, from directory: String) -> String {
        path.hasPrefix("/") || directory == "." ? path : (directory == "/" ? "/" : directory + "/") + path
    }
}
