/// `--color`: whether output is colored.
public enum ColorChoice: String, Sendable, CaseIterable {
    /// Color a stream only when it is a terminal, `NO_COLOR` is unset or empty, and `TERM` is not `dumb`.
    case auto
    /// Color whatever the stream and environment (overrides `NO_COLOR`).
    case always
    case never
}
