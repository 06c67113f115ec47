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

    /// Colors for `[stage/task]` prefixes: none is red, which marks failures.
    static let taskPalette = [
        "\u{1B}[36m", "\u{1B}[35m", "\u{1B}[34m", "\u{1B}[32m", "\u{1B}[33m",
        "\u{1B}[96m", "\u{1B}[95m", "\u{1B}[94m", "\u{1B}[92m", "\u{1B}[93m",
    ]

    /// A task's prefix color, from its qualified name: the same in every run
    /// (FNV-1a, not Swift's per-process seeded `Hasher`) and whatever other tasks there are.
    public static func ofTask(_ qualifiedName: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in qualifiedName.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return taskPalette[Int(hash % UInt64(taskPalette.count))]
    }

    /// The color of a task state: green success, red failure, yellow timeout, dim cancelled or skipped.
    public static func of(_ state: TaskState) -> String {
        switch state {
        case .succeeded: green
        case .failed, .killed, .failedToStart, .outputsInvalid: red
        case .timedOut: yellow
        case .cancelled, .skipped, .upToDate: dim
        }
    }
}
