#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FlowrunCore
import Synchronization

/// Writes whole strings to standard output or standard error, unbuffered,
/// retrying short writes. Reporters hand it finished lines only.
enum Console {
    static func out(_ text: String) { write(1, text) }
    static func err(_ text: String) { write(2, text) }

    static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    /// `--color` of the running command; `auto` unless a command sets it
    /// before it prints anything (diagnostics included).
    static var colorChoice: ColorChoice {
        get { choice.withLock { $0 } }
        set { choice.withLock { $0 = newValue } }
    }

    private static let choice = Mutex(ColorChoice.auto)

    /// Whether to color output on `fd` under `colorChoice` (see `TerminalTraits.colors`).
    static func colors(_ fd: Int32) -> Bool {
        traits(fd).colors(colorChoice)
    }

    /// What the environment and the system say about `fd`: terminal or not,
    /// `TERM`, `NO_COLOR`, and its width (`COLUMNS`, else `TIOCGWINSZ`).
    static func traits(_ fd: Int32) -> TerminalTraits {
        let terminal = isTerminal(fd)
        var columns = variable("COLUMNS").flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil }
        if columns == nil, terminal {
            var size = winsize()
            if ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { columns = Int(size.ws_col) }
        }
        return TerminalTraits(
            isTerminal: terminal, term: variable("TERM"),
            noColor: variable("NO_COLOR").map { !$0.isEmpty } ?? false, columns: columns)
    }

    private static func variable(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    private static func write(_ fd: Int32, _ text: String) {
        var text = text
        text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                #if canImport(Glibc)
                let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                #else
                let n = Darwin.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                #endif
                if n < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += n
            }
        }
    }

    /// The process environment as a dictionary.
    static func environment() -> [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let eq = text.firstIndex(of: "=") {
                result[String(text[..<eq])] = String(text[text.index(after: eq)...])
            }
            pointer += 1
        }
        return result
    }

    static func currentDirectory() -> String {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let ok = buffer.withUnsafeMutableBufferPointer { pointer in
            pointer.withMemoryRebound(to: CChar.self) { getcwd($0.baseAddress, $0.count) != nil }
        }
        guard ok else { return "." }
        return String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
    }
}
