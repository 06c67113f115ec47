/// Durations as people write them in workflow files: `250ms`, `3s`, `3.5s`, `1m30s`, `2h`.
public enum DurationText {
    public static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        if milliseconds < 1000 { return "\(milliseconds)ms" }
        if milliseconds < 60_000 {
            return milliseconds % 1000 == 0 ? "\(milliseconds / 1000)s" : DecimalText.format(Double(milliseconds) / 1000, decimals: 3, trimZeros: true) + "s"
        }
        var rest = milliseconds
        var out = ""
        let hours = rest / 3_600_000
        rest %= 3_600_000
        if hours > 0 { out += "\(hours)h" }
        let minutes = rest / 60_000
        rest %= 60_000
        if minutes > 0 { out += "\(minutes)m" }
        if rest > 0 { out += rest % 1000 == 0 ? "\(rest / 1000)s" : DecimalText.format(Double(rest) / 1000, decimals: 3, trimZeros: true) + "s" }
        return out
    }

    /// Seconds as a Double, for JSON and arithmetic.
    public static func seconds(_ duration: Duration) -> Double {
        let (s, atto) = duration.components
        return Double(s) + Double(atto) / 1e18
    }
}
