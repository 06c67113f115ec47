/// Minimal JSON text building without Foundation: strings and numbers.
public enum JSONText {
    /// `value` as a JSON string literal; control characters as `\u00XX`.
    public static func string(_ value: String) -> String {
        var out = "\""
        out.reserveCapacity(value.utf8.count + 2)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
        return out
    }

    /// A finite number with at most `decimals` decimals; NaN and infinities become `null`.
    public static func number(_ value: Double, decimals: Int = 6) -> String {
        guard value.isFinite else { return "null" }
        return DecimalText.format(value, decimals: decimals, trimZeros: true)
    }
}

/// Fixed-point formatting of doubles without Foundation's `String(format:)`.
public enum DecimalText {
    /// `value` rounded to `decimals` places, e.g. `format(3.14159, decimals: 2)` is "3.14".
    public static func format(_ value: Double, decimals: Int, trimZeros: Bool = false) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let negative = value < 0
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e18 else { return String(value) }
        let units = UInt64(scaled)
        let whole = units / UInt64(scale)
        var fraction = decimals > 0 ? String(units % UInt64(scale)) : ""
        if decimals > 0 { fraction = String(repeating: "0", count: decimals - fraction.count) + fraction }
        if trimZeros { while fraction.hasSuffix("0") { fraction.removeLast() } }
        let sign = negative && units != 0 ? "-" : ""
        return fraction.isEmpty ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)"
    }
}
