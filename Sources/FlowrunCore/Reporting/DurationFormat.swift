#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Formats durations and clock times for people, without Foundation.
public enum DurationFormat {
    /// `850ms`, `3.52s`, `1m02.5s`, `2h03m04s`.
    public static func human(_ duration: Duration) -> String {
        let millis = milliseconds(duration)
        if millis < 1000 { return "\(millis)ms" }
        if millis < 60_000 {
            let hundredths = (millis + 5) / 10
            return "\(hundredths / 100).\(pad(hundredths % 100, 2))s"
        }
        if millis < 3_600_000 {
            let tenths = (millis + 50) / 100
            let minutes = tenths / 600
            let rest = tenths % 600
            return "\(minutes)m\(pad(rest / 10, 2)).\(rest % 10)s"
        }
        let seconds = (millis + 500) / 1000
        return "\(seconds / 3600)h\(pad(seconds % 3600 / 60, 2))m\(pad(seconds % 60, 2))s"
    }

    /// As written in workflow files: `250ms`, `3s`, `3.5s`, `1m30s`, `2h`.
    public static func written(_ duration: Duration) -> String {
        let millis = milliseconds(duration)
        func seconds(_ ms: Int) -> String {
            guard ms % 1000 != 0 else { return "\(ms / 1000)s" }
            var fraction = pad(ms % 1000, 3)
            while fraction.hasSuffix("0") { fraction.removeLast() }
            return "\(ms / 1000).\(fraction)s"
        }
        if millis < 1000 { return "\(millis)ms" }
        if millis < 60_000 { return seconds(millis) }
        let hours = millis / 3_600_000
        let minutes = millis % 3_600_000 / 60_000
        let rest = millis % 60_000
        return (hours > 0 ? "\(hours)h" : "") + (minutes > 0 ? "\(minutes)m" : "") + (rest > 0 ? seconds(rest) : "")
    }

    /// Seconds with three decimals, for JSON (`1.234`).
    public static func seconds(_ duration: Duration) -> String {
        // Digits written right to left into one small buffer: a 100,000-task
        // JSON report has 600,000 of these, and interpolation cost 4% of the run.
        let millis = milliseconds(duration)
        var magnitude = millis.magnitude
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { buffer in
            var start = buffer.count
            func put(_ byte: UInt8) {
                start -= 1
                buffer[start] = byte
            }
            for _ in 0..<3 {
                put(0x30 + UInt8(magnitude % 10))
                magnitude /= 10
            }
            put(0x2E)
            repeat {
                put(0x30 + UInt8(magnitude % 10))
                magnitude /= 10
            } while magnitude > 0
            if millis < 0 { put(0x2D) }
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[start...]), as: UTF8.self)
        }
    }

    /// Local time of day with milliseconds: `12:00:01.123`.
    public static func clock(_ time: WallTime) -> String {
        var seconds = time_t(time.seconds)
        var parts = tm()
        localtime_r(&seconds, &parts)
        return "\(pad(Int(parts.tm_hour), 2)):\(pad(Int(parts.tm_min), 2)):\(pad(Int(parts.tm_sec), 2))"
            + ".\(pad(time.nanoseconds / 1_000_000, 3))"
    }

    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
