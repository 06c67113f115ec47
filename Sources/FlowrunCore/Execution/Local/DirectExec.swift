/// When a `run` command may skip the shell: `make`'s fast path. A command
/// that is a plain list of words means the same run directly as under
/// `sh -e -c`, so it is exec'd as its words, saving one dynamically linked
/// exec per task.
///
/// Plain means: words of letters, digits and `- _ . / , : + @ % =`,
/// separated by spaces or tabs — no quotes, `$`, globs, redirections, pipes,
/// `;`, `&`, backquotes, `~`, `#`, `\`, parentheses, braces or newlines — no
/// `=` in the first word (an assignment), and a first word that is not a
/// shell keyword or builtin (`echo`, `cd`, `true` ... keep the shell's own
/// behaviour).
///
/// The runner keeps the rest identical: if the program is not found in
/// `PATH` (or `PATH` has a relative entry), the shell runs the command after
/// all, so "not found" is the shell's own 127 and message; a program killed
/// by a signal flowrun did not send is reported as dash reports it (exit
/// 128+n and its line on stderr). Never used for an explicit `shell:`, for a
/// shell other than the default `sh -e -c`, or for a command holding a secret
/// (a secret must not reach a command line, issue 16).
enum DirectExec {
    /// The words of `command`, or nil when it needs the shell.
    static func words(of command: String) -> [String]? {
        var words: [String] = []
        var current: [UInt8] = []
        for byte in command.utf8 {
            if byte == 0x20 || byte == 0x09 {
                if !current.isEmpty {
                    words.append(String(decoding: current, as: UTF8.self))
                    current.removeAll(keepingCapacity: true)
                }
                continue
            }
            guard isPlain(byte) else { return nil }
            if byte == UInt8(ascii: "="), words.isEmpty { return nil }
            current.append(byte)
        }
        if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)) }
        guard let first = words.first, !shellWords.contains(first) else { return nil }
        return words
    }

    /// The argument vector for `command` under `shell`, when the task may
    /// skip the shell; nil when it must not.
    static func arguments(command: String, shell: [String], shellIsExplicit: Bool, mask: SecretMask) -> [String]? {
        guard !shellIsExplicit, shell == NamedShell.defaultArguments else { return nil }
        guard mask.isEmpty || mask.apply(command) == command else { return nil }
        return words(of: command)
    }

    /// dash's report of a child killed by `signal` (`sprint_status`): nil for SIGINT and SIGPIPE.
    static func shellReport(signal: Int32, coreDumped: Bool) -> String? {
        if signal == 2 || signal == 13 { return nil }
        guard let text = strsignalText(signal) else { return nil }
        return coreDumped ? text + " (core dumped)" : text
    }

    private static func isPlain(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "/"), UInt8(ascii: ","),
             UInt8(ascii: ":"), UInt8(ascii: "+"), UInt8(ascii: "@"), UInt8(ascii: "%"), UInt8(ascii: "="):
            return true
        default:
            return false
        }
    }

    private static func strsignalText(_ signal: Int32) -> String? {
        guard let text = strsignal(signal) else { return nil }
        return String(cString: text)
    }

    /// Keywords, special and regular builtins of POSIX sh, dash and bash.
    static let shellWords: Set<String> = [
        "!", "{", "}", "case", "do", "done", "elif", "else", "esac", "fi", "for", "function", "if", "in",
        "select", "then", "time", "until", "while", "[[", "]]",
        ".", ":", "[", "alias", "bg", "bind", "break", "builtin", "caller", "cd", "command", "compgen",
        "complete", "continue", "declare", "dirs", "disown", "echo", "enable", "eval", "exec", "exit",
        "export", "false", "fc", "fg", "getopts", "hash", "help", "history", "jobs", "kill", "let", "local",
        "logout", "mapfile", "popd", "printf", "pushd", "pwd", "read", "readarray", "readonly", "return",
        "set", "shift", "shopt", "source", "suspend", "test", "times", "trap", "true", "type", "typeset",
        "ulimit", "umask", "unalias", "unset", "wait",
    ]
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
