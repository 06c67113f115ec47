/// The shells `shell: sh` and `shell: bash` name.
///
/// Both stop at the first failing command of a multi-line `run`, as just,
/// go-task and GitHub Actions do; `bash` also fails a pipeline when any of
/// its commands fails, and reads no startup files. A list shell is used
/// exactly as written.
public enum NamedShell: String, Sendable, CaseIterable {
    case sh
    case bash

    /// The argument vector the command is appended to.
    public var arguments: [String] {
        switch self {
        case .sh: ["sh", "-e", "-c"]
        case .bash: ["bash", "--noprofile", "--norc", "-e", "-o", "pipefail", "-c"]
        }
    }

    /// The default shell: `sh`.
    public static let defaultArguments = NamedShell.sh.arguments
}
