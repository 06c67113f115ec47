/// A JSON-shaped value with ordered keys, written as YAML: what an exported
/// manifest is built from. Strings are always double-quoted (JSON escapes are
/// valid YAML), so no value can change the document's structure.
public indirect enum ManifestValue: Sendable, Equatable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case list([ManifestValue])
    case map([(String, ManifestValue)])

    public static func == (a: ManifestValue, b: ManifestValue) -> Bool {
        switch (a, b) {
        case (.string(let x), .string(let y)): x == y
        case (.int(let x), .int(let y)): x == y
        case (.bool(let x), .bool(let y)): x == y
        case (.list(let x), .list(let y)): x == y
        case (.map(let x), .map(let y)): x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    /// The value as a YAML document (block style), ending in a newline.
    public var yaml: String {
        var out = ""
        write(into: &out, indent: 0, inList: false)
        return out
    }

    private var isScalar: Bool {
        switch self {
        case .string, .int, .bool: true
        case .list(let items): items.isEmpty
        case .map(let entries): entries.isEmpty
        }
    }

    private var scalarText: String {
        switch self {
        case .string(let text): JSONText.quoted(text)
        case .int(let value): String(value)
        case .bool(let value): value ? "true" : "false"
        case .list: "[]"
        case .map: "{}"
        }
    }

    private func write(into out: inout String, indent: Int, inList: Bool) {
        let pad = String(repeating: " ", count: indent)
        switch self {
        case .list(let items) where !items.isEmpty:
            for (index, item) in items.enumerated() {
                // A list inside a list continues on the dash's line.
                out += (inList && index == 0 ? "" : pad) + "- "
                if item.isScalar {
                    out += item.scalarText + "\n"
                } else {
                    item.write(into: &out, indent: indent + 2, inList: true)
                }
            }
        case .map(let entries) where !entries.isEmpty:
            for (index, (key, value)) in entries.enumerated() {
                out += (inList && index == 0 ? "" : pad) + key + ":"
                if value.isScalar {
                    out += " " + value.scalarText + "\n"
                } else {
                    out += "\n"
                    value.write(into: &out, indent: indent + 2, inList: false)
                }
            }
        default:
            out += scalarText + "\n"
        }
    }
}
