/// Parses durations: a number of seconds (`3`, `3.5`) or a string of
/// numbers with units `ms`, `s`, `m`, `h` (`250ms`, `1m30s`, `2h`).
public enum DurationParser {
    /// The longest duration accepted, so that arithmetic on durations cannot overflow.
    static let maximumSeconds: Double = 10_000_000

    /// Returns the duration in seconds, or nil when `text` is not a duration.
    /// A string needs units: a bare number is written as a YAML number, not a string.
    public static func seconds(_ text: String) -> Double? {
        if let simple = wholeNumberWithUnit(text.utf8) { return simple }
        var total = 0.0
        var number = ""
        var sawUnit = false
        let scalars = Array(text.unicodeScalars)
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            if (c >= "0" && c <= "9") || c == "." {
                number.unicodeScalars.append(c)
                i += 1
                continue
            }
            guard !number.isEmpty, let value = Double(number), number.last != "." else { return nil }
            let factor: Double
            if c == "m", i + 1 < scalars.count, scalars[i + 1] == "s" {
                factor = 0.001
                i += 2
            } else if c == "s" {
                factor = 1
                i += 1
            } else if c == "m" {
                factor = 60
                i += 1
            } else if c == "h" {
                factor = 3600
                i += 1
            } else {
                return nil
            }
            total += value * factor
            number = ""
            sawUnit = true
        }
        guard sawUnit, number.isEmpty else { return nil }
        return total
    }

    /// A duration with units (`5s`, `250ms`, `1m30s`), or nil when `text` is none or too long.
    public static func duration(_ text: String) -> Duration? {
        guard let seconds = seconds(text), seconds >= 0, seconds <= maximumSeconds else { return nil }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// The common form, digits and one unit (`5m`, `30s`, `250ms`), read from
    /// the bytes without allocating; nil for anything else (the general path
    /// decides). Same value as the general path: the digits are an exact integer.
    static func wholeNumberWithUnit<Bytes: Collection<UInt8>>(_ utf8: Bytes) -> Double? {
        guard utf8.count >= 2, utf8.count <= 11 else { return nil }
        var number = 0
        var digits = 0
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let digit = utf8[index]
            guard isDigit(digit) else { break }
            number = number * 10 + Int(digit - 0x30)
            digits += 1
            index = utf8.index(after: index)
        }
        guard digits > 0, index != utf8.endIndex else { return nil }
        let unit = utf8[index...]
        let factor: Double
        if unit.elementsEqual("ms".utf8) {
            factor = 0.001
        } else if unit.count == 1 {
            switch unit.first {
            case UInt8(ascii: "s"): factor = 1
            case UInt8(ascii: "m"): factor = 60
            case UInt8(ascii: "h"): factor = 3600
            default: return nil
            }
        } else {
            return nil
        }
        return Double(number) * factor
    }
}
