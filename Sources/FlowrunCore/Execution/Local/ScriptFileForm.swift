#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a task's script reaches its shell without being an argument
/// (issue 16): the script waits on the shell's fd 3 (a sealed memfd on
/// Linux, an unlinked 0600 file elsewhere, see `flowrun_script_descriptor`),
/// and the `-c` text is a constant that reads it. The shell closes fd 3
/// before the first command of the script runs, so the task's processes
/// never see it, and `$0` stays the shell's name.
///
/// Per shell (measured in `ScriptFileFormTests`' corpus against the `-c` form):
/// - `sh`, `dash` (and any POSIX sh): `sh -e -c '. /dev/fd/3' sh`, the file
///   starting with `exec 3<&-; ` on the script's first line (so line numbers
///   stay). Same stdout, exit status and signals as `-c`; the one difference
///   is that a message the shell itself writes names the file after the line
///   number: `sh: 2: /dev/fd/3: foo: not found` for `sh: 2: foo: not found`.
/// - `bash`: the file read with `read -d ''` and run by `eval`. Same messages
///   except syntax errors (`bash: eval: line 2:` for `bash: -c: line 2:`);
///   bash no longer execs the script's last simple command in place of itself,
///   so a last command killed by a signal ends the task with 128+n and bash's
///   report of it, as every other command of the script already does.
///
/// Any other shell (a list `shell:` whose last element is not `-c`, or a
/// program that is not a known shell) keeps the script as its last argument.
enum ScriptFileForm {
    /// The shell's argument vector and the bytes its fd 3 must hold, or nil
    /// when `shell` cannot read its script from the descriptor.
    static func arguments(shell: [String], command: String) -> (arguments: [String], script: [UInt8])? {
        guard let kind = kind(of: shell) else { return nil }
        let name = shell[0]
        switch kind {
        case .posix:
            return (shell + [". /dev/fd/3", name], Array((posixPrologue + command).utf8))
        case .bash:
            return (shell + [bashReader, name], Array(command.utf8))
        }
    }

    /// Whether `shell` (a whole argument vector, ending in `-c`) can take the file form.
    static func accepts(_ shell: [String]) -> Bool { kind(of: shell) != nil }

    /// Whether a task's command goes through the file form: when it holds a
    /// secret, when it is too long for one argument (Linux refuses one over
    /// 128 KiB), or always with `FLOWRUN_SCRIPT_FD=always` or `tempfile`.
    static func isUsed(for command: String, mask: SecretMask) -> Bool {
        if mode != .needed { return true }
        if command.utf8.count > longScript { return true }
        return !mask.isEmpty && mask.apply(command) != command
    }

    /// Scripts longer than this many bytes always go through the file form.
    static let longScript = 64 * 1024

    enum Mode { case needed, always, tempFile }

    /// `FLOWRUN_SCRIPT_FD`: unset (the file form when needed), `always`
    /// (every shell task, for the benchmark and the differential tests), or
    /// `tempfile` (always, through the temporary-file fallback even on Linux).
    static let mode: Mode = {
        guard let value = getenv("FLOWRUN_SCRIPT_FD") else { return .needed }
        switch String(cString: value) {
        case "always": return .always
        case "tempfile": return .tempFile
        default: return .needed
        }
    }()

    private enum Kind { case posix, bash }

    private static func kind(of shell: [String]) -> Kind? {
        guard shell.count >= 2, shell.last == "-c", let program = shell.first else { return nil }
        let base = program.split(separator: "/").last.map(String.init) ?? program
        switch base {
        case "sh", "dash": return .posix
        case "bash": return .bash
        default: return nil
        }
    }

    /// What the file starts with for a POSIX sh: closes fd 3, on the script's first line.
    static let posixPrologue = "exec 3<&-; "

    /// The task's command back from the bytes of its fd 3 (for test doubles and the Slurm step).
    static func command(fromScript bytes: [UInt8]) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        return text.hasPrefix(posixPrologue) ? String(text.dropFirst(posixPrologue.count)) : text
    }

    /// Reads fd 3 whole into a variable without a fork, then evaluates it
    /// after unsetting the variable and closing fd 3, on the script's first line.
    static let bashReader = #"IFS= read -r -d '' -u 3 flowrun_script || :; eval "unset flowrun_script; exec 3<&-; $flowrun_script""#
}
