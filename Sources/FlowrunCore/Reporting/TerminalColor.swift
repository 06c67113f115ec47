/// ANSI SGR colors for task states and the like; the one place escape codes are written.
public enum TerminalColor {
    public static let reset = "\u{1B}[0m"
    public static let green = "\u{1B}[32m"
    public static let red = "\u{1B}[31m"
    public static let boldRed = "\u{1B}[1;31m"
    public static let yellow = "\u{1B}[33m"
    public static let dim = "\u{1B}[2m"
    public static let bold = "\u{1B}[1m"

    /// `text` in `color` when `enabled`, else unchanged.
    public static func paint(_ text: String, _ color: String, _ enabled: Bool) -> String {
        enabled && !text.isEmpty ? color + text + reset : text
    }

    /// The color of a task state: green success, red failure, yellow timeout, dim cancelled or skipped.
    public static func of(_ state: TaskState) -> String {
        switch state {
        case .succeeded: green
        case .failed, .killed, .failedToStart, .outputsInvalid: red
        case .timedOut: yellow
        case .cancelled, .skipped: dim
        }
    }
}
