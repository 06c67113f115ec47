/// The machine flowrun runs on, as `host.os` and `host.arch` name it.
enum Host {
    static var os: String {
        #if os(macOS)
        "macos"
        #elseif os(Linux)
        "linux"
        #else
        "other"
        #endif
    }

    static var arch: String {
        #if arch(x86_64)
        "x86_64"
        #elseif arch(arm64)
        "arm64"
        #else
        "other"
        #endif
    }
}
