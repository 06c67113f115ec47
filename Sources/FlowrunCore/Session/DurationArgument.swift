/// Durations given on the command line: `5s`, `500ms`, `1m`, or a number of seconds.
public enum DurationArgument {
    /// The duration `text` names, or nil when it names none (or more than a day in plain seconds).
    public static func parse(_ text: String) -> Duration? {
        if let seconds = Double(text), seconds >= 0, seconds <= 86_400 { return .milliseconds(Int64(seconds * 1000)) }
        return DurationParser.duration(text)
    }

    /// How `duration` is written as an argument (`5s`, `500ms`): a default shown in `--help`.
    public static func text(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000)s" : "\(milliseconds)ms"
    }
}
