/// Formats resource figures for people: the text report's `--resources`
/// column, the HTML report and the Markdown summary.
public enum ResourceFormat {
    /// `cpu 1.20s  rss 85M`; `cpu -  rss -` when nothing was measured.
    public static func column(_ usage: ResourceUsage?) -> String {
        guard let usage else { return "cpu -      rss -" }
        let cpu = DurationFormat.human(usage.cpu)
        return "cpu " + cpu + String(repeating: " ", count: max(0, 6 - cpu.count)) + " rss " + bytes(usage.maxRSS)
    }

    /// Binary units, at most three significant digits: `512B`, `640K`, `85M`, `1.5G`.
    public static func bytes(_ count: Int) -> String {
        let units = ["B", "K", "M", "G", "T"]
        var value = Double(max(0, count))
        var unit = 0
        while value >= 1000, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        if unit == 0 || value >= 10 { return "\(Int(value.rounded()))\(units[unit])" }
        let tenths = Int((value * 10).rounded())
        return tenths % 10 == 0 ? "\(tenths / 10)\(units[unit])" : "\(tenths / 10).\(tenths % 10)\(units[unit])"
    }
}
