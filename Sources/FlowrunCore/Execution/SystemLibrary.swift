#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What flowrun asks of the C library and the system beyond what the Swift
/// modules export.
enum SystemLibrary {
    /// A C library function looked up at run time (one the Glibc module does
    /// not export, or that an older C library lacks); nil when absent.
    static func symbol(_ name: String) -> UnsafeMutableRawPointer? {
        #if canImport(Glibc)
        let handle = dlopen(nil, RTLD_NOW)
        #else
        let handle = UnsafeMutableRawPointer(bitPattern: -2)  // RTLD_DEFAULT
        #endif
        return dlsym(handle, name)
    }

    /// `TMPDIR` without a trailing `/`, or `/tmp` when it is unset or empty.
    static var temporaryFolder: String {
        var folder = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        if folder.isEmpty { folder = "/tmp" }
        if folder.hasSuffix("/") { folder.removeLast() }
        return folder
    }
}
